package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"meetbot/store"
)

// GrantAdmin makes a user an office administrator (or renames one), as
// by, audited.
func (s *Store) GrantAdmin(ctx context.Context, userID int64, name string, by store.Actor) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		now := encInstant(s.now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO admins(user_id, name, granted_by, granted_at) VALUES (?, ?, ?, ?)
			ON CONFLICT(user_id) DO UPDATE SET name = excluded.name`, userID, strings.TrimSpace(name), by.ID, now); err != nil {
			return err
		}
		return audit(ctx, tx, now, by, "admin", userID, "admin_granted", 0, nil, name)
	})
	if err != nil {
		return fmt.Errorf("grant admin %d: %w", userID, err)
	}
	return nil
}

// RevokeAdmin removes a granted administrator; ErrNotFound if the user is
// not one.
func (s *Store) RevokeAdmin(ctx context.Context, userID int64, by store.Actor) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM admins WHERE user_id = ?`, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("admin %d", userID)
		}
		return audit(ctx, tx, encInstant(s.now()), by, "admin", userID, "admin_revoked", 0, nil, "")
	})
	if err != nil {
		return fmt.Errorf("revoke admin %d: %w", userID, err)
	}
	return nil
}

// Admins returns the granted administrators, by name.
func (s *Store) Admins(ctx context.Context) ([]store.Admin, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT user_id, name, granted_by, granted_at FROM admins ORDER BY name, user_id`)
	if err != nil {
		return nil, fmt.Errorf("list admins: %w", err)
	}
	defer rows.Close()
	var out []store.Admin
	for rows.Next() {
		var a store.Admin
		var at sql.NullString
		if err := rows.Scan(&a.UserID, &a.Name, &a.GrantedBy, &at); err != nil {
			return nil, fmt.Errorf("list admins: %w", err)
		}
		a.GrantedAt = decInstant(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// IsAdmin reports whether the user was granted administration.
func (s *Store) IsAdmin(ctx context.Context, userID int64) (bool, error) {
	var one int
	err := s.rdb.QueryRowContext(ctx, `SELECT 1 FROM admins WHERE user_id = ?`, userID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("is admin %d: %w", userID, err)
	}
	return true, nil
}

// RecordMember notes that the user wrote in a chat bound to the unit: the
// user speaks for the unit from then on.
func (s *Store) RecordMember(ctx context.Context, userID, unitID, chatID int64, at time.Time) error {
	if _, err := s.wdb.ExecContext(ctx, `INSERT INTO unit_members(user_id, unit_id, chat_id, last_seen) VALUES (?, ?, ?, ?)
		ON CONFLICT(user_id, unit_id) DO UPDATE SET chat_id = excluded.chat_id, last_seen = excluded.last_seen`,
		userID, unitID, chatID, encInstant(at)); err != nil {
		return fmt.Errorf("record member %d of unit %d: %w", userID, unitID, err)
	}
	return nil
}

// UserUnits returns the ids of the units the user was seen speaking for,
// through a chat still bound to them.
func (s *Store) UserUnits(ctx context.Context, userID int64) ([]int64, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT DISTINCT m.unit_id FROM unit_members m
		JOIN chat_bindings b ON b.unit_id = m.unit_id AND b.chat_id = m.chat_id AND b.active = 1
		WHERE m.user_id = ? ORDER BY m.unit_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("units of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("units of user %d: %w", userID, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Conversation returns the user's conversation in the chat; ErrNotFound
// when there is none or it expired.
func (s *Store) Conversation(ctx context.Context, chatID, userID int64) (store.Conversation, error) {
	c := store.Conversation{ChatID: chatID, UserID: userID}
	var data string
	var upd, exp sql.NullString
	err := s.rdb.QueryRowContext(ctx, `SELECT kind, step, data, message_id, updated_at, expires_at FROM conversations
		WHERE chat_id = ? AND user_id = ?`, chatID, userID).Scan(&c.Kind, &c.Step, &data, &c.MessageID, &upd, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("conversation of user %d in chat %d", userID, chatID)
	}
	if err != nil {
		return c, fmt.Errorf("load conversation: %w", err)
	}
	c.UpdatedAt, c.ExpiresAt = decInstant(upd), decInstant(exp)
	if !c.ExpiresAt.After(s.now()) {
		return c, notFound("conversation of user %d in chat %d (expired)", userID, chatID)
	}
	if err := json.Unmarshal([]byte(data), &c.Data); err != nil {
		return c, fmt.Errorf("load conversation: %w", err)
	}
	return c, nil
}

// SaveConversation creates or replaces the user's conversation in the
// chat.
func (s *Store) SaveConversation(ctx context.Context, c store.Conversation) error {
	data, err := json.Marshal(c.Data)
	if err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = s.now()
	}
	if c.ExpiresAt.IsZero() {
		c.ExpiresAt = c.UpdatedAt.Add(time.Hour)
	}
	if _, err := s.wdb.ExecContext(ctx, `INSERT INTO conversations(chat_id, user_id, kind, step, data, message_id, updated_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(chat_id, user_id) DO UPDATE SET kind = excluded.kind, step = excluded.step,
		data = excluded.data, message_id = excluded.message_id, updated_at = excluded.updated_at, expires_at = excluded.expires_at`,
		c.ChatID, c.UserID, c.Kind, c.Step, string(data), c.MessageID, encInstant(c.UpdatedAt), encInstant(c.ExpiresAt)); err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	return nil
}

// EndConversation removes the user's conversation in the chat, if any.
func (s *Store) EndConversation(ctx context.Context, chatID, userID int64) error {
	if _, err := s.wdb.ExecContext(ctx, `DELETE FROM conversations WHERE chat_id = ? AND user_id = ?`, chatID, userID); err != nil {
		return fmt.Errorf("end conversation: %w", err)
	}
	return nil
}

// FeedToken returns the secret token of the unit's calendar feed,
// creating it on first use.
func (s *Store) FeedToken(ctx context.Context, unitID int64) (string, error) {
	var token string
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT token FROM unit_feeds WHERE unit_id = ?`, unitID).Scan(&token)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var b [20]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		token = strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
		_, err = tx.ExecContext(ctx, `INSERT INTO unit_feeds(unit_id, token, created_at) VALUES (?, ?, ?)`, unitID, token, encInstant(s.now()))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("feed token of unit %d: %w", unitID, err)
	}
	return token, nil
}

// UnitByFeedToken returns the unit whose feed token is token;
// ErrNotFound otherwise.
func (s *Store) UnitByFeedToken(ctx context.Context, token string) (store.Unit, error) {
	var id int64
	err := s.rdb.QueryRowContext(ctx, `SELECT unit_id FROM unit_feeds WHERE token = ?`, token).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Unit{}, notFound("feed token")
	}
	if err != nil {
		return store.Unit{}, fmt.Errorf("unit by feed token: %w", err)
	}
	return s.Unit(ctx, id)
}
