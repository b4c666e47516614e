package handlers

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"meetbot/store"
)

// Callback data is stateless and self-describing, so a button keeps
// working after a restart and never needs a server-side session:
//
//	data   = version ":" kind *( ":" field ) [ ":" "q" query ]
//	version = "1"
//	field  = tag value            ; one letter, then digits or a word
//
// Kinds and their fields (all numbers decimal, ids > 0, pages from 1):
//
//	1:h                       help menu
//	1:n                       no-op (the "Trang 2/5" button)
//	1:u                       units
//	1:m:i<id>                 meeting detail
//	1:ml[:r<range>]:p<page>   meetings; range "u" upcoming, "p" past,
//	                          "yyyymm" a month, none the default overview
//	1:d:i<id>                 directive detail
//	1:dl[:u<unit>][:s<set>][:m<meeting>][:g<program>]:p<page>
//	                          directives; set is a store.StatusSet
//	1:dd:n<days>[:u<unit>]:p<page>   deadlines within days
//	1:od[:u<unit>]:p<page>    overdue
//	1:pl:p<page>              programs
//	1:p:i<id>                 program detail
//	1:s[:t1]:p<page>:q<query> search; the query is the rest of the data,
//	                          t1 marks a query shortened to fit
//	1:em:i<id>, 1:ed:i<id>, 1:ep:i<id>   edit a meeting, directive, program
//	1:ex:i<id>                extend a directive's deadline (entry.go)
//
// Data is at most 64 bytes (Telegram's limit). Anything else — another
// version, an unknown kind or tag, a missing id — is "expired".

const (
	cbVersion = "1"
	// maxCallbackData is Telegram's limit on callback_data, in bytes.
	maxCallbackData = 64
	// maxCallbackPage bounds page numbers so a search query's budget holds
	// for every page.
	maxCallbackPage = 9999
	// searchBudget is the room left for a search query in callback data:
	// "1:s:t1:p9999:q" takes the rest.
	searchBudget = maxCallbackData - len("1:s:t1:p9999:q")
)

// cbKind names a screen reachable from a button.
type cbKind string

// Screens reachable from buttons.
const (
	kindHelp       cbKind = "h"
	kindNoop       cbKind = "n"
	kindUnits      cbKind = "u"
	kindMeeting    cbKind = "m"
	kindMeetings   cbKind = "ml"
	kindDirective  cbKind = "d"
	kindDirectives cbKind = "dl"
	kindDeadlines  cbKind = "dd"
	kindOverdue    cbKind = "od"
	kindProgram    cbKind = "p"
	kindPrograms   cbKind = "pl"
	kindSearch     cbKind = "s"
	// kindConv answers the current question of a guided conversation
	// with a choice (conversation.go).
	kindConv cbKind = "cv"
)

// callback is what a button asks for: a screen and its parameters. The
// zero value of a field means "not set".
type callback struct {
	Kind    cbKind
	ID      int64           // i: record id for detail screens
	Unit    int64           // u: unit filter
	Status  store.StatusSet // s: status filter
	Meeting int64           // m: meeting filter
	Program int64           // g: program filter
	Days    int             // n: deadline window
	Range   string          // r: meetings range
	Page    int             // p: page, from 1
	Short   bool            // t: the search text was shortened (searchKey)
	Choice  string          // c: a conversation's answer (letters, digits, '-', '_', '.')
	Query   string          // q: search text, always last
}

// errBadCallback marks data that cannot be decoded or is not valid.
var errBadCallback = errors.New("bad callback data")

// encode returns the callback data for cb.
func (cb callback) encode() string {
	var b strings.Builder
	b.WriteString(cbVersion + ":" + string(cb.Kind))
	num := func(tag byte, v int64) {
		if v != 0 {
			b.WriteByte(':')
			b.WriteByte(tag)
			b.WriteString(strconv.FormatInt(v, 10))
		}
	}
	num('i', cb.ID)
	num('u', cb.Unit)
	num('s', int64(cb.Status))
	num('m', cb.Meeting)
	num('g', cb.Program)
	num('n', int64(cb.Days))
	if cb.Range != "" {
		b.WriteString(":r" + cb.Range)
	}
	if cb.Short {
		b.WriteString(":t1")
	}
	num('p', int64(cb.Page))
	if cb.Choice != "" {
		b.WriteString(":c" + cb.Choice)
	}
	if cb.Kind == kindSearch {
		b.WriteString(":q" + cb.Query)
	}
	return b.String()
}

// decodeCallback parses and validates callback data. Any problem wraps
// errBadCallback.
func decodeCallback(data string) (callback, error) {
	var cb callback
	if len(data) > maxCallbackData || !utf8.ValidString(data) {
		return cb, fmt.Errorf("%w: too long or not UTF-8", errBadCallback)
	}
	ver, rest, ok := strings.Cut(data, ":")
	if ver != cbVersion || !ok {
		return cb, fmt.Errorf("%w: version %q", errBadCallback, ver)
	}
	k, rest, _ := strings.Cut(rest, ":")
	cb.Kind = cbKind(k)
	seen := map[byte]bool{}
	for rest != "" {
		var f string
		if rest[0] == 'q' {
			f, rest = rest, ""
		} else {
			f, rest, _ = strings.Cut(rest, ":")
		}
		if f == "" || seen[f[0]] {
			return cb, fmt.Errorf("%w: empty or repeated field in %q", errBadCallback, data)
		}
		tag, val := f[0], f[1:]
		seen[tag] = true
		var err error
		switch tag {
		case 'i':
			cb.ID, err = parsePositive(val)
		case 'u':
			cb.Unit, err = parsePositive(val)
		case 'm':
			cb.Meeting, err = parsePositive(val)
		case 'g':
			cb.Program, err = parsePositive(val)
		case 's':
			var n int64
			n, err = parsePositive(val)
			if err == nil && (n > int64(store.SetAll) || store.StatusSet(n)&^store.SetAll != 0) {
				err = errBadCallback
			}
			cb.Status = store.StatusSet(n)
		case 'n':
			var n int64
			n, err = parsePositive(val)
			cb.Days = int(n)
		case 'p':
			var n int64
			n, err = parsePositive(val)
			if n > maxCallbackPage {
				err = errBadCallback
			}
			cb.Page = int(n)
		case 'r':
			cb.Range = val
		case 't':
			cb.Short = val == "1"
			if !cb.Short {
				err = errBadCallback
			}
		case 'c':
			cb.Choice = val
			if !validChoice(val) {
				err = errBadCallback
			}
		case 'q':
			cb.Query = val
		default:
			err = errBadCallback
		}
		if err != nil {
			return callback{}, fmt.Errorf("%w: field %q of %q", errBadCallback, f, data)
		}
	}
	if err := cb.validate(); err != nil {
		return callback{}, fmt.Errorf("%w: %q: %v", errBadCallback, data, err)
	}
	return cb, nil
}

// validate checks that cb has exactly the fields its kind takes.
func (cb callback) validate() error {
	has := func(tags string) error {
		set := map[byte]bool{
			'i': cb.ID != 0, 'u': cb.Unit != 0, 's': cb.Status != 0, 'm': cb.Meeting != 0,
			'g': cb.Program != 0, 'n': cb.Days != 0, 'r': cb.Range != "", 'p': cb.Page != 0, 'q': cb.Query != "",
			't': cb.Short, 'c': cb.Choice != "",
		}
		for tag, present := range set {
			if present && !strings.ContainsRune(tags, rune(tag)) {
				return fmt.Errorf("field %c not taken by kind %q", tag, cb.Kind)
			}
		}
		return nil
	}
	needPage := func() error {
		if cb.Page < 1 {
			return errors.New("page missing")
		}
		return nil
	}
	if ok, err := cb.validateOffice(); ok { // report.go
		return err
	}
	switch cb.Kind {
	case kindHelp, kindNoop, kindUnits:
		return has("")
	case kindMeeting, kindDirective, kindProgram, kindEditMeeting, kindEditDirective, kindEditProgram, kindExtend:
		if cb.ID <= 0 {
			return errors.New("id missing")
		}
		return has("i")
	case kindMeetings:
		if _, err := parseRange(cb.Range); err != nil {
			return err
		}
		return errors.Join(has("rp"), needPage())
	case kindDirectives:
		return errors.Join(has("usmgp"), needPage())
	case kindDeadlines:
		if cb.Days < 1 || cb.Days > maxDeadlineDays {
			return errors.New("days out of range")
		}
		return errors.Join(has("unp"), needPage())
	case kindOverdue:
		return errors.Join(has("up"), needPage())
	case kindPrograms:
		return errors.Join(has("p"), needPage())
	case kindSearch:
		if cb.Query == "" {
			return errors.New("query missing")
		}
		return errors.Join(has("pqt"), needPage())
	case kindConv:
		if cb.Choice == "" {
			return errors.New("choice missing")
		}
		return has("c")
	}
	return fmt.Errorf("unknown kind %q", cb.Kind)
}

// withPage returns cb showing page n.
func (cb callback) withPage(n int) callback {
	cb.Page = n
	return cb
}

// parsePositive parses a decimal number > 0 written canonically (no sign,
// no leading zero), so data and its encoding correspond one to one.
func parsePositive(s string) (int64, error) {
	if s == "" || s[0] == '0' || len(s) > 19 {
		return 0, errBadCallback
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errBadCallback
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errBadCallback
	}
	return n, nil
}

// validChoice reports whether s may be a conversation's choice: 1–40 of
// letters, digits, '-', '_', '.' (no ':' that would end the field).
func validChoice(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
		default:
			return false
		}
	}
	return true
}
