package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"meetbot/store"
)

// audit writes one entry of the audit log in tx.
func audit(ctx context.Context, tx execer, at any, by store.Actor, kind store.RecordKind, id int64, action string, unitID int64, changes []store.FieldChange, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log(at, actor_id, actor_name, kind, record_id, action, unit_id, changes, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, at, by.ID, by.Name, string(kind), id, action, encID(unitID), store.MarshalChanges(changes), note)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

const pendingCols = `r.id, r.at, r.percent, r.note, r.doc_number, r.reporter, r.reporter_id, r.done, r.status,
	r.review_note, r.reviewed_by, r.reviewed_at, d.id, d.code, d.title, d.deadline, d.issued_on, a.unit_id`

const pendingFrom = ` FROM progress_reports r
	JOIN assignments a ON a.id = r.assignment_id
	JOIN directives d ON d.id = a.directive_id `

func scanReport(sc interface{ Scan(...any) error }, extra ...any) (store.ProgressReport, error) {
	var (
		p       store.ProgressReport
		at, rev sql.NullString
		done    int64
		status  string
	)
	err := sc.Scan(append([]any{&p.ID, &at, &p.Percent, &p.Note, &p.DocNumber, &p.Reporter, &p.ReporterID, &done, &status,
		&p.ReviewNote, &p.ReviewedBy, &rev}, extra...)...)
	p.At, p.ReviewedAt = decInstant(at), decInstant(rev)
	p.Done, p.Status = done != 0, store.ReportStatus(status)
	return p, err
}

// pendingReports reads reports with what they are about.
func (s *Store) pendingReports(ctx context.Context, q querier, where string, args ...any) ([]store.PendingReport, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+pendingCols+pendingFrom+where, args...)
	if err != nil {
		return nil, err
	}
	type row struct {
		pr     store.PendingReport
		issued sql.NullString
		unitID int64
	}
	var rs []row
	for rows.Next() {
		var (
			r        row
			deadline sql.NullString
		)
		r.pr.Report, err = scanReport(rows, &r.pr.DirectiveID, &r.pr.DirectiveCode, &r.pr.DirectiveTitle, &deadline, &r.issued, &r.unitID)
		if err != nil {
			rows.Close()
			return nil, err
		}
		r.pr.Deadline = decDate(deadline)
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.unitID
	}
	units, err := unitsByID(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	out := make([]store.PendingReport, len(rs))
	for i, r := range rs {
		r.pr.Unit = refAt(units, r.unitID, decDate(r.issued))
		out[i] = r.pr
	}
	return out, nil
}

// PendingReports implements store.Reader.
func (s *Store) PendingReports(ctx context.Context, f store.PendingFilter) (store.Page[store.PendingReport], error) {
	offset, limit := store.ClampPage(f.Offset, f.Limit)
	page := store.Page[store.PendingReport]{Offset: offset, Limit: limit, Items: []store.PendingReport{}}
	where := `WHERE r.status = 'pending'`
	args := []any{}
	if f.UnitID != 0 {
		where += ` AND a.unit_id = @unit`
		args = append(args, sql.Named("unit", f.UnitID))
	}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*)`+pendingFrom+where, args...).Scan(&page.Total); err != nil {
			return err
		}
		items, err := s.pendingReports(ctx, tx, where+` ORDER BY r.at, r.id LIMIT @limit OFFSET @offset`,
			append(args, sql.Named("limit", limit), sql.Named("offset", offset))...)
		if items != nil {
			page.Items = items
		}
		return err
	})
	if err != nil {
		return page, fmt.Errorf("list pending reports: %w", err)
	}
	return page, nil
}

// SubmitReport implements store.Writer.
func (s *Store) SubmitReport(ctx context.Context, in store.ReportInput) (store.PendingReport, error) {
	var out store.PendingReport
	if in.Percent < 0 || in.Percent > 100 {
		return out, fmt.Errorf("submit report: percent %d outside 0–100: %w", in.Percent, store.ErrInvalid)
	}
	if in.At.IsZero() {
		in.At = s.now()
	}
	if in.Done {
		in.Percent = 100
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		var aid int64
		var done sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT a.id, COALESCE(a.completed_on, d.closed_on) FROM assignments a JOIN directives d ON d.id = a.directive_id
			WHERE a.directive_id = ? AND a.unit_id = ?`, in.DirectiveID, in.UnitID).Scan(&aid, &done)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("assignment of unit %d to directive %d", in.UnitID, in.DirectiveID)
		}
		if err != nil {
			return err
		}
		if done.Valid {
			return fmt.Errorf("the unit's share was completed on %s: %w", done.String, store.ErrConflict)
		}
		if in.Done {
			var waiting int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM progress_reports WHERE assignment_id = ? AND done = 1 AND status = 'pending'`, aid).Scan(&waiting); err != nil {
				return err
			}
			if waiting > 0 {
				return store.ErrReportPending
			}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO progress_reports(assignment_id, at, percent, note, doc_number, reporter, reporter_id, done, status)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending') RETURNING id`,
			aid, encInstant(in.At), in.Percent, strings.TrimSpace(in.Note), strings.TrimSpace(in.DocNumber), in.By.Name, in.By.ID, encBool(in.Done)).Scan(&id); err != nil {
			return err
		}
		if err := refreshDirective(ctx, tx, in.DirectiveID, encInstant(s.now())); err != nil {
			return err
		}
		note := fmt.Sprintf("%d%%", in.Percent)
		if in.Done {
			note = "báo cáo hoàn thành"
		}
		if err := audit(ctx, tx, encInstant(s.now()), in.By, store.RecordDirective, in.DirectiveID, store.ActionReportSubmitted, in.UnitID, nil, note); err != nil {
			return err
		}
		ps, err := s.pendingReports(ctx, tx, `WHERE r.id = ?`, id)
		if err != nil || len(ps) == 0 {
			return fmt.Errorf("reload report %d: %v", id, err)
		}
		out = ps[0]
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("submit report on directive %d: %w", in.DirectiveID, err)
	}
	return out, nil
}

// ReviewReport implements store.Writer.
func (s *Store) ReviewReport(ctx context.Context, r store.Review) (store.PendingReport, error) {
	var out store.PendingReport
	r.Reason = strings.TrimSpace(r.Reason)
	if !r.Accept && r.Reason == "" {
		return out, fmt.Errorf("review report %d: returning a report needs a reason: %w", r.ReportID, store.ErrInvalid)
	}
	if r.At.IsZero() {
		r.At = s.now()
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		ps, err := s.pendingReports(ctx, tx, `WHERE r.id = ?`, r.ReportID)
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			return notFound("report %d", r.ReportID)
		}
		p := ps[0]
		if p.Report.Status != store.ReportPending {
			return fmt.Errorf("report %d was already %s: %w", r.ReportID, p.Report.Status, store.ErrConflict)
		}
		status, action := store.ReportReturned, store.ActionReportReturned
		if r.Accept {
			status, action = store.ReportConfirmed, store.ActionReportConfirmed
		}
		if _, err := tx.ExecContext(ctx, `UPDATE progress_reports SET status = ?, review_note = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?`,
			string(status), r.Reason, r.By.Name, encInstant(r.At), r.ReportID); err != nil {
			return err
		}
		if r.Accept && p.Report.Done {
			// The share counts as completed from the day the unit reported,
			// not the day the office got to it.
			if _, err := tx.ExecContext(ctx, `UPDATE assignments SET completed_at = ?, completed_on = ?, completion_note = ?
				WHERE directive_id = ? AND unit_id = ? AND completed_on IS NULL`,
				encInstant(p.Report.At), store.DateIn(p.Report.At, s.loc).String(), p.Report.Note, p.DirectiveID, p.Unit.ID); err != nil {
				return err
			}
		}
		if err := refreshDirective(ctx, tx, p.DirectiveID, encInstant(s.now())); err != nil {
			return err
		}
		if err := audit(ctx, tx, encInstant(r.At), r.By, store.RecordDirective, p.DirectiveID, action, p.Unit.ID, nil, r.Reason); err != nil {
			return err
		}
		ps, err = s.pendingReports(ctx, tx, `WHERE r.id = ?`, r.ReportID)
		if err != nil {
			return err
		}
		out = ps[0]
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("review report %d: %w", r.ReportID, err)
	}
	return out, nil
}

// ChangeDeadline implements store.Writer.
func (s *Store) ChangeDeadline(ctx context.Context, in store.DeadlineInput) (store.Directive, error) {
	if in.At.IsZero() {
		in.At = s.now()
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		var old sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT deadline FROM directives WHERE id = ?`, in.DirectiveID).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("directive %d", in.DirectiveID)
		}
		if err != nil {
			return err
		}
		if decDate(old) == in.Deadline {
			return fmt.Errorf("the deadline is already %s: %w", in.Deadline, store.ErrInvalid)
		}
		at := encInstant(in.At)
		if _, err := tx.ExecContext(ctx, `INSERT INTO deadline_changes(directive_id, old_deadline, new_deadline, reason, actor_id, actor_name, at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, in.DirectiveID, old, encDate(in.Deadline), strings.TrimSpace(in.Reason), in.By.ID, in.By.Name, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE directives SET deadline = ? WHERE id = ?`, encDate(in.Deadline), in.DirectiveID); err != nil {
			return err
		}
		if err := refreshDirective(ctx, tx, in.DirectiveID, encInstant(s.now())); err != nil {
			return err
		}
		ch := []store.FieldChange{{Field: "deadline", Old: decDate(old).String(), New: in.Deadline.String()}}
		return audit(ctx, tx, at, in.By, store.RecordDirective, in.DirectiveID, store.ActionDeadline, 0, ch, strings.TrimSpace(in.Reason))
	})
	if err != nil {
		return store.Directive{}, fmt.Errorf("change deadline of directive %d: %w", in.DirectiveID, err)
	}
	return s.Directive(ctx, in.DirectiveID)
}

// deadlineHistory loads the deadline changes of directive id.
func deadlineHistory(ctx context.Context, q querier, id int64) ([]store.DeadlineChange, error) {
	rows, err := q.QueryContext(ctx, `SELECT old_deadline, new_deadline, reason, actor_id, actor_name, at FROM deadline_changes
		WHERE directive_id = ? ORDER BY at, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.DeadlineChange
	for rows.Next() {
		var (
			c            store.DeadlineChange
			from, to, at sql.NullString
		)
		if err := rows.Scan(&from, &to, &c.Reason, &c.By.ID, &c.By.Name, &at); err != nil {
			return nil, err
		}
		c.From, c.To, c.At = decDate(from), decDate(to), decInstant(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// History implements store.Reader.
func (s *Store) History(ctx context.Context, kind store.RecordKind, id int64) ([]store.AuditEntry, error) {
	var out []store.AuditEntry
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, at, actor_id, actor_name, kind, record_id, action, COALESCE(unit_id, 0), changes, note
			FROM audit_log WHERE kind = ? AND record_id = ? ORDER BY id DESC`, string(kind), id)
		if err != nil {
			return err
		}
		var unitIDs []int64
		for rows.Next() {
			var (
				e       store.AuditEntry
				at      sql.NullString
				k       string
				changes string
			)
			if err := rows.Scan(&e.ID, &at, &e.Actor.ID, &e.Actor.Name, &k, &e.RecordID, &e.Action, &e.Unit.ID, &changes, &e.Note); err != nil {
				rows.Close()
				return err
			}
			e.At, e.Kind = decInstant(at), store.RecordKind(k)
			if changes != "" && changes != "[]" {
				if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
					rows.Close()
					return fmt.Errorf("audit %d changes: %w", e.ID, err)
				}
			}
			unitIDs = append(unitIDs, e.Unit.ID)
			out = append(out, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		units, err := unitsByID(ctx, tx, unitIDs)
		if err != nil {
			return err
		}
		for i := range out {
			out[i].Unit = refAt(units, out[i].Unit.ID, store.Date{})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history of %s %d: %w", kind, id, err)
	}
	return out, nil
}

// Stats implements store.Reader.
func (s *Store) Stats(ctx context.Context, q store.StatsQuery) ([]store.UnitStats, error) {
	if q.AsOf.IsZero() {
		return nil, fmt.Errorf("stats: AsOf is required: %w", store.ErrInvalid)
	}
	done := `COALESCE(a.completed_on, d.closed_on)`
	conds := []string{}
	args := []any{sql.Named("asof", q.AsOf.String())}
	if vis := directiveVisible(q.Viewer); vis != "" {
		conds = append(conds, vis)
	}
	if q.UnitID != 0 {
		conds, args = append(conds, `a.unit_id = @unit`), append(args, sql.Named("unit", q.UnitID))
	}
	where := ""
	if len(conds) > 0 {
		where = ` WHERE ` + strings.Join(conds, ` AND `)
	}
	sum := func(st store.Status) string { return `SUM(CASE WHEN ` + statusCond(st, done) + ` THEN 1 ELSE 0 END)` }
	query := `SELECT a.unit_id, ` + sum(store.StatusDoneOnTime) + `, ` + sum(store.StatusDoneLate) + `, ` + sum(store.StatusPending) + `, ` +
		sum(store.StatusOverdue) + `, ` + sum(store.StatusOngoing) + `
		FROM assignments a JOIN directives d ON d.id = a.directive_id` + where + ` GROUP BY a.unit_id`
	var out []store.UnitStats
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var us store.UnitStats
			c := &us.Counts
			if err := rows.Scan(&us.Unit.ID, &c.DoneOnTime, &c.DoneLate, &c.Pending, &c.Overdue, &c.Ongoing); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, us.Unit.ID)
			out = append(out, us)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		units, err := unitsByID(ctx, tx, ids)
		if err != nil {
			return err
		}
		byID := make([]store.Unit, 0, len(units))
		for _, u := range units {
			byID = append(byID, u)
		}
		sortUnits(byID)
		rank := map[int64]int{}
		for i, u := range byID {
			rank[u.ID] = i
		}
		for i := range out {
			out[i].Unit = refAt(units, out[i].Unit.ID, store.Date{})
		}
		sort.SliceStable(out, func(i, j int) bool { return rank[out[i].Unit.ID] < rank[out[j].Unit.ID] })
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	return out, nil
}

// Export implements store.Reader.
func (s *Store) Export(ctx context.Context, f store.ExportFilter) (*store.Dataset, error) {
	ds := &store.Dataset{}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		units, err := queryUnits(ctx, tx, ``)
		if err != nil {
			return err
		}
		sortUnits(units)
		byID := make(map[int64]store.Unit, len(units))
		for _, u := range units {
			byID[u.ID] = u
		}
		for _, u := range units {
			ds.Units = append(ds.Units, store.UnitRecord{Code: u.Code, Name: u.Name, Kind: u.Kind, Parent: byID[u.ParentID].Code,
				Aliases: u.Aliases, FormerNames: u.FormerNames, ActiveFrom: u.ActiveFrom, ActiveTo: u.ActiveTo, Successor: byID[u.SuccessorID].Code})
		}
		prows, err := tx.QueryContext(ctx, `SELECT `+programCols(f.Viewer)+` FROM programs p ORDER BY p.id`)
		if err != nil {
			return err
		}
		programCodes := map[int64]string{}
		for prows.Next() {
			p, owner, err := scanProgram(prows)
			if err != nil {
				prows.Close()
				return err
			}
			programCodes[p.ID] = p.Code
			ds.Programs = append(ds.Programs, store.ProgramRecord{Code: p.Code, Name: p.Name, Kind: p.Kind, StartYear: p.StartYear,
				EndYear: p.EndYear, VisionYear: p.VisionYear, Owner: byID[owner].Code, Description: p.Description, Restricted: p.Restricted})
		}
		prows.Close()
		if err := prows.Err(); err != nil {
			return err
		}
		// Directives, with their meetings. A meeting the viewer may not
		// see is left out, and so is a directive's link to it: an export
		// made for anyone but an administrator is not for importing back.
		join, where, _, args, err := directiveQuery(store.DirectiveFilter{Viewer: f.Viewer})
		if err != nil {
			return err
		}
		if len(f.DirectiveIDs) > 0 {
			in, idArgs := namedIDs("ex", f.DirectiveIDs)
			if where == "" {
				where = ` WHERE d.id IN (` + in + `)`
			} else {
				where += ` AND d.id IN (` + in + `)`
			}
			args = append(args, idArgs...)
		}
		drows, err := tx.QueryContext(ctx, `SELECT `+directiveCols+directiveFrom+join+where+` ORDER BY d.id`, args...)
		if err != nil {
			return err
		}
		var dirs []store.Directive
		for drows.Next() {
			d, err := scanDirective(drows)
			if err != nil {
				drows.Close()
				return err
			}
			dirs = append(dirs, d)
		}
		drows.Close()
		if err := drows.Err(); err != nil {
			return err
		}
		for start := 0; start < len(dirs); start += 500 {
			if err := s.fillAssignments(ctx, tx, dirs[start:min(start+500, len(dirs))], true, byID); err != nil {
				return err
			}
		}
		var mconds []string
		var margs []any
		mvis := meetingVisible(f.Viewer)
		if mvis != "" {
			mconds = append(mconds, mvis)
		}
		var meetingIDs []int64
		if len(f.DirectiveIDs) > 0 {
			// Only the meetings of the directives exported, read by id
			// rather than all of them read and most dropped.
			seen := map[int64]bool{}
			for _, d := range dirs {
				if d.MeetingID != 0 && !seen[d.MeetingID] {
					seen[d.MeetingID] = true
					meetingIDs = append(meetingIDs, d.MeetingID)
				}
			}
			in, idArgs := namedIDs("mx", meetingIDs)
			mconds, margs = append(mconds, `m.id IN (`+in+`)`), append(margs, idArgs...)
		}
		var mlist []meetingRow
		if len(f.DirectiveIDs) == 0 || len(meetingIDs) > 0 {
			mwhere := ""
			if len(mconds) > 0 {
				mwhere = ` WHERE ` + strings.Join(mconds, ` AND `)
			}
			mrows, err := tx.QueryContext(ctx, `SELECT `+meetingCols(f.Viewer)+` FROM meetings m`+mwhere+` ORDER BY m.starts_at, m.id`, margs...)
			if err != nil {
				return err
			}
			for mrows.Next() {
				r, err := scanMeeting(mrows)
				if err != nil {
					mrows.Close()
					return err
				}
				mlist = append(mlist, r)
			}
			mrows.Close()
			if err := mrows.Err(); err != nil {
				return err
			}
		}
		meetings, err := s.fillMeetings(ctx, tx, mlist)
		if err != nil {
			return err
		}
		meetingKeys := map[int64]string{}
		for _, m := range meetings {
			meetingKeys[m.ID] = m.Key
			rec := store.MeetingRecord{Key: m.Key, Title: m.Title, StartsAt: m.StartsAt.In(s.loc).Format(time.RFC3339), Place: m.Place,
				ChairName: m.ChairName, ChairPosition: m.ChairPosition, Organiser: m.Organiser.Code, Summary: m.Summary,
				Source: m.Source, SourceURL: m.SourceURL, Note: m.Note, Restricted: m.Restricted}
			if !m.EndsAt.IsZero() {
				rec.EndsAt = m.EndsAt.In(s.loc).Format(time.RFC3339)
			}
			for _, a := range m.Attendees {
				rec.Attendees = append(rec.Attendees, a.Code)
			}
			ds.Meetings = append(ds.Meetings, rec)
		}
		for _, d := range dirs {
			rec := store.DirectiveRecord{Code: d.Code, Title: d.Title, Body: d.Body, IssuerName: d.IssuerName, IssuerPosition: d.IssuerPosition,
				IssuedOn: d.IssuedOn, Meeting: meetingKeys[d.MeetingID], SourceDoc: d.SourceDoc, Program: programCodes[d.ProgramID],
				Deadline: d.Deadline, DeadlineNote: d.DeadlineNote, ClosedOn: d.ClosedOn, Restricted: d.Restricted, Reminders: d.Reminders}
			for _, a := range d.Assignments {
				ar := store.AssignmentRecord{Unit: byID[a.Unit.ID].Code, Role: a.Role, CompletedOn: a.CompletedOn, CompletionNote: a.CompletionNote}
				for _, r := range a.Reports {
					if r.Status != store.ReportConfirmed {
						continue
					}
					ar.Reports = append(ar.Reports, store.ReportRecord{At: r.At.In(s.loc).Format(time.RFC3339), Percent: r.Percent,
						Note: r.Note, DocNumber: r.DocNumber, Reporter: r.Reporter})
				}
				rec.Assignments = append(rec.Assignments, ar)
			}
			ds.Directives = append(ds.Directives, rec)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return ds, nil
}
