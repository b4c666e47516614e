package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"meetbot/store"
)

// bulkImport is the size from which an import defers index merging.
const bulkImport = 2000

// Import implements store.Writer.
func (s *Store) Import(ctx context.Context, ds *store.Dataset, by store.Actor) (store.ImportResult, error) {
	var res store.ImportResult
	if err := ds.Validate(s.loc); err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		ptx := &preparedTx{tx: tx, stmts: map[string]*sql.Stmt{}}
		defer ptx.close()
		im := &importRun{ctx: ctx, tx: ptx, s: s, now: encInstant(s.now()), by: by}
		if len(ds.Directives)+len(ds.Meetings) > bulkImport {
			// Merging index segments as rows arrive cost a sixth of a
			// large import; merge once at the end instead.
			if err := ftsCommand(ctx, tx, "'automerge', 0"); err != nil {
				return fmt.Errorf("pause index merging: %w", err)
			}
			defer func() { _ = ftsCommand(ctx, tx, "'automerge', 4") }()
		}
		steps := []func(*store.Dataset) error{im.loadKeys, im.units, im.programs, im.meetings, im.directives}
		for _, step := range steps {
			if err := step(ds); err != nil {
				return err
			}
		}
		if len(im.errs) > 0 {
			return im.errs
		}
		if err := writeIndex(ctx, ptx, im.index); err != nil {
			return err
		}
		if len(ds.Directives)+len(ds.Meetings) > bulkImport {
			if err := ftsCommand(ctx, tx, "'merge', -16"); err != nil {
				return fmt.Errorf("merge index: %w", err)
			}
		}
		res = im.res
		return nil
	})
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("import: %w", err)
	}
	return res, nil
}

// preparedTx prepares each distinct statement once per transaction: an
// import runs the same dozen statements for every record, and parsing
// SQL was most of its time.
type preparedTx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (p *preparedTx) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := p.stmts[q]; ok {
		return st, nil
	}
	st, err := p.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	p.stmts[q] = st
	return st, nil
}

// ExecContext runs q as a prepared statement.
func (p *preparedTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := p.prepare(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext runs q as a prepared statement.
func (p *preparedTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := p.prepare(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs q as a prepared statement.
func (p *preparedTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := p.prepare(ctx, q)
	if err != nil {
		return p.tx.QueryRowContext(ctx, q, args...) // reports the same error on Scan
	}
	return st.QueryRowContext(ctx, args...)
}

func (p *preparedTx) close() {
	for _, st := range p.stmts {
		_ = st.Close()
	}
}

// importRun is the state of one Import transaction.
type importRun struct {
	ctx  context.Context
	tx   *preparedTx
	s    *Store
	now  any // updated_at for changed rows
	errs store.ImportErrors
	res  store.ImportResult
	// index collects search rows, written together at the end.
	index []indexRow
	// by is who imports: every change is audited as theirs.
	by store.Actor
	// changes holds the field changes of the last upsert.
	changes []store.FieldChange

	// unitIDs, programIDs and meetingIDs map codes and keys to ids: the
	// stored records the dataset names (loadKeys), and those it writes.
	unitIDs, programIDs, meetingIDs map[string]int64
}

// fail records a problem p with its args (see store.Problem), and msg
// for its English wording.
func (im *importRun) fail(rec, field string, p store.Problem, msg string, args ...string) {
	im.errs = append(im.errs, store.ImportError{Record: rec, Field: field, Msg: msg, Problem: p, Args: args})
}

// stmt returns a prepared statement for q, prepared once per import.
func (im *importRun) stmt(q string) (*sql.Stmt, error) { return im.tx.prepare(im.ctx, q) }

func (im *importRun) exec(q string, args ...any) error {
	_, err := im.tx.ExecContext(im.ctx, q, args...)
	return err
}

// loadKeys reads the ids of the stored units, programs and meetings that
// ds refers to by code or key (the records ds itself holds get theirs as
// they are written). A record saved from chat names a few; reading every
// key of the office (13,500 at the scale data set) was nine tenths of
// such an import.
func (im *importRun) loadKeys(ds *store.Dataset) error {
	units, programs, meetings := map[string]bool{}, map[string]bool{}, map[string]bool{}
	add := func(set map[string]bool, codes ...string) {
		for _, c := range codes {
			if c = strings.TrimSpace(c); c != "" {
				set[c] = true
			}
		}
	}
	for _, u := range ds.Units {
		add(units, u.Parent, u.Successor)
	}
	for _, p := range ds.Programs {
		add(units, p.Owner)
	}
	for _, m := range ds.Meetings {
		add(units, m.Organiser)
		add(units, m.Attendees...)
	}
	for _, d := range ds.Directives {
		add(meetings, d.Meeting)
		add(programs, d.Program)
		for _, a := range d.Assignments {
			add(units, a.Unit)
		}
	}
	load := func(table, col string, set map[string]bool) (map[string]int64, error) {
		m := make(map[string]int64, len(set))
		keys := make([]any, 0, len(set))
		for k := range set {
			keys = append(keys, k)
		}
		for len(keys) > 0 {
			n := min(len(keys), 500)
			rows, err := im.tx.QueryContext(im.ctx, `SELECT `+col+`, id FROM `+table+` WHERE `+col+` IN (`+placeholders(n)+`)`, keys[:n]...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var k string
				var id int64
				if err := rows.Scan(&k, &id); err != nil {
					rows.Close()
					return nil, err
				}
				m[k] = id
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
			keys = keys[n:]
		}
		return m, nil
	}
	var err error
	if im.unitIDs, err = load("units", "code", units); err != nil {
		return fmt.Errorf("load unit codes: %w", err)
	}
	if im.programIDs, err = load("programs", "code", programs); err != nil {
		return fmt.Errorf("load program codes: %w", err)
	}
	if im.meetingIDs, err = load("meetings", "key", meetings); err != nil {
		return fmt.Errorf("load meeting keys: %w", err)
	}
	return nil
}

// ref resolves a code to an id, recording an error naming the record and
// field when it is unknown. An empty code gives nil (no reference).
func (im *importRun) ref(ids map[string]int64, what, code, rec, field string) (any, bool) {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, true
	}
	id, ok := ids[code]
	if !ok {
		im.fail(rec, field, store.ProblemUnknown, fmt.Sprintf("unknown %s %q", what, code), what, code)
		return nil, false
	}
	return id, true
}

// outcome of writing one row.
type outcome uint8

const (
	unchanged outcome = iota
	created
	updated
)

func count(c *store.ImportCounts, o outcome) {
	switch o {
	case created:
		c.Created++
	case updated:
		c.Updated++
	default:
		c.Unchanged++
	}
}

// upsert writes the row of table whose keyCol equals key: inserts it when
// absent, updates it when a column differs, and otherwise leaves it (and
// its updated_at) alone. vals hold only string, int64 or nil.
func (im *importRun) upsert(table, keyCol string, key any, cols []string, vals []any) (int64, outcome, error) {
	st, err := im.stmt(`SELECT id, ` + strings.Join(cols, ", ") + ` FROM ` + table + ` WHERE ` + keyCol + ` = ?`)
	if err != nil {
		return 0, 0, err
	}
	cur := make([]any, len(cols)+1)
	ptrs := make([]any, len(cur))
	for i := range cur {
		ptrs[i] = &cur[i]
	}
	err = st.QueryRowContext(im.ctx, key).Scan(ptrs...)
	if errors.Is(err, sql.ErrNoRows) {
		q := `INSERT INTO ` + table + `(` + keyCol + `, ` + strings.Join(cols, ", ") + `, updated_at) VALUES (` + placeholders(len(cols)+2) + `) RETURNING id`
		ins, err := im.stmt(q)
		if err != nil {
			return 0, 0, err
		}
		var id int64
		if err := ins.QueryRowContext(im.ctx, append(append([]any{key}, vals...), im.now)...).Scan(&id); err != nil {
			return 0, 0, err
		}
		im.changes = nil
		return id, created, nil
	}
	if err != nil {
		return 0, 0, err
	}
	id := cur[0].(int64)
	im.changes = diffValues(cols, cur[1:], vals)
	if len(im.changes) == 0 {
		return id, unchanged, nil
	}
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = ?"
	}
	q := `UPDATE ` + table + ` SET ` + strings.Join(sets, ", ") + `, updated_at = ? WHERE id = ?`
	if err := im.exec(q, append(append(vals, im.now), id)...); err != nil {
		return 0, 0, err
	}
	return id, updated, nil
}

// diffValues returns the columns whose stored value differs from the new
// one, for the audit log.
func diffValues(cols []string, cur, vals []any) []store.FieldChange {
	var out []store.FieldChange
	for i := range vals {
		a, b := cur[i], vals[i]
		if ab, ok := a.([]byte); ok {
			a = string(ab)
		}
		if a != b {
			out = append(out, store.FieldChange{Field: cols[i], Old: valueText(a), New: valueText(b)})
		}
	}
	return out
}

func valueText(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// auditRecord records a created or updated record as the import's.
func (im *importRun) auditRecord(kind store.RecordKind, id int64, o outcome, changes []store.FieldChange) error {
	switch o {
	case created:
		return audit(im.ctx, im.tx, im.now, im.by, kind, id, store.ActionCreated, 0, nil, "")
	case updated:
		return audit(im.ctx, im.tx, im.now, im.by, kind, id, store.ActionUpdated, 0, changes, "")
	}
	return nil
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func nonEmpty(ss []string) []string {
	out := []string{}
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (im *importRun) units(ds *store.Dataset) error {
	ids := make([]int64, len(ds.Units))
	outs := make([]outcome, len(ds.Units))
	unitChanges := make([][]store.FieldChange, len(ds.Units))
	// First every unit, so parents and successors may come later in the
	// file; then the references between units.
	for i, u := range ds.Units {
		formers := u.FormerNames
		if formers == nil {
			formers = []store.UnitName{}
		}
		id, o, err := im.upsert("units", "code", u.Code,
			[]string{"name", "kind", "aliases", "former_names", "active_from", "active_to"},
			[]any{strings.TrimSpace(u.Name), string(u.Kind), jsonText(nonEmpty(u.Aliases)), jsonText(formers), encDate(u.ActiveFrom), encDate(u.ActiveTo)})
		if err != nil {
			return fmt.Errorf("%s: %w", store.RecordName("units", i, u.Code), err)
		}
		ids[i], outs[i] = id, o
		unitChanges[i] = im.changes
		im.unitIDs[u.Code] = id
	}
	for i, u := range ds.Units {
		rec := store.RecordName("units", i, u.Code)
		parent, ok1 := im.ref(im.unitIDs, "unit", u.Parent, rec, "parent")
		succ, ok2 := im.ref(im.unitIDs, "unit", u.Successor, rec, "successor")
		if !ok1 || !ok2 {
			continue
		}
		_, o, err := im.upsert("units", "id", ids[i], []string{"parent_id", "successor_id"}, []any{parent, succ})
		if err != nil {
			return fmt.Errorf("%s: %w", rec, err)
		}
		if o == updated {
			unitChanges[i] = append(unitChanges[i], im.changes...)
			if outs[i] == unchanged {
				outs[i] = updated
			}
		}
		if outs[i] != unchanged {
			if err := im.reindexUnit(ids[i]); err != nil {
				return fmt.Errorf("%s: %w", rec, err)
			}
			if err := im.auditRecord(store.RecordUnit, ids[i], outs[i], unitChanges[i]); err != nil {
				return err
			}
		}
		count(&im.res.Units, outs[i])
	}
	return nil
}

func (im *importRun) reindexUnit(id int64) error {
	us, err := queryUnits(im.ctx, im.tx, `WHERE u.id = ?`, id)
	if err != nil || len(us) == 0 {
		return fmt.Errorf("reload unit %d: %v", id, err)
	}
	u := us[0]
	if err := im.exec(`DELETE FROM unit_keys WHERE unit_id = ?`, id); err != nil {
		return err
	}
	for _, k := range unitKeys(u) {
		if err := im.exec(`INSERT INTO unit_keys(key, unit_id) VALUES (?, ?)`, k, id); err != nil {
			return err
		}
	}
	names := []string{u.Name}
	for _, n := range u.FormerNames {
		names = append(names, n.Name)
	}
	names = append(names, u.Aliases...)
	im.index = append(im.index, newIndexRow(false, store.RecordUnit, id, strings.Join(names, " · "), u.Code))
	return nil
}

func (im *importRun) programs(ds *store.Dataset) error {
	for i, p := range ds.Programs {
		rec := store.RecordName("programs", i, p.Code)
		owner, ok := im.ref(im.unitIDs, "unit", p.Owner, rec, "owner")
		if !ok {
			continue
		}
		id, o, err := im.upsert("programs", "code", p.Code,
			[]string{"name", "kind", "start_year", "end_year", "vision_year", "owner_id", "description", "restricted"},
			[]any{strings.TrimSpace(p.Name), p.Kind, int64(p.StartYear), int64(p.EndYear), int64(p.VisionYear), owner, p.Description, encBool(p.Restricted)})
		if err != nil {
			return fmt.Errorf("%s: %w", rec, err)
		}
		im.programIDs[p.Code] = id
		if o != unchanged {
			im.index = append(im.index, newIndexRow(o == created, store.RecordProgram, id, p.Code+" "+p.Name, p.Kind+" "+p.Description))
			if err := im.auditRecord(store.RecordProgram, id, o, im.changes); err != nil {
				return err
			}
		}
		count(&im.res.Programs, o)
	}
	return nil
}

func (im *importRun) meetings(ds *store.Dataset) error {
	for i, m := range ds.Meetings {
		rec := store.RecordName("meetings", i, m.Key)
		organiser, ok := im.ref(im.unitIDs, "unit", m.Organiser, rec, "organiser")
		attendees := make([]int64, 0, len(m.Attendees))
		for j, code := range m.Attendees {
			id, okj := im.ref(im.unitIDs, "unit", code, rec, fmt.Sprintf("attendees[%d]", j))
			ok = ok && okj
			if okj && id != nil {
				attendees = append(attendees, id.(int64))
			}
		}
		if !ok {
			continue
		}
		starts, _ := store.ParseTime(m.StartsAt, im.s.loc) // validated
		var ends time.Time
		if m.EndsAt != "" {
			ends, _ = store.ParseTime(m.EndsAt, im.s.loc)
		}
		id, o, err := im.upsert("meetings", "key", m.Key,
			[]string{"title", "starts_at", "ends_at", "place", "chair_name", "chair_position", "organiser_id", "summary", "source", "source_url", "note", "restricted"},
			[]any{strings.TrimSpace(m.Title), encInstant(starts), encInstant(ends), m.Place, m.ChairName, m.ChairPosition, organiser, m.Summary, m.Source, m.SourceURL, m.Note, encBool(m.Restricted)})
		if err != nil {
			return fmt.Errorf("%s: %w", rec, err)
		}
		im.meetingIDs[m.Key] = id
		changes := im.changes
		changedAtt, err := im.setAttendees(id, attendees)
		if err != nil {
			return fmt.Errorf("%s: attendees: %w", rec, err)
		}
		if changedAtt && o != created {
			changes = append(changes, store.FieldChange{Field: "attendees"})
		}
		if o == unchanged && changedAtt {
			o = updated
			if err := im.exec(`UPDATE meetings SET updated_at = ? WHERE id = ?`, im.now, id); err != nil {
				return err
			}
		}
		if err := im.auditRecord(store.RecordMeeting, id, o, changes); err != nil {
			return err
		}
		if o != unchanged {
			body := strings.Join([]string{m.Place, m.ChairName, m.ChairPosition, m.Summary, m.Source, m.Note}, " ")
			im.index = append(im.index, newIndexRow(o == created, store.RecordMeeting, id, m.Title, body))
		}
		count(&im.res.Meetings, o)
	}
	return nil
}

// setAttendees makes the meeting's attendees exactly units, in order, and
// reports whether anything changed.
func (im *importRun) setAttendees(meetingID int64, units []int64) (bool, error) {
	rows, err := im.tx.QueryContext(im.ctx, `SELECT unit_id FROM meeting_units WHERE meeting_id = ? ORDER BY position`, meetingID)
	if err != nil {
		return false, err
	}
	var cur []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return false, err
		}
		cur = append(cur, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	if slices.Equal(cur, units) {
		return false, nil
	}
	if err := im.exec(`DELETE FROM meeting_units WHERE meeting_id = ?`, meetingID); err != nil {
		return false, err
	}
	seen := map[int64]bool{}
	for pos, id := range units {
		if seen[id] {
			continue
		}
		seen[id] = true
		if err := im.exec(`INSERT INTO meeting_units(meeting_id, unit_id, position) VALUES (?, ?, ?)`, meetingID, id, pos); err != nil {
			return false, err
		}
	}
	return true, nil
}

func (im *importRun) directives(ds *store.Dataset) error {
	for i, d := range ds.Directives {
		rec := store.RecordName("directives", i, d.Code)
		meeting, ok1 := im.ref(im.meetingIDs, "meeting", d.Meeting, rec, "meeting")
		program, ok2 := im.ref(im.programIDs, "program", d.Program, rec, "program")
		units := make([]int64, len(d.Assignments))
		ok := ok1 && ok2
		for j, a := range d.Assignments {
			id, okj := im.ref(im.unitIDs, "unit", a.Unit, rec, fmt.Sprintf("assignments[%d].unit", j))
			ok = ok && okj
			if okj && id != nil {
				units[j] = id.(int64)
			}
		}
		if !ok {
			continue
		}
		id, o, err := im.upsert("directives", "code_key", codeKey(d.Code),
			[]string{"code", "title", "body", "issuer_name", "issuer_position", "issued_on", "meeting_id", "source_doc", "program_id", "deadline", "deadline_note", "closed_on", "restricted", "reminders"},
			[]any{strings.TrimSpace(d.Code), strings.TrimSpace(d.Title), d.Body, d.IssuerName, d.IssuerPosition, encDate(d.IssuedOn), meeting, d.SourceDoc, program, encDate(d.Deadline), d.DeadlineNote, encDate(d.ClosedOn), encBool(d.Restricted), encReminders(d.Reminders)})
		if err != nil {
			return fmt.Errorf("%s: %w", rec, err)
		}
		changes := im.changes
		changedAsg, err := im.assignments(rec, id, o == created, d, units)
		if err != nil {
			return fmt.Errorf("%s: %w", rec, err)
		}
		if changedAsg && o != created {
			changes = append(changes, store.FieldChange{Field: "assignments"})
		}
		if o != unchanged || changedAsg {
			if err := refreshDirective(im.ctx, im.tx, id, im.now); err != nil {
				return fmt.Errorf("%s: %w", rec, err)
			}
			if o == unchanged {
				o = updated
			}
		}
		if err := im.auditRecord(store.RecordDirective, id, o, changes); err != nil {
			return err
		}
		if o != unchanged {
			body := strings.Join([]string{d.Body, d.IssuerName, d.IssuerPosition, d.SourceDoc}, " ")
			im.index = append(im.index, newIndexRow(o == created, store.RecordDirective, id, d.Code+" "+d.Title, body))
		}
		count(&im.res.Directives, o)
	}
	return nil
}

// assignments brings the directive's assignments in line with the
// record: units added or their role changed, units no longer listed
// removed (unless they have progress, which an import never deletes),
// completions and reports in the record added. It reports whether
// anything changed. fresh says the directive was just created: there is
// nothing to compare with, so rows are inserted without looking first.
func (im *importRun) assignments(rec string, directiveID int64, fresh bool, d store.DirectiveRecord, units []int64) (bool, error) {
	type cur struct {
		id, reports int64
		done        bool
	}
	existing := map[int64]cur{}
	if !fresh {
		rows, err := im.tx.QueryContext(im.ctx, `SELECT unit_id, id, (SELECT COUNT(*) FROM progress_reports r WHERE r.assignment_id = assignments.id),
			completed_on IS NOT NULL FROM assignments WHERE directive_id = ?`, directiveID)
		if err != nil {
			return false, err
		}
		for rows.Next() {
			var uid int64
			var c cur
			if err := rows.Scan(&uid, &c.id, &c.reports, &c.done); err != nil {
				rows.Close()
				return false, err
			}
			existing[uid] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, err
		}
	}
	changed := false
	listed := map[int64]bool{}
	for j, a := range d.Assignments {
		uid := units[j]
		listed[uid] = true
		role := a.Role
		if role == "" {
			role = store.RoleLead
		}
		aid, o, err := im.upsertAssignment(directiveID, uid, string(role), int64(j), fresh)
		if err != nil {
			return false, err
		}
		changed = changed || o != unchanged
		if !a.CompletedOn.IsZero() {
			c, err := im.complete(aid, a, o == created)
			if err != nil {
				return false, err
			}
			changed = changed || c
		}
		for k, r := range a.Reports {
			at, _ := store.ParseTime(r.At, im.s.loc) // validated
			c, err := im.upsertReport(aid, encInstant(at), r, o == created)
			if err != nil {
				return false, fmt.Errorf("assignments[%d].reports[%d]: %w", j, k, err)
			}
			changed = changed || c
		}
	}
	for uid, c := range existing {
		if listed[uid] {
			continue
		}
		if c.reports > 0 || c.done {
			code, err := im.unitCode(uid)
			if err != nil {
				return false, err
			}
			im.fail(rec, "assignments", store.ProblemHasProgress, fmt.Sprintf("unit %s has recorded progress and cannot be removed by an import", code), code)
			continue
		}
		if err := im.exec(`DELETE FROM assignments WHERE id = ?`, c.id); err != nil {
			return false, err
		}
		changed = true
	}
	return changed, nil
}

// complete records the completion day the file gives for an assignment
// (at the start of that day in the office's zone) and reports whether it
// changed anything. fresh says the assignment was just created.
func (im *importRun) complete(aid int64, a store.AssignmentRecord, fresh bool) (bool, error) {
	day, at := a.CompletedOn.String(), encInstant(a.CompletedOn.Start(im.s.loc))
	q := `UPDATE assignments SET completed_on = ?, completed_at = ?, completion_note = ? WHERE id = ?`
	args := []any{day, at, a.CompletionNote, aid}
	if !fresh {
		q += ` AND (completed_on IS NOT ? OR completion_note IS NOT ?)`
		args = append(args, day, a.CompletionNote)
	}
	res, err := im.tx.ExecContext(im.ctx, q, args...)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// unitCode returns the code of the stored unit id, for a problem's
// wording.
func (im *importRun) unitCode(id int64) (string, error) {
	var code string
	if err := im.tx.QueryRowContext(im.ctx, `SELECT code FROM units WHERE id = ?`, id).Scan(&code); err != nil {
		return "", fmt.Errorf("unit %d: %w", id, err)
	}
	return code, nil
}

// upsertAssignment writes the unit's assignment; fresh says the directive
// was just created, so the assignment cannot exist yet.
func (im *importRun) upsertAssignment(directiveID, unitID int64, role string, pos int64, fresh bool) (int64, outcome, error) {
	var (
		id      int64
		curRole string
		curPos  int64
		err     = sql.ErrNoRows
	)
	if !fresh {
		err = im.tx.QueryRowContext(im.ctx, `SELECT id, role, position FROM assignments WHERE directive_id = ? AND unit_id = ?`,
			directiveID, unitID).Scan(&id, &curRole, &curPos)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err := im.tx.QueryRowContext(im.ctx, `INSERT INTO assignments(directive_id, unit_id, role, position) VALUES (?, ?, ?, ?) RETURNING id`,
			directiveID, unitID, role, pos).Scan(&id)
		if err != nil {
			return 0, 0, err
		}
		return id, created, nil
	case err != nil:
		return 0, 0, err
	case curRole == role && curPos == pos:
		return id, unchanged, nil
	}
	if err := im.exec(`UPDATE assignments SET role = ?, position = ? WHERE id = ?`, role, pos, id); err != nil {
		return 0, 0, err
	}
	return id, updated, nil
}

// upsertReport adds the report, matched by (assignment, at), or updates
// it when its fields differ; it reports whether anything changed. fresh
// says the assignment was just created and has no reports yet.
func (im *importRun) upsertReport(assignmentID int64, at any, r store.ReportRecord, fresh bool) (bool, error) {
	var (
		id                  int64
		percent             int64
		note, doc, reporter string
		err                 = sql.ErrNoRows
	)
	if !fresh {
		err = im.tx.QueryRowContext(im.ctx, `SELECT id, percent, note, doc_number, reporter FROM progress_reports WHERE assignment_id = ? AND at = ? ORDER BY id LIMIT 1`,
			assignmentID, at).Scan(&id, &percent, &note, &doc, &reporter)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return true, im.exec(`INSERT INTO progress_reports(assignment_id, at, percent, note, doc_number, reporter) VALUES (?, ?, ?, ?, ?, ?)`,
			assignmentID, at, int64(r.Percent), r.Note, r.DocNumber, r.Reporter)
	case err != nil:
		return false, err
	case percent == int64(r.Percent) && note == r.Note && doc == r.DocNumber && reporter == r.Reporter:
		return false, nil
	}
	return true, im.exec(`UPDATE progress_reports SET percent = ?, note = ?, doc_number = ?, reporter = ? WHERE id = ?`,
		int64(r.Percent), r.Note, r.DocNumber, r.Reporter, id)
}

// refreshDirective recomputes the derived columns of a directive and its
// assignments and stamps it updated.
func refreshDirective(ctx context.Context, tx execer, id int64, now any) error {
	if _, err := tx.ExecContext(ctx, `UPDATE assignments SET
		report_count = (SELECT COUNT(*) FROM progress_reports r WHERE r.assignment_id = assignments.id AND r.status = 'confirmed'),
		percent = CASE WHEN completed_on IS NOT NULL THEN 100 ELSE COALESCE(
			(SELECT r.percent FROM progress_reports r WHERE r.assignment_id = assignments.id AND r.status = 'confirmed'
			 ORDER BY r.at DESC, r.id DESC LIMIT 1), 0) END
		WHERE directive_id = ?`, id); err != nil {
		return fmt.Errorf("refresh assignments: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE directives SET updated_at = ?, completed_on = COALESCE(closed_on,
		CASE WHEN NOT EXISTS (SELECT 1 FROM assignments a WHERE a.directive_id = directives.id AND a.completed_on IS NULL)
		THEN (SELECT MAX(a.completed_on) FROM assignments a WHERE a.directive_id = directives.id) END)
		WHERE id = ?`, now, id); err != nil {
		return fmt.Errorf("refresh directive: %w", err)
	}
	return nil
}

// RecordProgress implements store.Writer.
func (s *Store) RecordProgress(ctx context.Context, p store.ProgressInput) (store.Directive, error) {
	if p.Percent < 0 || p.Percent > 100 {
		return store.Directive{}, fmt.Errorf("record progress: percent %d outside 0–100: %w", p.Percent, store.ErrInvalid)
	}
	if p.At.IsZero() {
		p.At = s.now()
	}
	if p.Done {
		p.Percent = 100
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		var aid int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM assignments WHERE directive_id = ? AND unit_id = ?`, p.DirectiveID, p.UnitID).Scan(&aid)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("assignment of unit %d to directive %d", p.UnitID, p.DirectiveID)
		}
		if err != nil {
			return err
		}
		at := encInstant(p.At)
		if _, err := tx.ExecContext(ctx, `INSERT INTO progress_reports(assignment_id, at, percent, note, doc_number, reporter, reporter_id, done, status)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'confirmed')`,
			aid, at, p.Percent, strings.TrimSpace(p.Note), strings.TrimSpace(p.DocNumber), p.By.Name, p.By.ID, encBool(p.Done)); err != nil {
			return err
		}
		note := fmt.Sprintf("%d%%", p.Percent)
		if p.Done {
			note = "hoàn thành"
		}
		if err := audit(ctx, tx, encInstant(s.now()), p.By, store.RecordDirective, p.DirectiveID, store.ActionProgress, p.UnitID, nil, note); err != nil {
			return err
		}
		if p.Done {
			// The first completion stands; a second "done" is only a report.
			if _, err := tx.ExecContext(ctx, `UPDATE assignments SET completed_at = ?, completed_on = ?, completion_note = ?
				WHERE id = ? AND completed_on IS NULL`, at, store.DateIn(p.At, s.loc).String(), strings.TrimSpace(p.Note), aid); err != nil {
				return err
			}
		}
		return refreshDirective(ctx, tx, p.DirectiveID, encInstant(s.now()))
	})
	if err != nil {
		return store.Directive{}, fmt.Errorf("record progress on directive %d: %w", p.DirectiveID, err)
	}
	return s.Directive(ctx, p.DirectiveID)
}
