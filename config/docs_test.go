package config

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/caarlos0/env/v11"
	"github.com/google/go-cmp/cmp"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite ../.env.example and the configuration table of ../README.md from Config")

var (
	envExamplePath = filepath.Join("..", ".env.example")
	readmePath     = filepath.Join("..", "README.md")
)

// TestDocsInSync fails when .env.example or the README's configuration
// table disagrees with Config. Run with -update-docs to regenerate them.
func TestDocsInSync(t *testing.T) {
	if *updateDocs {
		if err := os.WriteFile(envExamplePath, []byte(EnvExample()), 0o644); err != nil {
			t.Fatal(err)
		}
		readme, err := os.ReadFile(readmePath)
		if err != nil {
			t.Fatal(err)
		}
		updated, err := ReplaceReadmeTable(string(readme))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(readmePath, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s and %s", envExamplePath, readmePath)
	}

	const fix = "run: go test ./config -update-docs"

	t.Run(".env.example", func(t *testing.T) {
		data, err := os.ReadFile(envExamplePath)
		if err != nil {
			t.Fatalf("%v (%s)", err, fix)
		}
		got, err := parseEnvExample(string(data))
		if err != nil {
			t.Fatalf("%s: %v (%s)", envExamplePath, err, fix)
		}
		want := map[string]string{}
		for _, f := range Fields() {
			want[f.Env] = f.Default
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s drifted from Config: variable → default (-code +file):\n%s%s", envExamplePath, diff, fix)
		}
	})

	t.Run("README", func(t *testing.T) {
		data, err := os.ReadFile(readmePath)
		if err != nil {
			t.Fatalf("%v (%s)", err, fix)
		}
		got, err := parseReadmeTable(string(data))
		if err != nil {
			t.Fatalf("%s: %v (%s)", readmePath, err, fix)
		}
		var want [][3]string
		for _, f := range Fields() {
			want = append(want, [3]string{f.Env, f.Default, f.Description})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s configuration table drifted from Config: rows of Variable, Default, Description (-code +file):\n%s%s", readmePath, diff, fix)
		}
	})
}

var envLineRE = regexp.MustCompile(`^#?\s*([A-Z][A-Z0-9_]*)=(.*)$`)

// parseEnvExample returns the variables assigned in an env file, commented
// out or not, with their values (quotes removed).
func parseEnvExample(s string) (map[string]string, error) {
	out := map[string]string{}
	for line := range strings.Lines(s) {
		m := envLineRE.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		key, val := m[1], strings.TrimSpace(m[2])
		if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
			val = val[1 : len(val)-1]
		}
		if prev, dup := out[key]; dup && prev != val {
			return nil, &docError{"variable " + key + " appears twice with different values"}
		}
		out[key] = val
	}
	return out, nil
}

// parseReadmeTable returns the rows (variable, default, description) of
// the table between the markers, with backticks removed and "(empty)"
// read as an empty default.
func parseReadmeTable(s string) ([][3]string, error) {
	_, rest, ok := strings.Cut(s, ReadmeStart)
	if !ok {
		return nil, &docError{"no " + ReadmeStart + " marker"}
	}
	table, _, ok := strings.Cut(rest, ReadmeEnd)
	if !ok {
		return nil, &docError{"no " + ReadmeEnd + " marker"}
	}
	var rows [][3]string
	header := true
	for line := range strings.Lines(table) {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := splitRow(line)
		if len(cells) != 3 {
			return nil, &docError{"row without 3 cells: " + line}
		}
		if header {
			if cells != [3]string{"Variable", "Default", "Description"} {
				return nil, &docError{"header must be | Variable | Default | Description |, got " + line}
			}
			header = false
			continue
		}
		if strings.Trim(cells[0], "-: ") == "" {
			continue // the separator row
		}
		if cells[1] == "(empty)" {
			cells[1] = ""
		}
		rows = append(rows, cells)
	}
	return rows, nil
}

// splitRow splits a Markdown table row on unescaped '|' and cleans the
// cells.
func splitRow(line string) [3]string {
	line = strings.TrimPrefix(strings.TrimSuffix(line, "|"), "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	cells = append(cells, cur.String())
	if len(cells) != 3 {
		return [3]string{}
	}
	var out [3]string
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if len(c) >= 2 && c[0] == '`' && c[len(c)-1] == '`' {
			c = c[1 : len(c)-1]
		}
		out[i] = c
	}
	return out
}

type docError struct{ msg string }

func (e *docError) Error() string { return e.msg }

// TestFieldsAgreeWithEnv checks that Fields reads the same variables and
// defaults as the env library that Load uses, and that every field is
// documented.
func TestFieldsAgreeWithEnv(t *testing.T) {
	params, err := env.GetFieldParams(&Config{})
	if err != nil {
		t.Fatal(err)
	}
	var want, got [][2]string
	for _, p := range params {
		want = append(want, [2]string{p.Key, p.DefaultValue})
	}
	for _, f := range Fields() {
		got = append(got, [2]string{f.Env, f.Default})
		if strings.ContainsAny(f.Description, "\n\r") {
			t.Errorf("%s: description must be one line", f.Env)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Fields() vs env.GetFieldParams (-env +Fields):\n%s", diff)
	}
}

func TestParseReadmeTable(t *testing.T) {
	readme := "intro\n" + ReadmeStart + "\n" + MarkdownTable() + ReadmeEnd + "\nrest\n"
	rows, err := parseReadmeTable(readme)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(Fields()) {
		t.Fatalf("got %d rows, want %d", len(rows), len(Fields()))
	}
	if got, want := rows[1], [3]string{"DATABASE_PATH", "meetbot.db", "Path of the SQLite database file."}; got != want {
		t.Errorf("row 1 = %q, want %q", got, want)
	}
	if got := splitRow(`| a \| b | c | d |`); got != [3]string{"a | b", "c", "d"} {
		t.Errorf("splitRow with an escaped pipe = %q", got)
	}

	replaced, err := ReplaceReadmeTable("a\n" + ReadmeStart + "\nold\n" + ReadmeEnd + "\nb\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := "a\n" + ReadmeStart + "\n" + MarkdownTable() + ReadmeEnd + "\nb\n"; replaced != want {
		t.Errorf("ReplaceReadmeTable =\n%s\nwant\n%s", replaced, want)
	}
	if _, err := ReplaceReadmeTable("no markers"); err == nil {
		t.Error("ReplaceReadmeTable without markers: want an error")
	}
}

func TestParseEnvExample(t *testing.T) {
	got, err := parseEnvExample(EnvExample() + "\nPAGE_SIZE=8\n")
	if err != nil {
		t.Fatal(err)
	}
	if got["PAGE_SIZE"] != "8" || got["TELEGRAM_BOT_TOKEN"] != "" || got["CACHE_TTL"] != "10m" {
		t.Errorf("parsed %v", got)
	}
	if _, err := parseEnvExample("PAGE_SIZE=8\nPAGE_SIZE=9\n"); err == nil {
		t.Error("conflicting duplicates: want an error")
	}
	got, _ = parseEnvExample(`REDIS_URL="redis://x"` + "\n")
	if got["REDIS_URL"] != "redis://x" {
		t.Errorf("quoted value parsed as %q", got["REDIS_URL"])
	}
}
