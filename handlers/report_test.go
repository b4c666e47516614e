package handlers

import "testing"

// TestDirectiveByCodeReadsOnce: a directive named by its code is read
// once when the store's answer carries the report history, and read again
// by id only when it lacks it (the contract promises the history for
// Directive(id) only).
func TestDirectiveByCodeReadsOnce(t *testing.T) {
	for _, cmd := range []string{"/directive HNXM-2024/03", "/done HNXM-2024/03", "/progress HNXM-2024/03 50 đã làm"} {
		for _, tt := range []struct {
			name        string
			dropHistory bool
			wantByID    int
		}{
			{name: "with history", wantByID: 0},
			{name: "without history", dropHistory: true, wantByID: 1},
		} {
			t.Run(cmd+"/"+tt.name, func(t *testing.T) {
				hs := newHarness(t, Config{})
				if tt.dropHistory {
					hs.store.directives[2].Assignments[0].Reports = nil
				}
				hs.say(privateChat, cmd)
				hs.only("SendMessage")
				counts := map[string]int{}
				for _, c := range hs.store.calls {
					counts[c]++
				}
				if counts["DirectiveByCode"] != 1 || counts["Directive"] != tt.wantByID {
					t.Errorf("store calls %v: want DirectiveByCode once and Directive %d times", hs.store.calls, tt.wantByID)
				}
			})
		}
	}
}
