package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"meetbot/store"
)

// The registry of chats bound to units (table chat_bindings). These
// methods are not part of store.Store: the scheduler and the handlers
// declare the ones they use.

const bindingCols = `b.id, b.chat_id, b.thread_id, b.unit_id, b.chat_title, b.active, b.bound_by, b.bound_at, b.deactivated_at, b.reason`

func scanBinding(sc interface{ Scan(...any) error }) (store.Binding, error) {
	var (
		b           store.Binding
		active      int64
		bound, deac sql.NullString
	)
	err := sc.Scan(&b.ID, &b.ChatID, &b.ThreadID, &b.UnitID, &b.ChatTitle, &active, &b.BoundBy, &bound, &deac, &b.Reason)
	b.Active = active != 0
	b.BoundAt, b.DeactivatedAt = decInstant(bound), decInstant(deac)
	return b, err
}

func queryBindings(ctx context.Context, q querier, where string, args ...any) ([]store.Binding, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+bindingCols+` FROM chat_bindings b `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	bs := []store.Binding{}
	for rows.Next() {
		b, err := scanBinding(rows)
		if err != nil {
			return nil, err
		}
		bs = append(bs, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return bs, fillBindingUnits(ctx, q, bs)
}

func fillBindingUnits(ctx context.Context, q querier, bs []store.Binding) error {
	ids := make([]int64, len(bs))
	for i, b := range bs {
		ids[i] = b.UnitID
	}
	units, err := unitsByID(ctx, q, ids)
	if err != nil {
		return err
	}
	for i := range bs {
		bs[i].Unit = units[bs[i].UnitID]
	}
	return nil
}

// BindChat binds the chat and topic of b (ThreadID 0 for the whole chat)
// to b.UnitID, replacing whatever unit the chat and topic were bound to,
// and makes the binding active. ChatTitle and BoundBy are recorded;
// BoundAt defaults to the store's clock. It returns the stored binding
// with its unit. An unknown unit gives an error wrapping
// store.ErrNotFound; a zero chat or unit id, or a negative thread,
// store.ErrInvalid.
func (s *Store) BindChat(ctx context.Context, b store.Binding) (store.Binding, error) {
	if b.ChatID == 0 || b.UnitID == 0 || b.ThreadID < 0 {
		return store.Binding{}, fmt.Errorf("bind chat %d topic %d to unit %d: %w", b.ChatID, b.ThreadID, b.UnitID, store.ErrInvalid)
	}
	if b.BoundAt.IsZero() {
		b.BoundAt = s.now()
	}
	var out store.Binding
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM units WHERE id = ?`, b.UnitID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return notFound("unit %d", b.UnitID)
		} else if err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO chat_bindings(chat_id, thread_id, unit_id, chat_title, active, bound_by, bound_at)
			VALUES (?, ?, ?, ?, 1, ?, ?)
			ON CONFLICT (chat_id, thread_id) DO UPDATE SET unit_id = excluded.unit_id, chat_title = excluded.chat_title,
				active = 1, bound_by = excluded.bound_by, bound_at = excluded.bound_at, deactivated_at = NULL, reason = ''
			RETURNING id`,
			b.ChatID, b.ThreadID, b.UnitID, strings.TrimSpace(b.ChatTitle), b.BoundBy, encInstant(b.BoundAt)).Scan(&id)
		if err != nil {
			return err
		}
		bs, err := queryBindings(ctx, tx, `WHERE b.id = ?`, id)
		if err != nil {
			return err
		}
		out = bs[0]
		return nil
	})
	if err != nil {
		return store.Binding{}, fmt.Errorf("bind chat %d topic %d to unit %d: %w", b.ChatID, b.ThreadID, b.UnitID, err)
	}
	return out, nil
}

// UnbindChat deactivates the binding of the chat and topic (threadID 0
// for the whole chat), with reason "unbound", and drops the reminders
// still waiting to go there. It returns the binding as it now is, or an
// error wrapping store.ErrNotFound when no active binding exists.
func (s *Store) UnbindChat(ctx context.Context, chatID int64, threadID int) (store.Binding, error) {
	var out store.Binding
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		now := encInstant(s.now())
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE chat_bindings SET active = 0, deactivated_at = ?, reason = 'unbound'
			WHERE chat_id = ? AND thread_id = ? AND active = 1 RETURNING id`, now, chatID, threadID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("active binding of chat %d topic %d", chatID, threadID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox_messages SET status = 'failed', last_error = 'chat unbound', updated_at = ?
			WHERE chat_id = ? AND thread_id = ? AND status = 'pending' AND kind <> 'notice'`, now, chatID, threadID); err != nil {
			return err
		}
		bs, err := queryBindings(ctx, tx, `WHERE b.id = ?`, id)
		if err != nil {
			return err
		}
		out = bs[0]
		return nil
	})
	if err != nil {
		return store.Binding{}, fmt.Errorf("unbind chat %d topic %d: %w", chatID, threadID, err)
	}
	return out, nil
}

// UnitsForChat returns the unit the chat and topic speak for: the active
// binding of the exact topic wins, else the chat's active binding with
// thread 0. No binding gives an empty slice and no error. It satisfies
// handlers.ChatUnits.
func (s *Store) UnitsForChat(ctx context.Context, chatID int64, threadID int) ([]store.Unit, error) {
	var us []store.Unit
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var unitID int64
		err := tx.QueryRowContext(ctx, `SELECT unit_id FROM chat_bindings
			WHERE chat_id = ? AND thread_id IN (?, 0) AND active = 1
			ORDER BY thread_id DESC LIMIT 1`, chatID, threadID).Scan(&unitID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		us, err = queryUnits(ctx, tx, `WHERE u.id = ?`, unitID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("units for chat %d topic %d: %w", chatID, threadID, err)
	}
	if us == nil {
		us = []store.Unit{}
	}
	return us, nil
}

// Bindings returns every binding, active ones first, then by unit and
// chat, each with its unit filled.
func (s *Store) Bindings(ctx context.Context) ([]store.Binding, error) {
	var bs []store.Binding
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		bs, err = queryBindings(ctx, tx, `ORDER BY b.active DESC, b.unit_id, b.chat_id, b.thread_id`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list bindings: %w", err)
	}
	return bs, nil
}

// MigrateChat moves everything addressed to chat from (a group that
// became a supergroup) to chat to: its bindings, and its outbox messages
// not yet sent. A binding whose topic is already bound in the new chat
// is deactivated instead (the newer binding wins). It returns the number
// of bindings moved; calling it again changes nothing and returns 0.
func (s *Store) MigrateChat(ctx context.Context, from, to int64) (int, error) {
	if from == 0 || to == 0 || from == to {
		return 0, fmt.Errorf("migrate chat %d to %d: %w", from, to, store.ErrInvalid)
	}
	moved := 0
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		now := encInstant(s.now())
		res, err := tx.ExecContext(ctx, `UPDATE OR IGNORE chat_bindings SET chat_id = ? WHERE chat_id = ?`, to, from)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		moved = int(n)
		// Left behind: topics already bound in the new chat.
		if _, err := tx.ExecContext(ctx, `UPDATE chat_bindings SET active = 0, deactivated_at = COALESCE(deactivated_at, ?),
			reason = CASE WHEN active = 1 THEN ? ELSE reason END WHERE chat_id = ?`,
			now, fmt.Sprintf("migrated to %d, already bound there", to), from); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE OR IGNORE outbox_messages SET chat_id = ?, updated_at = ?
			WHERE chat_id = ? AND status IN ('pending', 'sending')`, to, now, from); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE outbox_messages SET status = 'failed', last_error = ?, updated_at = ?
			WHERE chat_id = ? AND status = 'pending'`, fmt.Sprintf("chat migrated to %d, which already has this message", to), now, from)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("migrate chat %d to %d: %w", from, to, err)
	}
	return moved, nil
}

// DeactivateChat deactivates every active binding of the chat (all its
// topics) with the reason given, and fails the messages still waiting to
// go there. It returns only the bindings that were active until now, so
// a caller that tells the administrators when the result is not empty
// tells them once, however many instances or failed sends report the
// same chat.
func (s *Store) DeactivateChat(ctx context.Context, chatID int64, reason string) ([]store.Binding, error) {
	var out []store.Binding
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		now := encInstant(s.now())
		rows, err := tx.QueryContext(ctx, `UPDATE chat_bindings SET active = 0, deactivated_at = ?, reason = ?
			WHERE chat_id = ? AND active = 1 RETURNING id`, now, reason, chatID)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			out = []store.Binding{}
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox_messages SET status = 'failed', last_error = ?, updated_at = ?
			WHERE chat_id = ? AND status = 'pending'`, "chat unavailable: "+reason, now, chatID); err != nil {
			return err
		}
		out, err = queryBindings(ctx, tx, `WHERE b.id IN (`+placeholders(len(ids))+`) ORDER BY b.thread_id`, ids...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("deactivate chat %d: %w", chatID, err)
	}
	return out, nil
}
