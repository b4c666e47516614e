package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
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

// hiddenRows returns the search rows of the restricted records v may not
// see (restricted records are few, and indexed).
func hiddenRows(ctx context.Context, q querier, v store.Viewer) ([]int64, error) {
	if v.Admin {
		return nil, nil
	}
	dv, dargs := directiveVisible(v)
	mv, margs := meetingVisible(v)
	pv, pargs := programVisible(v)
	args := append(append(dargs, margs...), pargs...)
	query := `SELECT -(d.id * 4 + 1) FROM directives d WHERE d.restricted = 1 AND NOT ` + dv + `
		UNION ALL SELECT -(m.id * 4 + 0) FROM meetings m WHERE m.restricted = 1 AND NOT ` + mv + `
		UNION ALL SELECT -(p.id * 4 + 2) FROM programs p WHERE p.restricted = 1 AND NOT ` + pv
	rows, err := q.QueryContext(ctx, query, dedupeNamed(args)...)
	if err != nil {
		return nil, fmt.Errorf("hidden rows: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// dedupeNamed drops repeated named arguments (the same viewer units in
// several conditions).
func dedupeNamed(args []any) []any {
	seen := map[string]bool{}
	out := args[:0:0]
	for _, a := range args {
		if n, ok := a.(sql.NamedArg); ok {
			if seen[n.Name] {
				continue
			}
			seen[n.Name] = true
		}
		out = append(out, a)
	}
	return out
}
