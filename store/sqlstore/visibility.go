package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"meetbot/store"
)

// namedIDs returns "@p0, @p1, …" and the named arguments for ids.
func namedIDs(prefix string, ids []int64) (string, []any) {
	names := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		n := fmt.Sprintf("%s%d", prefix, i)
		names[i], args[i] = "@"+n, sql.Named(n, id)
	}
	return strings.Join(names, ", "), args
}

// Who sees a restricted record is written once per kind, as the
// condition that one of the viewer's units is concerned (concerned);
// visible and hidden are built from it. The viewer's unit ids are written
// into the SQL as numbers (they are int64s, never text), so the
// conditions sit inside statements with positional or named arguments
// alike.

// recordKind names a kind's table alias and its restricted column.
type recordKind struct {
	alias string // "d", "m", "p"
	// concerned is the condition that one of the units in (list) is
	// concerned by the record.
	concerned func(list string) string
}

var (
	directiveRule = recordKind{"d", func(in string) string {
		return `EXISTS (SELECT 1 FROM assignments va WHERE va.directive_id = d.id AND va.unit_id IN (` + in + `))`
	}}
	meetingRule = recordKind{"m", func(in string) string {
		return `(COALESCE(m.organiser_id, 0) IN (` + in + `) OR EXISTS (SELECT 1 FROM meeting_units vm WHERE vm.meeting_id = m.id AND vm.unit_id IN (` + in + `)))`
	}}
	programRule = recordKind{"p", func(in string) string {
		return `(COALESCE(p.owner_id, 0) IN (` + in + `) OR EXISTS (SELECT 1 FROM directives vd JOIN assignments va ON va.directive_id = vd.id
			WHERE vd.program_id = p.id AND va.unit_id IN (` + in + `)))`
	}}
)

// unitList writes the viewer's units as "3, 7".
func unitList(v store.Viewer) string {
	in := make([]string, len(v.Units))
	for i, u := range v.Units {
		in[i] = strconv.FormatInt(u, 10)
	}
	return strings.Join(in, ", ")
}

// visible returns the condition that keeps the records of the kind v may
// see; "" for an administrator.
func (k recordKind) visible(v store.Viewer) string {
	switch {
	case v.Admin:
		return ""
	case len(v.Units) == 0:
		return k.alias + `.restricted = 0`
	}
	return `(` + k.alias + `.restricted = 0 OR ` + k.concerned(unitList(v)) + `)`
}

// hidden is the negation of visible: the records v may not see; "" for an
// administrator.
func (k recordKind) hidden(v store.Viewer) string {
	switch {
	case v.Admin:
		return ""
	case len(v.Units) == 0:
		return k.alias + `.restricted = 1`
	}
	return k.alias + `.restricted = 1 AND NOT ` + k.concerned(unitList(v))
}

func directiveVisible(v store.Viewer) string { return directiveRule.visible(v) }
func directiveHidden(v store.Viewer) string  { return directiveRule.hidden(v) }
func meetingVisible(v store.Viewer) string   { return meetingRule.visible(v) }
func programVisible(v store.Viewer) string   { return programRule.visible(v) }

// adminViewer sees everything: details count all of a record's directives.
var adminViewer = store.NewViewer(true)

// andVisible is " AND " and directiveVisible(v), or "" for an
// administrator.
func andVisible(v store.Viewer) string {
	if vis := directiveVisible(v); vis != "" {
		return ` AND ` + vis
	}
	return ""
}

// hiddenQuery returns a query of the search rows of the restricted
// records v may not see, "" for an administrator. SQLite runs it once per
// statement, over the indexes of restricted rows (few).
func hiddenQuery(v store.Viewer) string {
	if v.Admin {
		return ""
	}
	return `SELECT -(d.id * 4 + 1) AS r FROM directives d WHERE ` + directiveRule.hidden(v) + `
		UNION ALL SELECT -(m.id * 4 + 0) FROM meetings m WHERE ` + meetingRule.hidden(v) + `
		UNION ALL SELECT -(p.id * 4 + 2) FROM programs p WHERE ` + programRule.hidden(v)
}

// hiddenAmong returns which of rows are hidden from v (see hiddenQuery).
func hiddenAmong(ctx context.Context, q querier, v store.Viewer, rows []int64) (map[int64]bool, error) {
	hq := hiddenQuery(v)
	if hq == "" || len(rows) == 0 {
		return nil, nil
	}
	args := make([]any, len(rows))
	for i, r := range rows {
		args[i] = r
	}
	res, err := q.QueryContext(ctx, `SELECT r FROM (`+hq+`) WHERE r IN (`+placeholders(len(rows))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("hidden rows: %w", err)
	}
	defer res.Close()
	out := map[int64]bool{}
	for res.Next() {
		var r int64
		if err := res.Scan(&r); err != nil {
			return nil, err
		}
		out[r] = true
	}
	return out, res.Err()
}
