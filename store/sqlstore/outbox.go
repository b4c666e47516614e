package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"meetbot/store"
)

// The durable outbox of reminders (tables reminder_items, outbox_messages,
// scheduler_state). Like the registry, these methods are not part of
// store.Store.
//
// The life of a reminder:
//
//  1. The planner stores what is due as items under a unique key
//     (PlanItems): planning again, or on another instance, stores nothing
//     new.
//  2. A composer reads the pending items (PendingItems), renders one
//     message per unit and chat, and writes the messages together with
//     the decision on every item (EnqueueBatch) in one transaction that
//     fails with store.ErrConflict if another composer got there first.
//  3. Dispatchers claim messages under a lease (ClaimMessages), send them,
//     and settle each one (CompleteMessage, RetryMessage, FailMessage,
//     ReleaseMessage). A dispatcher that dies leaves its claims to expire
//     and be claimed again.

// DeadlineTargets returns every open share of a directive with a
// deadline whose unit has an active chat: the directive is neither closed
// nor completed, its reminders are not off, and the unit has not
// completed its part. Order: directive, then unit.
func (s *Store) DeadlineTargets(ctx context.Context) ([]store.DeadlineTarget, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT d.id, d.deadline, d.reminders, a.unit_id
		FROM directives d JOIN assignments a ON a.directive_id = d.id
		WHERE d.deadline IS NOT NULL AND d.closed_on IS NULL AND d.completed_on IS NULL
			AND (d.reminders IS NULL OR d.reminders <> 'off') AND a.completed_on IS NULL
			AND EXISTS (SELECT 1 FROM chat_bindings b WHERE b.unit_id = a.unit_id AND b.active = 1)
		ORDER BY d.id, a.unit_id`)
	if err != nil {
		return nil, fmt.Errorf("deadline targets: %w", err)
	}
	defer rows.Close()
	out := []store.DeadlineTarget{}
	for rows.Next() {
		var (
			t                   store.DeadlineTarget
			deadline, reminders sql.NullString
		)
		if err := rows.Scan(&t.DirectiveID, &deadline, &reminders, &t.UnitID); err != nil {
			return nil, fmt.Errorf("deadline targets: %w", err)
		}
		t.Deadline, t.Reminders = decDate(deadline), decReminders(reminders)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("deadline targets: %w", err)
	}
	return out, nil
}

// PlanItems stores the items whose key (Kind, RefID, UnitID, Rung, Anchor)
// is not stored yet, with their Status (ItemPending, or ItemSkipped for a
// rung recorded as passed over) and Reason, and leaves the others as they
// are. It returns how many it stored. Planning the same items again, on
// this or another instance, stores nothing.
func (s *Store) PlanItems(ctx context.Context, items []store.OutboxItem) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	n := 0
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		n = 0
		st, err := tx.PrepareContext(ctx, `INSERT INTO reminder_items(kind, ref_id, unit_id, rung, anchor, due_at, status, reason, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer st.Close()
		now := encInstant(s.now())
		for _, it := range items {
			status := it.Status
			if status == "" {
				status = store.ItemPending
			}
			res, err := st.ExecContext(ctx, string(it.Kind), it.RefID, it.UnitID, it.Rung, it.Anchor, encInstant(it.DueAt), string(status), it.Reason, now, now)
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("plan %d reminder items: %w", len(items), err)
	}
	return n, nil
}

const itemCols = `id, kind, ref_id, unit_id, rung, anchor, due_at, status, reason, batch, created_at`

func scanItem(sc interface{ Scan(...any) error }) (store.OutboxItem, error) {
	var (
		it                   store.OutboxItem
		kind, status         string
		due, created         sql.NullString
		reason, batch, anchr string
	)
	err := sc.Scan(&it.ID, &kind, &it.RefID, &it.UnitID, &it.Rung, &anchr, &due, &status, &reason, &batch, &created)
	it.Kind, it.Status, it.Anchor, it.Reason, it.Batch = store.ReminderKind(kind), store.ItemStatus(status), anchr, reason, batch
	it.DueAt, it.CreatedAt = decInstant(due), decInstant(created)
	return it, err
}

// PendingItems returns the pending items due at or before now, in the
// order they fell due.
func (s *Store) PendingItems(ctx context.Context, now time.Time) ([]store.OutboxItem, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+itemCols+` FROM reminder_items
		WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id`, encInstant(now))
	if err != nil {
		return nil, fmt.Errorf("pending reminder items: %w", err)
	}
	defer rows.Close()
	out := []store.OutboxItem{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, fmt.Errorf("pending reminder items: %w", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending reminder items: %w", err)
	}
	return out, nil
}

// StoredItems returns, among the given items, those whose key is already
// stored, as stored (any status). A dry run uses it to tell what a real
// run would plan anew.
func (s *Store) StoredItems(ctx context.Context, items []store.OutboxItem) ([]store.OutboxItem, error) {
	out := []store.OutboxItem{}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `SELECT `+itemCols+` FROM reminder_items
			WHERE kind = ? AND ref_id = ? AND unit_id = ? AND rung = ? AND anchor = ?`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, it := range items {
			got, err := scanItem(st.QueryRowContext(ctx, string(it.Kind), it.RefID, it.UnitID, it.Rung, it.Anchor))
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, got)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look up reminder items: %w", err)
	}
	return out, nil
}

// EnqueueBatch applies one composition in one transaction: the items in
// b.Queued become queued under b.Name, those in b.Dropped take their
// Status and Reason, and b.Messages are stored as pending. If any of
// those items is no longer pending (another composer, on this or another
// instance, took it first) nothing is written and the error wraps
// store.ErrConflict.
func (s *Store) EnqueueBatch(ctx context.Context, b store.OutboxBatch) error {
	if b.Name == "" && len(b.Messages) > 0 {
		return fmt.Errorf("enqueue batch: a batch with messages needs a name: %w", store.ErrInvalid)
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		now := encInstant(s.now())
		settle := func(id int64, status store.ItemStatus, reason string) error {
			res, err := tx.ExecContext(ctx, `UPDATE reminder_items SET status = ?, reason = ?, batch = ?, updated_at = ?
				WHERE id = ? AND status = 'pending'`, string(status), reason, b.Name, now, id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("reminder item %d is no longer pending: %w", id, store.ErrConflict)
			}
			return nil
		}
		for _, id := range b.Queued {
			if err := settle(id, store.ItemQueued, ""); err != nil {
				return err
			}
		}
		for _, it := range b.Dropped {
			if it.Status != store.ItemSkipped && it.Status != store.ItemCancelled {
				return fmt.Errorf("reminder item %d: cannot drop it as %q: %w", it.ID, it.Status, store.ErrInvalid)
			}
			if err := settle(it.ID, it.Status, it.Reason); err != nil {
				return err
			}
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO outbox_messages(batch, kind, unit_id, chat_id, thread_id, part, parts, text, buttons,
			status, not_before, expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, m := range b.Messages {
			buttons, err := json.Marshal(m.Buttons)
			if err != nil {
				return err
			}
			if m.Buttons == nil {
				buttons = []byte("[]")
			}
			part, parts := max(m.Part, 1), max(m.Parts, 1)
			notBefore := m.NotBefore
			if notBefore.IsZero() {
				notBefore = s.now()
			}
			if _, err := st.ExecContext(ctx, b.Name, string(m.Kind), m.UnitID, m.ChatID, m.ThreadID, part, parts, m.Text, string(buttons),
				encInstant(notBefore), encInstant(m.ExpiresAt), now, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("enqueue batch %q: %w", b.Name, err)
	}
	return nil
}

const messageCols = `id, batch, kind, unit_id, chat_id, thread_id, part, parts, text, buttons, status, attempts,
	not_before, expires_at, lease_owner, lease_until, tg_message_id, sent_at, last_error, created_at, updated_at`

func scanMessage(sc interface{ Scan(...any) error }) (store.OutboxMessage, error) {
	var (
		m                                store.OutboxMessage
		kind, status, buttons            string
		notBefore, expires, owner, until sql.NullString
		sent, created, updated           sql.NullString
		tgID                             sql.NullInt64
	)
	err := sc.Scan(&m.ID, &m.Batch, &kind, &m.UnitID, &m.ChatID, &m.ThreadID, &m.Part, &m.Parts, &m.Text, &buttons, &status, &m.Attempts,
		&notBefore, &expires, &owner, &until, &tgID, &sent, &m.LastError, &created, &updated)
	if err != nil {
		return m, err
	}
	m.Kind, m.Status = store.ReminderKind(kind), store.MessageStatus(status)
	m.NotBefore, m.ExpiresAt, m.LeaseUntil = decInstant(notBefore), decInstant(expires), decInstant(until)
	m.SentAt, m.CreatedAt, m.UpdatedAt = decInstant(sent), decInstant(created), decInstant(updated)
	m.LeaseOwner, m.TelegramID = owner.String, int(tgID.Int64)
	if buttons != "" && buttons != "[]" {
		if err := json.Unmarshal([]byte(buttons), &m.Buttons); err != nil {
			return m, fmt.Errorf("message %d buttons: %w", m.ID, err)
		}
	}
	return m, nil
}

func collectMessages(rows *sql.Rows) ([]store.OutboxMessage, error) {
	defer rows.Close()
	out := []store.OutboxMessage{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// readyCond selects messages that may be sent at @now: pending and past
// their not_before, or claimed under a lease that ran out by @clock; not
// expired; and the oldest unsettled message of their chat, so the parts
// of a split message, and successive messages to one chat, go out in
// order.
const readyCond = `((m.status = 'pending' AND m.not_before <= @now) OR (m.status = 'sending' AND m.lease_until <= @clock))
	AND (m.expires_at IS NULL OR m.expires_at > @now)
	AND NOT EXISTS (SELECT 1 FROM outbox_messages e
		WHERE e.chat_id = m.chat_id AND e.id < m.id AND e.status IN ('pending', 'sending')
			AND (e.expires_at IS NULL OR e.expires_at > @now))`

// ClaimMessages claims up to r.Limit messages ready to send (see below)
// for r.Owner until r.Clock + r.Lease, counting one attempt on each, and
// returns them, oldest first. A message is ready when it is pending and
// its not_before has come, or claimed under a lease that has run out (its
// dispatcher died between claim and settle); it has not expired; and no
// older message to the same chat is unsettled, so messages to one chat go
// out in order.
//
// The claim is one UPDATE … WHERE id IN (SELECT … LIMIT n) … RETURNING
// statement in a write transaction (BEGIN IMMEDIATE): SQLite runs write
// transactions one at a time, also across processes sharing the file,
// so two dispatchers never claim the same message. The PostgreSQL
// equivalent selects the rows with FOR UPDATE SKIP LOCKED, so concurrent
// claimers skip each other's rows instead of waiting:
//
//	UPDATE outbox_messages SET status = 'sending', lease_owner = $1,
//	       lease_until = $2, attempts = attempts + 1
//	WHERE id IN (SELECT m.id FROM outbox_messages m WHERE <readyCond>
//	             ORDER BY m.id LIMIT $3 FOR UPDATE SKIP LOCKED)
//	RETURNING …
//
// (there the per-chat order needs the chat's rows locked too, e.g. with
// pg_try_advisory_xact_lock(chat_id) in the subquery).
func (s *Store) ClaimMessages(ctx context.Context, r store.ClaimRequest) ([]store.OutboxMessage, error) {
	if r.Owner == "" || r.Lease <= 0 {
		return nil, fmt.Errorf("claim messages: an owner and a lease are required: %w", store.ErrInvalid)
	}
	if r.Limit <= 0 {
		r.Limit = 1
	}
	var out []store.OutboxMessage
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE outbox_messages
			SET status = 'sending', lease_owner = @owner, lease_until = @until, attempts = attempts + 1, updated_at = @clock
			WHERE id IN (SELECT m.id FROM outbox_messages m WHERE `+readyCond+` ORDER BY m.id LIMIT @limit)
			RETURNING `+messageCols,
			sql.Named("owner", r.Owner), sql.Named("until", encInstant(r.Clock.Add(r.Lease))),
			sql.Named("clock", encInstant(r.Clock)), sql.Named("now", encInstant(r.Now)), sql.Named("limit", r.Limit))
		if err != nil {
			return err
		}
		out, err = collectMessages(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim messages: %w", err)
	}
	// RETURNING gives rows in no promised order.
	sortMessages(out)
	return out, nil
}

func sortMessages(ms []store.OutboxMessage) {
	slices.SortFunc(ms, func(a, b store.OutboxMessage) int { return cmp.Compare(a.ID, b.ID) })
}

// ReadyMessages returns, without claiming anything, every message a
// dispatch at now would send (with the lease clock at now), oldest first:
// pending past its not_before, or claimed under a lease that ran out, and
// not expired. Unlike ClaimMessages it lists the later messages of a chat
// too. A dry run reports them as about to be sent.
func (s *Store) ReadyMessages(ctx context.Context, now time.Time) ([]store.OutboxMessage, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+messageCols+` FROM outbox_messages m
		WHERE ((m.status = 'pending' AND m.not_before <= @now) OR (m.status = 'sending' AND m.lease_until <= @now))
			AND (m.expires_at IS NULL OR m.expires_at > @now)
		ORDER BY m.id`, sql.Named("now", encInstant(now)))
	if err != nil {
		return nil, fmt.Errorf("ready messages: %w", err)
	}
	out, err := collectMessages(rows)
	if err != nil {
		return nil, fmt.Errorf("ready messages: %w", err)
	}
	return out, nil
}

// settle updates a message the owner claimed; it wraps store.ErrConflict
// when the claim is no longer the owner's (its lease ran out and another
// dispatcher claimed the message).
func (s *Store) settle(ctx context.Context, what string, id int64, owner, set string, args ...any) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox_messages SET `+set+`, lease_owner = NULL, lease_until = NULL, updated_at = ?
			WHERE id = ? AND status = 'sending' AND lease_owner = ?`, append(args, encInstant(s.now()), id, owner)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("message %d is not claimed by %s: %w", id, owner, store.ErrConflict)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s message %d: %w", what, id, err)
	}
	return nil
}

// CompleteMessage records that the message was sent at sentAt as
// Telegram message telegramID. Once a message is sent it must never be
// sent again, so this succeeds even when owner's lease ran out, unless the
// message was already recorded sent (then the error wraps
// store.ErrConflict: it went out twice).
func (s *Store) CompleteMessage(ctx context.Context, id int64, owner string, telegramID int, sentAt time.Time) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox_messages SET status = 'sent', tg_message_id = ?, sent_at = ?, last_error = '',
			lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND status <> 'sent'`,
			telegramID, encInstant(sentAt), encInstant(s.now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("already recorded sent (claimed by %s too): %w", owner, store.ErrConflict)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("complete message %d: %w", id, err)
	}
	return nil
}

// RetryMessage gives a claimed message back for another attempt at
// notBefore, recording why this one failed.
func (s *Store) RetryMessage(ctx context.Context, id int64, owner string, notBefore time.Time, reason string) error {
	return s.settle(ctx, "retry", id, owner, `status = 'pending', not_before = ?, last_error = ?`, encInstant(notBefore), reason)
}

// FailMessage marks a claimed message failed for good, with the reason.
func (s *Store) FailMessage(ctx context.Context, id int64, owner, reason string) error {
	return s.settle(ctx, "fail", id, owner, `status = 'failed', last_error = ?`, reason)
}

// ReleaseMessage gives a claimed message back untried (the dispatcher is
// stopping, or the chat moved): it is ready again at once and the claim
// does not count as an attempt.
func (s *Store) ReleaseMessage(ctx context.Context, id int64, owner string) error {
	return s.settle(ctx, "release", id, owner, `status = 'pending', attempts = MAX(attempts - 1, 0)`)
}

// ExpireMessages marks expired the unsent messages whose expires_at is at
// or before now, and returns how many.
func (s *Store) ExpireMessages(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox_messages SET status = 'expired', last_error = 'expired before it could be sent',
			lease_owner = NULL, lease_until = NULL, updated_at = ?
			WHERE status IN ('pending', 'sending') AND expires_at IS NOT NULL AND expires_at <= ?
				AND (status = 'pending' OR lease_until <= ?)`, encInstant(s.now()), encInstant(now), encInstant(s.now()))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("expire messages: %w", err)
	}
	return int(n), nil
}

// Messages returns the messages of a batch (every batch when batch is
// ""), oldest first: for tests, the dry run and the console.
func (s *Store) Messages(ctx context.Context, batch string) ([]store.OutboxMessage, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+messageCols+` FROM outbox_messages m WHERE @batch = '' OR m.batch = @batch ORDER BY m.id`,
		sql.Named("batch", batch))
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	out, err := collectMessages(rows)
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	return out, nil
}

// Items returns the stored items of a kind (every kind when kind is ""),
// in key order: for tests and the console.
func (s *Store) Items(ctx context.Context, kind store.ReminderKind) ([]store.OutboxItem, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+itemCols+` FROM reminder_items WHERE @kind = '' OR kind = @kind
		ORDER BY kind, ref_id, unit_id, anchor, rung`, sql.Named("kind", string(kind)))
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	defer rows.Close()
	out := []store.OutboxItem{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, fmt.Errorf("list items: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// OutboxStats counts messages waiting, and sent, failed or expired since
// the instant given, and lists the recent latest failures (failed
// messages, and pending ones whose last attempt failed), newest first.
func (s *Store) OutboxStats(ctx context.Context, since time.Time, recent int) (store.OutboxStats, error) {
	var st store.OutboxStats
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(status IN ('pending', 'sending')), 0),
			COALESCE(SUM(status = 'sent' AND sent_at >= @since), 0),
			COALESCE(SUM(status = 'failed' AND updated_at >= @since), 0),
			COALESCE(SUM(status = 'expired' AND updated_at >= @since), 0)
			FROM outbox_messages`, sql.Named("since", encInstant(since))).Scan(&st.Pending, &st.Sent, &st.Failed, &st.Expired)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM reminder_items WHERE status = 'pending'`).Scan(&st.PendingItems); err != nil {
			return err
		}
		if recent <= 0 {
			return nil
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+messageCols+` FROM outbox_messages m
			WHERE m.status = 'failed' OR (m.status IN ('pending', 'expired') AND m.last_error <> '')
			ORDER BY m.updated_at DESC, m.id DESC LIMIT ?`, recent)
		if err != nil {
			return err
		}
		st.RecentFailures, err = collectMessages(rows)
		return err
	})
	if err != nil {
		return store.OutboxStats{}, fmt.Errorf("outbox stats: %w", err)
	}
	return st, nil
}

// SchedulerState returns the value stored under key, and false when
// there is none.
func (s *Store) SchedulerState(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.rdb.QueryRowContext(ctx, `SELECT value FROM scheduler_state WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("scheduler state %q: %w", key, err)
	}
	return v, true, nil
}

// SetSchedulerState stores value under key, replacing what was there.
func (s *Store) SetSchedulerState(ctx context.Context, key, value string) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO scheduler_state(key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, encInstant(s.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("set scheduler state %q: %w", key, err)
	}
	return nil
}
