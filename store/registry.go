package store

import "time"

// This file holds the records of the reminder machinery: which Telegram
// chat speaks for which unit (Binding), and the durable outbox of
// reminders (OutboxItem, OutboxMessage). They are not part of the Store
// contract: the SQL engine stores them (store/sqlstore), the scheduler
// declares the interfaces it needs, and the Redis cache never sees them.

// Binding ties a Telegram chat, or one forum topic of it, to the unit it
// speaks for: reminders for the unit go there, and commands typed there
// default to the unit. A unit may have several chats; a chat (or topic)
// speaks for one unit at a time.
type Binding struct {
	ID     int64 `json:"id"`
	ChatID int64 `json:"chat_id"`
	// ThreadID is the forum topic (message_thread_id), 0 for the whole
	// chat.
	ThreadID  int    `json:"thread_id,omitempty"`
	UnitID    int64  `json:"unit_id"`
	ChatTitle string `json:"chat_title,omitempty"`
	// Active is false once the binding was removed (/unregister), the
	// bot was removed from the chat, or the chat became unreachable.
	Active bool `json:"active"`
	// BoundBy is the Telegram user id of who bound the chat (0: unknown).
	BoundBy int64     `json:"bound_by,omitempty"`
	BoundAt time.Time `json:"bound_at"` // UTC
	// DeactivatedAt and Reason say when and why Active became false.
	DeactivatedAt time.Time `json:"deactivated_at,omitzero"`
	Reason        string    `json:"reason,omitempty"`
	// Unit is the bound unit, filled by reads.
	Unit Unit `json:"unit,omitzero"`
}

// ReminderKind names what an outbox item or message is about.
type ReminderKind string

// Kinds of reminders.
const (
	// KindDeadline: a rung of a directive's ladder for one unit.
	KindDeadline ReminderKind = "deadline"
	// KindMeeting: a meeting reminder for one attending unit.
	KindMeeting ReminderKind = "meeting"
	// KindEscalation: the daily digest of overdue items for the leadership.
	KindEscalation ReminderKind = "escalation"
	// KindWeekly: the weekly digest of a unit's open items.
	KindWeekly ReminderKind = "weekly"
	// KindNotice: a notice to the administrators (a chat was lost).
	KindNotice ReminderKind = "notice"
)

// ItemStatus is the state of an outbox item.
type ItemStatus string

// States of an outbox item. An item is pending until it is queued into a
// message (once, ever), skipped in favour of a later rung, or cancelled
// because it no longer applies.
const (
	ItemPending   ItemStatus = "pending"
	ItemQueued    ItemStatus = "queued"
	ItemSkipped   ItemStatus = "skipped"
	ItemCancelled ItemStatus = "cancelled"
)

// OutboxItem is one thing a unit (or the leadership) is to be told: a
// rung of a deadline ladder, a meeting reminder, a digest. Its key
// (Kind, RefID, UnitID, Rung, Anchor) is unique, so planning the same item
// twice stores it once.
type OutboxItem struct {
	ID   int64        `json:"id"`
	Kind ReminderKind `json:"kind"`
	// RefID is the directive (KindDeadline) or meeting (KindMeeting); 0
	// for digests.
	RefID int64 `json:"ref_id,omitempty"`
	// UnitID is the unit told; 0 for the escalation digest.
	UnitID int64 `json:"unit_id,omitempty"`
	// Rung orders the items of one subject: days relative to the
	// deadline for KindDeadline, minutes relative to the start (negative)
	// for KindMeeting, 0 for digests. A later rung supersedes an earlier
	// one still pending.
	Rung int `json:"rung"`
	// Anchor is what the rung is relative to: the deadline ("2025-05-10";
	// a new deadline starts a fresh ladder), the meeting's start instant,
	// the digest's day, or the ISO week of a weekly digest ("2025-W19").
	Anchor string `json:"anchor"`
	// DueAt is when the item became due to go out (UTC).
	DueAt  time.Time  `json:"due_at"`
	Status ItemStatus `json:"status"`
	// Reason says why an item was skipped or cancelled.
	Reason string `json:"reason,omitempty"`
	// Batch names the messages that carried a queued item.
	Batch     string    `json:"batch,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
}

// Subject identifies what the rungs of an item are about: items with the
// same subject supersede each other.
func (it OutboxItem) Subject() OutboxSubject {
	return OutboxSubject{Kind: it.Kind, RefID: it.RefID, UnitID: it.UnitID, Anchor: it.Anchor}
}

// OutboxSubject is the key of an item without its rung.
type OutboxSubject struct {
	Kind   ReminderKind
	RefID  int64
	UnitID int64
	Anchor string
}

// MessageStatus is the state of an outgoing message.
type MessageStatus string

// States of an outgoing message: pending (waiting for its time or a
// retry), sending (claimed by a dispatcher under a lease), sent, failed
// (permanently, or after too many attempts), expired (its moment passed
// before it could go out, e.g. a morning reminder not sent by evening).
const (
	MessagePending MessageStatus = "pending"
	MessageSending MessageStatus = "sending"
	MessageSent    MessageStatus = "sent"
	MessageFailed  MessageStatus = "failed"
	MessageExpired MessageStatus = "expired"
)

// OutboxButton is an inline button under a message: its label and the
// callback data it sends (at most 64 bytes).
type OutboxButton struct {
	Text string `json:"text"`
	Data string `json:"data"`
}

// OutboxMessage is one Telegram message to send: a part of the
// consolidated reminder of a unit to one of its chats, a digest, a notice.
type OutboxMessage struct {
	ID int64 `json:"id"`
	// Batch groups the messages made from the same items in one run.
	Batch    string       `json:"batch"`
	Kind     ReminderKind `json:"kind"`
	UnitID   int64        `json:"unit_id,omitempty"`
	ChatID   int64        `json:"chat_id"`
	ThreadID int          `json:"thread_id,omitempty"`
	// Part and Parts number the pieces of a message split to fit
	// Telegram's limit; they go out in order.
	Part  int `json:"part"`
	Parts int `json:"parts"`
	// Text is Telegram HTML.
	Text    string           `json:"text"`
	Buttons [][]OutboxButton `json:"buttons,omitempty"`
	Status  MessageStatus    `json:"status"`
	// Attempts counts the claims of the message.
	Attempts int `json:"attempts"`
	// NotBefore is the earliest instant to (re)try; ExpiresAt, if set,
	// the instant after which the message is not worth sending.
	NotBefore time.Time `json:"not_before"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// LeaseOwner and LeaseUntil belong to the dispatcher sending it.
	LeaseOwner string    `json:"lease_owner,omitempty"`
	LeaseUntil time.Time `json:"lease_until,omitzero"`
	// TelegramID is the message id Telegram gave the sent message.
	TelegramID int       `json:"telegram_id,omitempty"`
	SentAt     time.Time `json:"sent_at,omitzero"`
	// LastError is the reason of the last failure.
	LastError string    `json:"last_error,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// OutboxBatch is what one composition writes at once: the decisions on
// pending items (queued into Messages, skipped, cancelled) and the
// messages that carry them. It is applied whole or not at all.
type OutboxBatch struct {
	// Name is the batch's name, stored on its items and messages.
	Name string
	// Queued are the ids of pending items the messages carry.
	Queued []int64
	// Dropped are pending items not to send, with Status ItemSkipped or
	// ItemCancelled and a Reason.
	Dropped  []OutboxItem
	Messages []OutboxMessage
}

// OutboxStats summarises the outbox for the /status command.
type OutboxStats struct {
	// Pending counts messages waiting to go out (pending or sending).
	Pending int `json:"pending"`
	// Sent and Failed count messages sent, or failed for good, since the
	// instant asked for.
	Sent   int `json:"sent"`
	Failed int `json:"failed"`
	// Expired counts messages that expired unsent since that instant.
	Expired int `json:"expired"`
	// PendingItems counts items planned but not yet in a message.
	PendingItems int `json:"pending_items"`
	// RecentFailures are the latest failed or retrying messages, newest
	// first, with LastError saying why.
	RecentFailures []OutboxMessage `json:"recent_failures,omitempty"`
}

// DeadlineTarget is one unit's open share of a directive with a deadline
// and reminders not turned off: what a deadline ladder applies to.
type DeadlineTarget struct {
	DirectiveID int64     `json:"directive_id"`
	Deadline    Date      `json:"deadline"`
	Reminders   Reminders `json:"reminders,omitzero"`
	UnitID      int64     `json:"unit_id"`
}

// ClaimRequest asks for outgoing messages to send.
type ClaimRequest struct {
	// Owner names the dispatcher; only it may settle what it claims.
	Owner string
	// Now is the instant the messages are judged at (not_before,
	// expires_at); Clock the wall clock the lease runs on. They differ
	// only in a one-shot run "as of" another instant.
	Now, Clock time.Time
	// Lease is how long the claim holds: a message not settled by then is
	// claimed again by whoever asks.
	Lease time.Duration
	// Limit is the most messages returned (default 1).
	Limit int
}
