package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"meetbot/store"
)

// Search index rows have rowid = id*kinds + kind, so one record's row is
// found (and replaced) by rowid, and rowid order is id order.
const kinds = 4

var kindIndex = map[store.RecordKind]int64{
	store.RecordMeeting:   0,
	store.RecordDirective: 1,
	store.RecordProgram:   2,
	store.RecordUnit:      3,
}

var kindOf = []store.RecordKind{store.RecordMeeting, store.RecordDirective, store.RecordProgram, store.RecordUnit}

func searchRowID(k store.RecordKind, id int64) int64 { return id*kinds + kindIndex[k] }

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// indexRecord (re)writes the search row of one record. title is what
// ranks as the record's title or name; body is everything else worth
// finding it by. fresh says the record was just created, so it has no
// row to replace.
func indexRecord(ctx context.Context, tx execer, fresh bool, k store.RecordKind, id int64, title, body string) error {
	if err := writeIndex(ctx, tx, []indexRow{newIndexRow(fresh, k, id, title, body)}); err != nil {
		return fmt.Errorf("index %s %d: %w", k, id, err)
	}
	return nil
}

// indexRow is one pending write of the search index.
type indexRow struct {
	rowid       int64
	replace     bool // the record may have a row already
	title, body string
}

func newIndexRow(fresh bool, k store.RecordKind, id int64, title, body string) indexRow {
	return indexRow{rowid: searchRowID(k, id), replace: !fresh, title: store.Lower(title), body: store.Lower(body)}
}

// writeIndex writes rows in multi-row statements. FTS5 flushes its
// pending terms to a new segment at every statement, so one statement
// per record left an import with one tiny segment per record to merge.
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
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_fts WHERE rowid IN (`+placeholders(n)+`)`, del[:n]...); err != nil {
			return fmt.Errorf("index: delete: %w", err)
		}
		del = del[n:]
	}
	for len(rows) > 0 {
		n := min(len(rows), chunk)
		args := make([]any, 0, 5*n)
		for _, r := range rows[:n] {
			args = append(args, r.rowid, r.title, r.body, store.Fold(r.title), store.Fold(r.body))
		}
		q := `INSERT INTO search_fts(rowid, title_x, body_x, title_f, body_f) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", n), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("index: insert: %w", err)
		}
		rows = rows[n:]
	}
	return nil
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

// searchTiers returns the FTS5 queries of the ranking tiers 2–5 of
// store.SearchQuery, each excluding the rows of the tiers before it, and
// the query that matches every row of every tier (for the total).
func searchTiers(text string) (tiers []string, all string, ok bool) {
	exact := store.Tokens(store.Lower(text))
	folded := store.Tokens(store.Fold(text))
	if len(exact) == 0 || len(folded) == 0 {
		return nil, "", false
	}
	e, f := ftsExpr(exact), ftsExpr(folded)
	exactTitle := `{title_x}: (` + e + `)`
	exactAny := `{title_x body_x}: (` + e + `)`
	foldedTitle := `{title_f}: (` + f + `)`
	foldedAny := `{title_f body_f}: (` + f + `)`
	tiers = []string{
		exactTitle,
		exactAny + ` NOT ` + exactTitle,
		foldedTitle + ` NOT ` + exactAny,
		foldedAny + ` NOT ` + foldedTitle + ` NOT ` + exactAny,
	}
	return tiers, foldedAny, true
}

// Search implements store.Reader.
func (s *Store) Search(ctx context.Context, q store.SearchQuery) (store.Page[store.SearchHit], error) {
	offset, limit := store.ClampPage(q.Offset, q.Limit)
	page := store.Page[store.SearchHit]{Offset: offset, Limit: limit, Items: []store.SearchHit{}}
	tiers, all, ok := searchTiers(q.Text)
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
		kindCond = ` AND rowid % 4 IN (` + strings.Join(marks, ", ") + `)`
	}
	type hit struct {
		rowid int64
		match store.Match
	}
	need := offset + limit
	var hits []hit
	seen := map[int64]bool{}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH ?`+kindCond,
			append([]any{all}, kindArgs...)...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count: %w", err)
		}
		codes, err := s.codeMatches(ctx, tx, q.Text)
		if err != nil {
			return err
		}
		for _, rowid := range codes {
			if len(want) == 0 || want[kindOf[rowid%kinds]] {
				hits, seen[rowid] = append(hits, hit{rowid, store.MatchCode}), true
			}
		}
		for i, expr := range tiers {
			if len(hits) >= need {
				break
			}
			res, err := tx.QueryContext(ctx, `SELECT rowid FROM search_fts WHERE search_fts MATCH ?`+kindCond+
				` ORDER BY rowid DESC LIMIT ?`, append(append([]any{expr}, kindArgs...), need-len(hits)+len(codes))...)
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
		SELECT id * 4 + 1 FROM directives WHERE code_key = @lower
		UNION ALL SELECT id * 4 + 2 FROM programs WHERE code IN (@text, @lower)
		UNION ALL SELECT id * 4 + 0 FROM meetings WHERE key IN (@text, @lower)
		UNION ALL SELECT id * 4 + 3 FROM units WHERE code = @lower`,
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
		k := kindOf[r%kinds]
		byKind[k] = append(byKind[k], r/kinds)
	}
	out := make(map[int64]store.SearchHit, len(rowids))
	queries := map[store.RecordKind]string{
		store.RecordMeeting:   `SELECT id, key, title, starts_at, NULL, NULL FROM meetings WHERE id IN (%s)`,
		store.RecordDirective: `SELECT id, code, title, issued_on, deadline, completed_on FROM directives WHERE id IN (%s)`,
		store.RecordProgram:   `SELECT id, code, name, CASE WHEN start_year > 0 THEN printf('%%04d-01-01', start_year) END, NULL, NULL FROM programs WHERE id IN (%s)`,
		store.RecordUnit:      `SELECT id, code, name, NULL, NULL, NULL FROM units WHERE id IN (%s)`,
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
			)
			if err := res.Scan(&h.ID, &h.Code, &h.Title, &date, &dl, &completed); err != nil {
				res.Close()
				return nil, err
			}
			if k == store.RecordMeeting {
				h.Date = store.DateIn(decInstant(date), s.loc)
			} else {
				h.Date = decDate(date)
			}
			h.Deadline, h.CompletedOn = decDate(dl), decDate(completed)
			out[searchRowID(k, h.ID)] = h
		}
		res.Close()
		if err := res.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
