package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The README's piped session over the demo data, at a fixed instant, as
// a user runs it: through main's run, stdin to stdout.
func TestConsolePipedDemoSession(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	t.Setenv("DATABASE_PATH", filepath.Join(t.TempDir(), "unused.db"))
	in := strings.NewReader("/meetings\n/search bien gioi\n/directives xin-man\n:press 1\n/directive 15/CT-UBND\n/khong-co\n")
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"console", "--demo", "--now", "2026-11-26T09:00:00+07:00"}, in, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		"Hội nghị sơ kết 1 năm thực hiện Quy chế phối hợp", // the conference
		"17/04/2024",
		"Huyện ủy Xín Mần",
		"HNXM-2024/03",
		"Hạn mẫu",
		"Không tìm thấy",       // the missing code
		"Không có lệnh /khong", // a command ends where [a-z0-9_] ends, as in Telegram
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the session lacks %q", want)
		}
	}
	golden := filepath.Join("testdata", "console_demo.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("session differs from %s (run with -update after checking):\n%s", golden, got)
	}
}

func TestConsoleBoundChat(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	in := strings.NewReader("/directives\n")
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"console", "--demo", "--chat", "unit:meo-vac", "--now", "2026-11-26T09:00:00+07:00"}, in, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "Huyện ủy Mèo Vạc") {
		t.Errorf("/directives in a chat bound to Mèo Vạc:\n%s", out.String())
	}
	code = run(t.Context(), []string{"console", "--demo", "--chat", "unit:khong-co"}, strings.NewReader(""), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "no unit has that code") {
		t.Errorf("unknown unit: exit %d, %s", code, errOut.String())
	}
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(t.Context(), nil, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "Usage") {
		t.Errorf("no command: exit %d", code)
	}
	if code := run(t.Context(), []string{"frobnicate"}, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d: %s", code, errOut.String())
	}
	if code := run(t.Context(), []string{"console", "--now", "yesterday"}, nil, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "RFC 3339") {
		t.Errorf("bad --now: exit %d: %s", code, errOut.String())
	}
	if code := run(t.Context(), []string{"import"}, nil, &out, &errOut); code != 2 {
		t.Errorf("import without a file: exit %d", code)
	}
}
