package sqlstore

import (
	"database/sql"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// Every word Search sends is one token for the index's tokenizer: each
// letter or digit of Go's tables either stays inside a word for SQLite
// too, or is in ftsSeparators. A new SQLite may change the set.
//
// Each candidate goes into an FTS5 table as "a<r>b", one document per
// rune; the vocabulary table then tells how many tokens each document
// became. It has nothing to race on and takes half a minute under the
// race detector, so .ci/run runs it once without.
func TestTokenizerAgrees(t *testing.T) {
	if raceEnabled {
		t.Skip("exhaustive and single-threaded: run without -race (.ci/run does)")
	}
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		`CREATE VIRTUAL TABLE f USING fts5(a, tokenize='unicode61 remove_diacritics 0')`,
		`CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var runes []rune
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			runes = append(runes, r)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	const chunk = 500
	for i := 0; i < len(runes); i += chunk {
		batch := runes[i:min(i+chunk, len(runes))]
		args := make([]any, 0, 2*len(batch))
		for _, r := range batch {
			args = append(args, int64(r), "a"+string(r)+"b")
		}
		q := `INSERT INTO f(rowid, a) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", len(batch)), ", ")
		if _, err := tx.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT doc FROM v GROUP BY doc HAVING COUNT(*) > 1 ORDER BY doc`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var splits []rune
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		splits = append(splits, rune(r))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var want []rune
	for r := range ftsSeparators {
		want = append(want, r)
	}
	slices.Sort(want)
	if !slices.Equal(splits, want) {
		t.Errorf("runes the tokenizer splits words at: %U; ftsSeparators holds %U", splits, want)
	}
}
