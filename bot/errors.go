package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	tgbot "github.com/go-telegram/bot"
)

// ErrChatUnavailable is wrapped by every ChatError: the chat cannot be
// written to any more, and retrying will not help.
var ErrChatUnavailable = errors.New("chat unavailable")

// ChatProblem says why a chat is unavailable.
type ChatProblem string

// Chat problems, from Telegram's error descriptions.
const (
	ChatKicked      ChatProblem = "kicked"      // 403: the bot was removed from the group
	ChatBlocked     ChatProblem = "blocked"     // 403: the user blocked the bot
	ChatDeactivated ChatProblem = "deactivated" // 403: the user or group was deleted
	ChatForbidden   ChatProblem = "forbidden"   // 403: another reason (no rights, ...)
	ChatNotFound    ChatProblem = "not found"   // 400: chat not found
)

// ChatError is a permanent failure to reach a chat (403, or 400 chat not
// found). The caller should stop sending there: mark the binding
// inactive, tell an administrator. It wraps ErrChatUnavailable.
type ChatError struct {
	ChatID      int64
	Problem     ChatProblem
	Description string // Telegram's text
}

func (e *ChatError) Error() string {
	return fmt.Sprintf("chat %d unavailable (%s): %s", e.ChatID, e.Problem, e.Description)
}

// Unwrap makes errors.Is(err, ErrChatUnavailable) hold.
func (e *ChatError) Unwrap() error { return ErrChatUnavailable }

// MigratedError says a group became a supergroup with a new id: resend
// to NewChatID and remember it.
type MigratedError struct {
	ChatID, NewChatID int64
}

func (e *MigratedError) Error() string {
	return fmt.Sprintf("chat %d migrated to %d", e.ChatID, e.NewChatID)
}

// ServerError is a 5xx answer from the Bot API (or the proxy before it).
// It is transient: the sender retries it with backoff.
type ServerError struct {
	Status int
}

func (e *ServerError) Error() string { return fmt.Sprintf("bot api answered HTTP %d", e.Status) }

// ErrNotModified: an edit left the message as it was (Telegram's 400
// "message is not modified"). Callers can ignore it.
var ErrNotModified = errors.New("message is not modified")

// classify turns a library error into the typed errors above where one
// applies, and tells whether to retry.
type verdict uint8

const (
	permanent verdict = iota
	transient         // 5xx, timeouts, dropped connections: retry with backoff
	tooMany           // 429: wait retry_after, then retry
)

func classify(chatID int64, err error) (error, verdict) {
	var tm *tgbot.TooManyRequestsError
	if errors.As(err, &tm) {
		return err, tooMany
	}
	var mig *tgbot.MigrateError
	if errors.As(err, &mig) {
		return &MigratedError{ChatID: chatID, NewChatID: int64(mig.MigrateToChatID)}, permanent
	}
	msg := strings.ToLower(err.Error())
	if errors.Is(err, tgbot.ErrorForbidden) {
		p := ChatForbidden
		switch {
		case strings.Contains(msg, "kicked"), strings.Contains(msg, "not a member"):
			p = ChatKicked
		case strings.Contains(msg, "blocked"):
			p = ChatBlocked
		case strings.Contains(msg, "deactivated"), strings.Contains(msg, "deleted"):
			p = ChatDeactivated
		}
		return &ChatError{ChatID: chatID, Problem: p, Description: description(err)}, permanent
	}
	if errors.Is(err, tgbot.ErrorBadRequest) {
		switch {
		case strings.Contains(msg, "chat not found"):
			return &ChatError{ChatID: chatID, Problem: ChatNotFound, Description: description(err)}, permanent
		case strings.Contains(msg, "message is not modified"):
			return ErrNotModified, permanent
		}
		return err, permanent
	}
	var se *ServerError
	if errors.As(err, &se) {
		return err, transient
	}
	if errors.Is(err, context.Canceled) {
		return err, permanent
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return err, transient
	}
	return err, permanent
}

// description returns Telegram's text from a library error ("forbidden,
// Forbidden: bot was kicked ...").
func description(err error) string {
	s := err.Error()
	if _, after, ok := strings.Cut(s, ", "); ok {
		return after
	}
	return s
}
