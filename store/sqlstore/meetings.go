package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"meetbot/store"
)

// meetingCols are the columns scanMeeting reads; the directive count is
// of the directives v may see.
func meetingCols(v store.Viewer) string {
	return `m.id, m.key, m.title, m.starts_at, m.ends_at, m.place, m.chair_name, m.chair_position,
	COALESCE(m.organiser_id, 0), m.summary, m.source, m.source_url, m.note, m.restricted, m.updated_at,
	(SELECT COUNT(*) FROM directives d WHERE d.meeting_id = m.id` + andVisible(v) + `)`
}

type meetingRow struct {
	store.Meeting
	organiserID int64
}

func scanMeeting(sc interface{ Scan(...any) error }) (meetingRow, error) {
	var (
		r                 meetingRow
		starts, ends, upd sql.NullString
		restricted        int64
	)
	err := sc.Scan(&r.ID, &r.Key, &r.Title, &starts, &ends, &r.Place, &r.ChairName, &r.ChairPosition,
		&r.organiserID, &r.Summary, &r.Source, &r.SourceURL, &r.Note, &restricted, &upd, &r.DirectiveCount)
	r.StartsAt, r.EndsAt, r.UpdatedAt = decInstant(starts), decInstant(ends), decInstant(upd)
	r.Restricted = restricted != 0
	return r, err
}

// fillMeetings loads organisers and attendees of the rows, with the names
// the units had on the meeting day.
func (s *Store) fillMeetings(ctx context.Context, q querier, rows []meetingRow) ([]store.Meeting, error) {
	if len(rows) == 0 {
		return []store.Meeting{}, nil
	}
	ids := make([]any, len(rows))
	unitIDs := make([]int64, 0, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		unitIDs = append(unitIDs, r.organiserID)
	}
	attendees := map[int64][]int64{}
	res, err := q.QueryContext(ctx, `SELECT meeting_id, unit_id FROM meeting_units WHERE meeting_id IN (`+placeholders(len(ids))+`) ORDER BY meeting_id, position`, ids...)
	if err != nil {
		return nil, err
	}
	defer res.Close()
	for res.Next() {
		var mid, uid int64
		if err := res.Scan(&mid, &uid); err != nil {
			return nil, err
		}
		attendees[mid] = append(attendees[mid], uid)
		unitIDs = append(unitIDs, uid)
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	units, err := unitsByID(ctx, q, unitIDs)
	if err != nil {
		return nil, err
	}
	out := make([]store.Meeting, len(rows))
	for i, r := range rows {
		m := r.Meeting
		day := store.DateIn(m.StartsAt, s.loc)
		m.Organiser = refAt(units, r.organiserID, day)
		for _, uid := range attendees[m.ID] {
			m.Attendees = append(m.Attendees, refAt(units, uid, day))
		}
		out[i] = m
	}
	return out, nil
}

// Meetings implements store.Reader.
func (s *Store) Meetings(ctx context.Context, f store.MeetingFilter) (store.Page[store.Meeting], error) {
	offset, limit := store.ClampPage(f.Offset, f.Limit)
	page := store.Page[store.Meeting]{Offset: offset, Limit: limit}
	var (
		conds []string
		args  []any
	)
	if !f.From.IsZero() {
		conds, args = append(conds, `m.starts_at >= @from`), append(args, sql.Named("from", encInstant(f.From)))
	}
	if !f.To.IsZero() {
		conds, args = append(conds, `m.starts_at < @to`), append(args, sql.Named("to", encInstant(f.To)))
	}
	if f.UnitID != 0 {
		conds = append(conds, `(m.organiser_id = @unit OR m.id IN (SELECT meeting_id FROM meeting_units WHERE unit_id = @unit))`)
		args = append(args, sql.Named("unit", f.UnitID))
	}
	if vis := meetingVisible(f.Viewer); vis != "" {
		conds = append(conds, vis)
	}
	where := ""
	if len(conds) > 0 {
		where = `WHERE ` + strings.Join(conds, ` AND `)
	}
	order := `ORDER BY m.starts_at, m.id`
	if f.Desc {
		order = `ORDER BY m.starts_at DESC, m.id DESC`
	}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM meetings m `+where, args...).Scan(&page.Total); err != nil {
			return err
		}
		res, err := tx.QueryContext(ctx, `SELECT `+meetingCols(f.Viewer)+` FROM meetings m `+where+` `+order+` LIMIT @limit OFFSET @offset`,
			append(args, sql.Named("limit", limit), sql.Named("offset", offset))...)
		if err != nil {
			return err
		}
		defer res.Close()
		var rows []meetingRow
		for res.Next() {
			r, err := scanMeeting(res)
			if err != nil {
				return err
			}
			rows = append(rows, r)
		}
		if err := res.Err(); err != nil {
			return err
		}
		page.Items, err = s.fillMeetings(ctx, tx, rows)
		return err
	})
	if err != nil {
		return page, fmt.Errorf("list meetings: %w", err)
	}
	return page, nil
}

// Meeting implements store.Reader.
func (s *Store) Meeting(ctx context.Context, id int64) (store.Meeting, error) {
	var m store.Meeting
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		r, err := scanMeeting(tx.QueryRowContext(ctx, `SELECT `+meetingCols(adminViewer)+` FROM meetings m WHERE m.id = ?`, id))
		if err != nil {
			return err
		}
		ms, err := s.fillMeetings(ctx, tx, []meetingRow{r})
		if err != nil {
			return err
		}
		m = ms[0]
		return nil
	})
	if errors.Is(err, sql.ErrNoRows) {
		return m, notFound("meeting %d", id)
	}
	if err != nil {
		return m, fmt.Errorf("load meeting %d: %w", id, err)
	}
	return m, nil
}
