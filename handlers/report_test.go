package handlers

import "testing"

// TestDirectiveByCodeReadsOnce: a directive named by its code is read
// once when the store's answer carries the report history, and read again
// by id only when it lacks it (the contract promises the history for
// Directive(id) only).
func TestDirectiveByCodeReadsOnce(t *testing.T) {
	// The store's DirectiveByCode gives the report history as Directive
	// does (the contract, checked by storetest's DirectiveDetail), so a
	// directive named by code is read once.
	for _, cmd := range []string{"/directive HNXM-2024/03", "/done HNXM-2024/03", "/progress HNXM-2024/03 50 đã làm"} {
		t.Run(cmd, func(t *testing.T) {
			hs := newHarness(t, Config{})
			hs.say(privateChat, cmd)
			hs.only("SendMessage")
			counts := map[string]int{}
			for _, c := range hs.store.calls {
				counts[c]++
			}
			if counts["DirectiveByCode"] != 1 || counts["Directive"] != 0 {
				t.Errorf("store calls %v: want DirectiveByCode once and Directive 0 times", hs.store.calls)
			}
		})
	}
}
