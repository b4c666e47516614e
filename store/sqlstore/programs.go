package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"meetbot/store"
)

// programCols are the columns scanProgram reads; the directive count is
// of the directives v may see.
func programCols(v store.Viewer) string {
	return `p.id, p.code, p.name, p.kind, p.start_year, p.end_year, p.vision_year, COALESCE(p.owner_id, 0),
	p.description, p.restricted, p.updated_at, (SELECT COUNT(*) FROM directives d WHERE d.program_id = p.id` + andVisible(v) + `)`
}

func scanProgram(sc interface{ Scan(...any) error }) (store.Program, int64, error) {
	var (
		p          store.Program
		owner      int64
		restricted int64
		upd        sql.NullString
	)
	err := sc.Scan(&p.ID, &p.Code, &p.Name, &p.Kind, &p.StartYear, &p.EndYear, &p.VisionYear, &owner,
		&p.Description, &restricted, &upd, &p.DirectiveCount)
	p.Restricted = restricted != 0
	p.UpdatedAt = decInstant(upd)
	return p, owner, err
}

// Programs implements store.Reader. A program is a living record, so its
// owner carries the unit's current name. Programs are few (tens to hundreds),
// so they are ordered in Go with Vietnamese collation and paged there.
func (s *Store) Programs(ctx context.Context, f store.ProgramFilter) (store.Page[store.Program], error) {
	offset, limit := store.ClampPage(f.Offset, f.Limit)
	page := store.Page[store.Program]{Offset: offset, Limit: limit, Items: []store.Program{}}
	var all []store.Program
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		where := programVisible(f.Viewer)
		if where != "" {
			where = ` WHERE ` + where
		}
		res, err := tx.QueryContext(ctx, `SELECT `+programCols(f.Viewer)+` FROM programs p`+where)
		if err != nil {
			return err
		}
		var owners []int64
		for res.Next() {
			p, owner, err := scanProgram(res)
			if err != nil {
				res.Close()
				return err
			}
			p.Owner.ID = owner
			owners = append(owners, owner)
			all = append(all, p)
		}
		res.Close()
		if err := res.Err(); err != nil {
			return err
		}
		units, err := unitsByID(ctx, tx, owners)
		if err != nil {
			return err
		}
		for i := range all {
			all[i].Owner = refAt(units, all[i].Owner.ID, store.Date{})
		}
		return nil
	})
	if err != nil {
		return page, fmt.Errorf("list programs: %w", err)
	}
	sortCollated(all, func(p *store.Program) string { return p.Name }, nil,
		func(a, b *store.Program) int { return cmp.Compare(a.ID, b.ID) })
	page.Total = len(all)
	if offset < len(all) {
		page.Items = all[offset:min(offset+limit, len(all))]
	}
	return page, nil
}

// Program implements store.Reader.
func (s *Store) Program(ctx context.Context, id int64) (store.Program, error) {
	var p store.Program
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var owner int64
		var err error
		p, owner, err = scanProgram(tx.QueryRowContext(ctx, `SELECT `+programCols(adminViewer)+` FROM programs p WHERE p.id = ?`, id))
		if err != nil {
			return err
		}
		units, err := unitsByID(ctx, tx, []int64{owner})
		if err != nil {
			return err
		}
		p.Owner = refAt(units, owner, store.Date{})
		return nil
	})
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("program %d", id)
	}
	if err != nil {
		return p, fmt.Errorf("load program %d: %w", id, err)
	}
	return p, nil
}
