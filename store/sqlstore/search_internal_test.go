package sqlstore

import (
	"database/sql"
	"slices"
	"testing"
	"unicode"
)

// Every word Search sends is one token for the index's tokenizer: each
// letter or digit of Go's tables either stays inside a word for SQLite
// too, or is in ftsSeparators. A new SQLite may change the set.
func TestTokenizerAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("walks every code point")
	}
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE VIRTUAL TABLE f USING fts5(a, detail=column, tokenize='unicode61 remove_diacritics 0')`); err != nil {
		t.Fatal(err)
	}
	st, err := db.Prepare(`SELECT count(*) FROM f WHERE f MATCH ?`)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var splits []rune
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
			continue
		}
		var n int
		if err := st.QueryRow(`"a` + string(r) + `b"`).Scan(&n); err != nil {
			splits = append(splits, r)
		}
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
