package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleRoles: without --admin the console user is refused what
// only administrators may do; with it, not. In a unit's chat the user
// reports for that unit, and an administrator sees the report waiting.
func TestConsoleRoles(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	db := filepath.Join(t.TempDir(), "console.db")
	session := func(input string, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		args = append([]string{"console", "--db", db, "--now", "2026-11-26T09:00:00+07:00"}, args...)
		if code := run(t.Context(), args, strings.NewReader(input), &out, &errOut); code != 0 {
			t.Fatalf("exit %d; stderr:\n%s", code, errOut.String())
		}
		return out.String()
	}
	if out := session("/pending\n", "--demo"); !strings.Contains(out, "Bạn không có quyền xem báo cáo chờ xác nhận") {
		t.Errorf("/pending without --admin:\n%s", out)
	}
	// The demo is now in the file: report from Xín Mần's chat.
	if out := session("/progress HNXM-2024/03 40 đã rà soát 2 xã\n", "--chat", "unit:xin-man"); !strings.Contains(out, "Đã gửi báo cáo tiến độ 40%") {
		t.Errorf("/progress in the unit's chat:\n%s", out)
	}
	if out := session("/pending\n", "--admin"); !strings.Contains(out, "HNXM-2024/03") || !strings.Contains(out, "tiến độ 40%") {
		t.Errorf("/pending with --admin:\n%s", out)
	}
}
