package config

import (
	"fmt"
	"reflect"
	"strings"
)

// Field describes one setting, as declared by the tags of a Config field.
type Field struct {
	Env         string // variable name, e.g. "DATABASE_PATH"
	Default     string // envDefault, "" when there is none
	Description string // one line of English
	Secret      bool   // masked whole when printed
	index       int    // position in Config
}

// Fields returns the settings in the order Config declares them. It
// panics if a field lacks an env or desc tag: a programming error that
// the package's tests catch.
func Fields() []Field {
	t := reflect.TypeFor[Config]()
	out := make([]Field, 0, t.NumField())
	for i := range t.NumField() {
		sf := t.Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("env"), ",")
		desc := sf.Tag.Get("desc")
		if key == "" || desc == "" {
			panic(fmt.Sprintf("config: field %s needs env and desc tags", sf.Name))
		}
		out = append(out, Field{
			Env:         key,
			Default:     sf.Tag.Get("envDefault"),
			Description: desc,
			Secret:      sf.Tag.Get("secret") == "true",
			index:       i,
		})
	}
	return out
}

// EnvExample returns the contents of .env.example: every variable,
// commented out, set to its default and preceded by its description.
func EnvExample() string {
	var b strings.Builder
	b.WriteString("# meetbot configuration. Copy to .env (or export the variables) and\n")
	b.WriteString("# uncomment what you change; unset variables take the defaults shown.\n")
	b.WriteString("# Generated from config/config.go by: go test ./config -update-docs\n")
	for _, f := range Fields() {
		fmt.Fprintf(&b, "\n# %s\n# %s=%s\n", f.Description, f.Env, envQuote(f.Default))
	}
	return b.String()
}

// MarkdownTable returns the README's configuration table (Variable,
// Default, Description), without the markers around it.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| Variable | Default | Description |\n")
	b.WriteString("| --- | --- | --- |\n")
	for _, f := range Fields() {
		def := "(empty)"
		if f.Default != "" {
			def = "`" + f.Default + "`"
		}
		desc := strings.ReplaceAll(f.Description, "|", `\|`)
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", f.Env, def, desc)
	}
	return b.String()
}

// Markers delimit the generated configuration table in README.md.
const (
	ReadmeStart = "<!-- config:start -->"
	ReadmeEnd   = "<!-- config:end -->"
)

// ReplaceReadmeTable returns readme with the text between ReadmeStart and
// ReadmeEnd replaced by MarkdownTable, or an error if the markers are
// missing or out of order.
func ReplaceReadmeTable(readme string) (string, error) {
	before, rest, ok := strings.Cut(readme, ReadmeStart)
	if !ok {
		return "", fmt.Errorf("README: no %s marker", ReadmeStart)
	}
	_, after, ok := strings.Cut(rest, ReadmeEnd)
	if !ok {
		return "", fmt.Errorf("README: no %s marker after %s", ReadmeEnd, ReadmeStart)
	}
	return before + ReadmeStart + "\n" + MarkdownTable() + ReadmeEnd + after, nil
}

// envQuote quotes a value that a shell (or a .env loader) would split or
// expand: one with spaces, globs or quotes, such as a cron expression.
func envQuote(v string) string {
	if !strings.ContainsAny(v, " \t*?$'\"#`\\") {
		return v
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`").Replace(v) + `"`
}
