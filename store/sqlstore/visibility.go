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

// directiveVisible returns the condition on directive d that keeps what v
// may see, and its arguments; "" for an administrator.
func directiveVisible(v store.Viewer) (string, []any) {
	switch {
	case v.Admin:
		return "", nil
	case len(v.Units) == 0:
		return `d.restricted = 0`, nil
	}
	in, args := namedIDs("vu", v.Units)
	return `(d.restricted = 0 OR EXISTS (SELECT 1 FROM assignments va WHERE va.directive_id = d.id AND va.unit_id IN (` + in + `)))`, args
}

// directiveHidden is the negation of directiveVisible: the condition on
// directive d that keeps what v may not see; "" for an administrator.
func directiveHidden(v store.Viewer) (string, []any) {
	switch {
	case v.Admin:
		return "", nil
	case len(v.Units) == 0:
		return `d.restricted = 1`, nil
	}
	in, args := namedIDs("vu", v.Units)
	return `d.restricted = 1 AND NOT EXISTS (SELECT 1 FROM assignments va WHERE va.directive_id = d.id AND va.unit_id IN (` + in + `))`, args
}

// meetingVisible is directiveVisible for meeting m: its organiser and
// attendees see it.
func meetingVisible(v store.Viewer) (string, []any) {
	switch {
	case v.Admin:
		return "", nil
	case len(v.Units) == 0:
		return `m.restricted = 0`, nil
	}
	in, args := namedIDs("vu", v.Units)
	return `(m.restricted = 0 OR m.organiser_id IN (` + in + `) OR EXISTS (SELECT 1 FROM meeting_units vm WHERE vm.meeting_id = m.id AND vm.unit_id IN (` + in + `)))`, args
}

// programVisible is directiveVisible for program p: its owner and the
// units assigned to its directives see it.
func programVisible(v store.Viewer) (string, []any) {
	switch {
	case v.Admin:
		return "", nil
	case len(v.Units) == 0:
		return `p.restricted = 0`, nil
	}
	in, args := namedIDs("vu", v.Units)
	return `(p.restricted = 0 OR p.owner_id IN (` + in + `) OR EXISTS (SELECT 1 FROM directives vd JOIN assignments va ON va.directive_id = vd.id
		WHERE vd.program_id = p.id AND va.unit_id IN (` + in + `)))`, args
}

// hiddenQuery returns a query of the search rows of the restricted
// records v may not see, "" for an administrator. The viewer's unit ids
// are written into it as numbers (they are int64s, never text), so the
// query can sit inside statements with positional arguments; SQLite runs
// it once per statement, over the indexes of restricted rows (few).
func hiddenQuery(v store.Viewer) string {
	if v.Admin {
		return ""
	}
	in := make([]string, len(v.Units))
	for i, u := range v.Units {
		in[i] = strconv.FormatInt(u, 10)
	}
	units := strings.Join(in, ", ")
	dv, mv, pv := "", "", ""
	if len(v.Units) > 0 {
		dv = ` AND NOT EXISTS (SELECT 1 FROM assignments va WHERE va.directive_id = d.id AND va.unit_id IN (` + units + `))`
		mv = ` AND COALESCE(m.organiser_id, 0) NOT IN (` + units + `) AND NOT EXISTS (SELECT 1 FROM meeting_units vm WHERE vm.meeting_id = m.id AND vm.unit_id IN (` + units + `))`
		pv = ` AND COALESCE(p.owner_id, 0) NOT IN (` + units + `) AND NOT EXISTS (SELECT 1 FROM directives vd JOIN assignments va ON va.directive_id = vd.id
			WHERE vd.program_id = p.id AND va.unit_id IN (` + units + `))`
	}
	return `SELECT -(d.id * 4 + 1) AS r FROM directives d WHERE d.restricted = 1` + dv + `
		UNION ALL SELECT -(m.id * 4 + 0) FROM meetings m WHERE m.restricted = 1` + mv + `
		UNION ALL SELECT -(p.id * 4 + 2) FROM programs p WHERE p.restricted = 1` + pv
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
