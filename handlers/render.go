package handlers

// This file holds what views are made of: the view and keyboard types and
// the formats only replies use (meeting times, program periods, icons).
// The wording of statuses, roles, days and people, shared with the
// scheduler's reminders, is in package wording. Markup is made only by
// tghtml.Builder, which escapes everything it is given; views (views.go)
// write through it, and nothing in the package writes a tag or escapes
// text by hand.

import (
	"fmt"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/store"
	"meetbot/wording"
)

// view is a rendered reply: HTML (of any length; it is split when sent),
// an optional keyboard (on the last part), and for button presses the
// short notice shown by AnswerCallbackQuery.
type view struct {
	html   string
	kb     *models.InlineKeyboardMarkup
	notice string
	// ask marks a question of a guided conversation: in a group, where
	// privacy mode delivers only replies to the bot, a question without
	// buttons is sent as a forced reply to the user's message.
	ask bool
	// replace marks a question redrawn after a button press: it takes
	// the place of the message the button was on.
	replace bool
}

// keyboard builds an inline keyboard.
type keyboard struct {
	rows [][]models.InlineKeyboardButton
}

// row appends a row, skipping empty ones.
func (k *keyboard) row(bs ...models.InlineKeyboardButton) {
	if len(bs) > 0 {
		k.rows = append(k.rows, bs)
	}
}

// markup returns the keyboard, or nil when it has no buttons.
func (k *keyboard) markup() *models.InlineKeyboardMarkup {
	if len(k.rows) == 0 {
		return nil
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: k.rows}
}

// button returns a button that sends cb when pressed. Button text is
// plain text, never parsed as HTML.
func button(text string, cb callback) models.InlineKeyboardButton {
	return models.InlineKeyboardButton{Text: text, CallbackData: cb.encode()}
}

// --- formats ---------------------------------------------------------------

// fmtDate returns d as dd/mm/yyyy.
func fmtDate(d store.Date) string { return d.DMY() }

// hasClock reports whether t, seen in loc, carries a time of day: records
// imported with a bare day start at midnight, and "00:00" would mislead.
func hasClock(t time.Time, loc *time.Location) bool {
	l := t.In(loc)
	return l.Hour() != 0 || l.Minute() != 0
}

// fmtWhen returns a meeting's time: "08:00–11:30, Thứ Tư, 17/04/2024", or
// just the day when no time of day is known.
func fmtWhen(start, end time.Time, loc *time.Location) string {
	day := wording.Day(store.DateIn(start, loc))
	if !hasClock(start, loc) && (end.IsZero() || !hasClock(end, loc)) {
		if !end.IsZero() && store.DateIn(end, loc) != store.DateIn(start, loc) {
			return day + " – " + wording.Day(store.DateIn(end, loc))
		}
		return day
	}
	clock := start.In(loc).Format("15:04")
	if !end.IsZero() {
		if store.DateIn(end, loc) == store.DateIn(start, loc) {
			clock += "–" + end.In(loc).Format("15:04")
		} else {
			return clock + ", " + day + " – " + end.In(loc).Format("15:04") + ", " + wording.Day(store.DateIn(end, loc))
		}
	}
	return clock + ", " + day
}

// fmtShortWhen returns "17/04/2024 08:00" (or the day alone) for lists.
func fmtShortWhen(t time.Time, loc *time.Location) string {
	if !hasClock(t, loc) {
		return fmtDate(store.DateIn(t, loc))
	}
	return fmtDate(store.DateIn(t, loc)) + " " + t.In(loc).Format("15:04")
}

// fmtPeriod returns a program's period: "2020–2025, tầm nhìn 2030".
func fmtPeriod(p store.Program) string {
	var s string
	switch {
	case p.StartYear != 0 && p.EndYear != 0 && p.StartYear != p.EndYear:
		s = fmt.Sprintf("%d–%d", p.StartYear, p.EndYear)
	case p.StartYear != 0 && p.EndYear == p.StartYear:
		s = fmt.Sprintf("năm %d", p.StartYear)
	case p.StartYear != 0:
		s = fmt.Sprintf("từ năm %d", p.StartYear)
	case p.EndYear != 0:
		s = fmt.Sprintf("đến năm %d", p.EndYear)
	}
	if p.VisionYear != 0 {
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("tầm nhìn %d", p.VisionYear)
	}
	return s
}

// --- labels ------------------------------------------------------------------

// kindIcon is the icon of a kind of record in lists and search results.
func kindIcon(k store.RecordKind) string {
	switch k {
	case store.RecordMeeting:
		return "🏛"
	case store.RecordDirective:
		return "📌"
	case store.RecordProgram:
		return "📚"
	case store.RecordUnit:
		return "🏢"
	}
	return "•"
}

// pages returns the number of pages for total items, at least 1.
func pages(total, size int) int {
	if total <= 0 {
		return 1
	}
	return (total + size - 1) / size
}
