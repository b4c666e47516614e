package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"meetbot/store"
)

// Search index rows have rowid = -(id*kinds + kind): one record's row is
// found (and replaced) by rowid, and ascending rowid order, the order
// FTS5 scans in, is newest first.
const kinds = 4

var kindIndex = map[store.RecordKind]int64{
	store.RecordMeeting:   0,
	store.RecordDirective: 1,
	store.RecordProgram:   2,
	store.RecordUnit:      3,
}

var kindOf = []store.RecordKind{store.RecordMeeting, store.RecordDirective, store.RecordProgram, store.RecordUnit}

func searchRowID(k store.RecordKind, id int64) int64 { return -(id*kinds + kindIndex[k]) }

// fromRowID returns the kind and id of a search row.
func fromRowID(rowid int64) (store.RecordKind, int64) {
	v := -rowid
	return kindOf[v%kinds], v / kinds
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// indexRow is one pending write of the search index.
type indexRow struct {
	rowid       int64
	replace     bool // the record may have a row already
	title, body string
}

// newIndexRow is the search row of one record. title is what ranks as
// the record's title or name; body is everything else worth finding it
// by. fresh says the record was just created, so it has no row to
// replace.
func newIndexRow(fresh bool, k store.RecordKind, id int64, title, body string) indexRow {
	return indexRow{rowid: searchRowID(k, id), replace: !fresh, title: store.Lower(title), body: store.Lower(body)}
}

// writeIndex writes rows to both indexes in multi-row statements. FTS5
// flushes its pending terms to a new segment at every statement, so one
// statement per record left an import with one tiny segment per record
// to merge.
func writeIndex(ctx context.Context, tx execer, rows []indexRow) error {
	const chunk = 500
	var del []any
	for _, r := range rows {
		if r.replace {
			del = append(del, r.rowid)
		}
	}
	for len(del) > 0 {
		n := min(len(del), chunk)
		for _, table := range []string{"search_exact", "search_folded"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE rowid IN (`+placeholders(n)+`)`, del[:n]...); err != nil {
				return fmt.Errorf("index: delete: %w", err)
			}
		}
		del = del[n:]
	}
	for len(rows) > 0 {
		n := min(len(rows), chunk)
		exact := make([]any, 0, 3*n)
		folded := make([]any, 0, 3*n)
		for _, r := range rows[:n] {
			exact = append(exact, r.rowid, r.title, r.body)
			folded = append(folded, r.rowid, store.Fold(r.title), store.Fold(r.body))
		}
		values := strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", n), ", ")
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_exact(rowid, title, body) VALUES `+values, exact...); err != nil {
			return fmt.Errorf("index: insert: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_folded(rowid, title, body) VALUES `+values, folded...); err != nil {
			return fmt.Errorf("index: insert: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// ftsSeparators are the letters and digits of Go's Unicode tables that
// SQLite's unicode61 tokenizer, on older tables, treats as separators
// (spacing marks of New Tai Lue and Vedic). A quoted word holding one
// would be two tokens, a phrase, which the index (detail=column) refuses;
// TestTokenizerAgrees checks the list against the tokenizer.
var ftsSeparators = map[rune]bool{
	0x19B0: true, 0x19B1: true, 0x19B2: true, 0x19B3: true, 0x19B4: true, 0x19B5: true, 0x19B6: true,
	0x19B7: true, 0x19B8: true, 0x19B9: true, 0x19BA: true, 0x19BB: true, 0x19BC: true, 0x19BD: true,
	0x19BE: true, 0x19BF: true, 0x19C0: true, 0x19C8: true, 0x19C9: true, 0x1CF2: true, 0x1CF3: true,
}

// ftsWords splits words where the index's tokenizer would.
func ftsWords(words []string) []string {
	var out []string
	for _, w := range words {
		out = append(out, strings.FieldsFunc(w, func(r rune) bool { return ftsSeparators[r] })...)
	}
	return out
}

// ftsExpr turns words into an FTS5 expression that matches rows holding
// every word, the last one also as a prefix. Words hold only letters and
// digits (store.Tokens), and are quoted besides, so no input is syntax.
func ftsExpr(words []string) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + strings.ReplaceAll(w, `"`, `""`) + `"`)
		if i == len(words)-1 {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// ftsCommand runs an FTS5 special command ("'merge', -16") on both
// indexes.
func ftsCommand(ctx context.Context, tx execer, args string) error {
	for _, t := range []string{"search_exact", "search_folded"} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+t+`(`+t+`, rank) VALUES (`+args+`)`); err != nil {
			return err
		}
	}
	return nil
}

// ftsQuery is one full-text query: a table and a MATCH expression.
type ftsQuery struct{ table, match string }

// searchTiers returns the queries of the ranking tiers 2–5 of
// store.SearchQuery; the last one matches every row of every tier (it
// counts the total). A tier's query also matches rows of earlier tiers;
// Search skips those, which is exact because it asks a tier only after
// the earlier ones ran out (so all their rows are known). Queries with NOT
// would have said the same, but cannot stop early.
func searchTiers(text string) ([]ftsQuery, bool) {
	exact := ftsWords(store.Tokens(store.Lower(text)))
	folded := ftsWords(store.Tokens(store.Fold(text)))
	if len(exact) == 0 || len(folded) == 0 {
		return nil, false
	}
	e, f := ftsExpr(exact), ftsExpr(folded)
	return []ftsQuery{
		{"search_exact", `{title}: (` + e + `)`},
		{"search_exact", e},
		{"search_folded", `{title}: (` + f + `)`},
		{"search_folded", f},
	}, true
}

// Search implements store.Reader.
func (s *Store) Search(ctx context.Context, q store.SearchQuery) (store.Page[store.SearchHit], error) {
	offset, limit := store.ClampPage(q.Offset, q.Limit)
	page := store.Page[store.SearchHit]{Offset: offset, Limit: limit, Items: []store.SearchHit{}}
	tiers, ok := searchTiers(q.Text)
	if !ok {
		return page, nil
	}
	kindCond, kindArgs := "", []any{}
	want := map[store.RecordKind]bool{}
	if len(q.Kinds) > 0 {
		var marks []string
		for _, k := range q.Kinds {
			if idx, known := kindIndex[k]; known && !want[k] {
				want[k] = true
				marks, kindArgs = append(marks, "?"), append(kindArgs, idx)
			}
		}
		if len(marks) == 0 {
			return page, nil
		}
		kindCond = ` AND (-rowid) % 4 IN (` + strings.Join(marks, ", ") + `)`
	}
	type hit struct {
		rowid int64
		match store.Match
	}
	need := offset + limit
	var hits []hit
	seen := map[int64]bool{}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if hq := hiddenQuery(q.Viewer); hq != "" {
			kindCond += ` AND rowid NOT IN (` + hq + `)`
		}
		all := tiers[len(tiers)-1]
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM `+all.table+` WHERE `+all.table+` MATCH ?`+kindCond+` LIMIT ?)`,
			append(append([]any{all.match}, kindArgs...), store.SearchTotalCap+1)...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count: %w", err)
		}
		if page.Total > store.SearchTotalCap {
			page.Total, page.Capped = store.SearchTotalCap, true
		}
		codes, err := s.codeMatches(ctx, tx, q.Text)
		if err != nil {
			return err
		}
		hidden, err := hiddenAmong(ctx, tx, q.Viewer, codes)
		if err != nil {
			return err
		}
		for _, rowid := range codes {
			if hidden[rowid] {
				continue
			}
			if k, _ := fromRowID(rowid); len(want) == 0 || want[k] {
				hits, seen[rowid] = append(hits, hit{rowid, store.MatchCode}), true
			}
		}
		for i, tier := range tiers {
			if len(hits) >= need || (!page.Capped && len(seen) >= page.Total) {
				break // enough, or every match already found
			}
			// Enough rows for what is missing, plus the rows of earlier
			// tiers this one also matches (all of them are in seen).
			limit := need - len(hits) + len(seen)
			res, err := tx.QueryContext(ctx, `SELECT rowid FROM `+tier.table+` WHERE `+tier.table+` MATCH ?`+kindCond+
				` ORDER BY rowid LIMIT ?`, append(append([]any{tier.match}, kindArgs...), limit)...)
			if err != nil {
				return fmt.Errorf("tier %d: %w", i+2, err)
			}
			for res.Next() && len(hits) < need {
				var rowid int64
				if err := res.Scan(&rowid); err != nil {
					res.Close()
					return err
				}
				if !seen[rowid] {
					hits, seen[rowid] = append(hits, hit{rowid, store.MatchExactTitle + store.Match(i)}), true
				}
			}
			res.Close()
			if err := res.Err(); err != nil {
				return err
			}
		}
		if offset >= len(hits) {
			return nil
		}
		hits = hits[offset:]
		rowids := make([]int64, len(hits))
		for i, h := range hits {
			rowids[i] = h.rowid
		}
		found, err := s.hydrateHits(ctx, tx, rowids)
		if err != nil {
			return err
		}
		for _, h := range hits {
			if sh, ok := found[h.rowid]; ok {
				sh.Match = h.match
				page.Items = append(page.Items, sh)
			}
		}
		return nil
	})
	if err != nil {
		return page, fmt.Errorf("search %q: %w", q.Text, err)
	}
	if page.Total < offset+len(page.Items) {
		page.Total = offset + len(page.Items)
	}
	return page, nil
}

// codeMatches returns the search rows of records whose code (or key)
// equals text, ignoring case.
func (s *Store) codeMatches(ctx context.Context, tx *sql.Tx, text string) ([]int64, error) {
	t := strings.TrimSpace(text)
	if t == "" {
		return nil, nil
	}
	lower := store.Lower(t)
	res, err := tx.QueryContext(ctx, `
		SELECT -(id * 4 + 1) FROM directives WHERE code_key = @lower
		UNION ALL SELECT -(id * 4 + 2) FROM programs WHERE code IN (@text, @lower)
		UNION ALL SELECT -(id * 4 + 0) FROM meetings WHERE key IN (@text, @lower)
		UNION ALL SELECT -(id * 4 + 3) FROM units WHERE code = @lower`,
		sql.Named("text", t), sql.Named("lower", lower))
	if err != nil {
		return nil, fmt.Errorf("code matches: %w", err)
	}
	defer res.Close()
	var out []int64
	for res.Next() {
		var rowid int64
		if err := res.Scan(&rowid); err != nil {
			return nil, err
		}
		out = append(out, rowid)
	}
	return out, res.Err()
}

// hydrateHits loads what a hit shows for each search row.
func (s *Store) hydrateHits(ctx context.Context, q querier, rowids []int64) (map[int64]store.SearchHit, error) {
	byKind := map[store.RecordKind][]any{}
	for _, r := range rowids {
		k, id := fromRowID(r)
		byKind[k] = append(byKind[k], id)
	}
	out := make(map[int64]store.SearchHit, len(rowids))
	queries := map[store.RecordKind]string{
		store.RecordMeeting:   `SELECT id, key, title, starts_at, NULL, NULL, restricted FROM meetings WHERE id IN (%s)`,
		store.RecordDirective: `SELECT id, code, title, issued_on, deadline, completed_on, restricted FROM directives WHERE id IN (%s)`,
		store.RecordProgram:   `SELECT id, code, name, CASE WHEN start_year > 0 THEN printf('%%04d-01-01', start_year) END, NULL, NULL, restricted FROM programs WHERE id IN (%s)`,
		store.RecordUnit:      `SELECT id, code, name, NULL, NULL, NULL, 0 FROM units WHERE id IN (%s)`,
	}
	for k, ids := range byKind {
		res, err := q.QueryContext(ctx, fmt.Sprintf(queries[k], placeholders(len(ids))), ids...)
		if err != nil {
			return nil, fmt.Errorf("load %s hits: %w", k, err)
		}
		for res.Next() {
			var (
				h                   = store.SearchHit{Kind: k}
				date, dl, completed sql.NullString
				restricted          int64
			)
			if err := res.Scan(&h.ID, &h.Code, &h.Title, &date, &dl, &completed, &restricted); err != nil {
				res.Close()
				return nil, err
			}
			if k == store.RecordMeeting {
				h.Date = store.DateIn(decInstant(date), s.loc)
			} else {
				h.Date = decDate(date)
			}
			h.Deadline, h.CompletedOn = decDate(dl), decDate(completed)
			h.Restricted = restricted != 0
			out[searchRowID(k, h.ID)] = h
		}
		res.Close()
		if err := res.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
