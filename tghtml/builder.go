// Package tghtml is Telegram's HTML parse mode, apart from anything
// meetbot-specific: escaping, a builder that escapes everything it is
// given, the parser that decides what Telegram accepts and what the user
// sees, splitting long markup into messages, and lengths counted as
// Telegram counts them (UTF-16 code units).
//
// The rules are those of https://core.telegram.org/bots/api#html-style,
// read strictly (see Parse). The handlers and the scheduler write every
// message through Builder; the fake Bot API (bot/telegramtest) and the
// console check and display them with Parse.
package tghtml

import (
	"fmt"
	"strings"
)

// htmlEscaper escapes the four characters Telegram HTML gives a meaning to.
// '"' is escaped everywhere so that the same function serves attribute
// values; Telegram decodes &quot; in text too.
var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// Escape returns s escaped for Telegram HTML, in text or in a quoted
// attribute value: '&', '<', '>' and '"' become references. Invalid UTF-8
// is replaced with U+FFFD, since Telegram rejects it.
func Escape(s string) string {
	return htmlEscaper.Replace(strings.ToValidUTF8(s, "\uFFFD"))
}

// Builder builds a Telegram HTML message. Every method escapes its
// arguments, so data can never become markup; only the tags written here
// exist. The zero value is an empty message ready to use; methods return
// the Builder so that calls chain.
type Builder struct {
	b strings.Builder
}

// Text appends s as text.
func (d *Builder) Text(s string) *Builder { d.b.WriteString(Escape(s)); return d }

// Textf appends a formatted string as text; the whole result is escaped.
func (d *Builder) Textf(format string, args ...any) *Builder {
	return d.Text(fmt.Sprintf(format, args...))
}

// B appends s in bold; an empty s appends nothing.
func (d *Builder) B(s string) *Builder { return d.wrap("b", s) }

// I appends s in italics; an empty s appends nothing.
func (d *Builder) I(s string) *Builder { return d.wrap("i", s) }

// Code appends s as inline code (tap to copy on phones); an empty s
// appends nothing.
func (d *Builder) Code(s string) *Builder { return d.wrap("code", s) }

// Link appends s as a link to url if url is an http or https address
// without white space, and s as plain text otherwise (javascript:,
// relative paths and the like never become links).
func (d *Builder) Link(url, s string) *Builder {
	if !safeURL(url) {
		return d.Text(s)
	}
	d.b.WriteString(`<a href="`)
	d.b.WriteString(Escape(url))
	d.b.WriteString(`">`)
	d.b.WriteString(Escape(s))
	d.b.WriteString("</a>")
	return d
}

// NL ends the line.
func (d *Builder) NL() *Builder { d.b.WriteByte('\n'); return d }

// String returns the markup, without trailing line breaks and spaces.
func (d *Builder) String() string { return strings.TrimRight(d.b.String(), "\n ") }

func (d *Builder) wrap(tag, s string) *Builder {
	if s == "" {
		return d
	}
	d.b.WriteString("<" + tag + ">")
	d.b.WriteString(Escape(s))
	d.b.WriteString("</" + tag + ">")
	return d
}

// safeURL reports whether u may go into an href: an http(s) address with
// something after the scheme and no white space.
func safeURL(u string) bool {
	l := strings.ToLower(u)
	return (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) && len(u) > len("https://") &&
		!strings.ContainsAny(u, " \n\t")
}
