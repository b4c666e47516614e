package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"meetbot/store"
)

// nsSet is a set of namespaces: the kinds of record an answer is built
// from. Each namespace has a generation counter in Redis that writes bump.
type nsSet uint8

const (
	nsUnits nsSet = 1 << iota
	nsMeetings
	nsDirectives
	nsPrograms

	nsAll = nsUnits | nsMeetings | nsDirectives | nsPrograms
)

// nsNames are the namespaces in a fixed order: the order of generations in
// an entry's tag.
var nsNames = [...]struct {
	ns   nsSet
	name string
}{
	{nsUnits, "units"},
	{nsMeetings, "meetings"},
	{nsDirectives, "directives"},
	{nsPrograms, "programs"},
}

// method describes a cached read: its name in keys and the namespaces its
// answer depends on. An answer depends on a namespace when a write to that
// kind of record can change it, names and counts carried along included.
type method struct {
	name string
	deps nsSet
}

var (
	// Units carry only unit data.
	mUnits     = method{"units", nsUnits}
	mUnit      = method{"unit", nsUnits}
	mFindUnits = method{"find-units", nsUnits}
	// Meetings carry organiser and attendee names, and DirectiveCount.
	mMeetings = method{"meetings", nsMeetings | nsUnits | nsDirectives}
	mMeeting  = method{"meeting", nsMeetings | nsUnits | nsDirectives}
	// Directives carry the meeting title, program name and unit names.
	mDirectives      = method{"directives", nsAll}
	mDirective       = method{"directive", nsAll}
	mDirectiveByCode = method{"directive-by-code", nsAll}
	// Programs carry the owner's name and DirectiveCount.
	mPrograms = method{"programs", nsPrograms | nsUnits | nsDirectives}
	mProgram  = method{"program", nsPrograms | nsUnits | nsDirectives}
	// Search ranges over every kind.
	mSearch = method{"search", nsAll}
	// Stats counts directives' shares, named by unit.
	mStats = method{"stats", nsDirectives | nsUnits}
)

// keyVersion starts entryVersion; change it when the entry format or the
// meaning of a key changes, so old entries are never read.
const keyVersion = "c2"

// maxPlainArgs is the longest argument text kept readable in a key; longer
// ones (filters, search text) are replaced by a hash.
const maxPlainArgs = 64

// genKey returns the key of a namespace's generation counter.
func genKey(prefix, name string) string { return prefix + "gen:" + name }

// entryKey returns the key of m's entry for args: prefix, entryVersion,
// ":", method, ":", args, with args replaced by "#" and 32 hex digits of
// its SHA-256 when it is long or not printable ASCII.
func entryKey(prefix string, m method, args string) string {
	if len(args) > maxPlainArgs || !printable(args) {
		sum := sha256.Sum256([]byte(args))
		args = "#" + hex.EncodeToString(sum[:16])
	}
	return prefix + entryVersion + ":" + m.name + ":" + args
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func idArgs(id int64) string { return strconv.FormatInt(id, 10) }

// The argument texts below are JSON of the arguments, normalised so that
// arguments the contract says give the same answer share one key. Only the
// key is normalised: the inner store always gets the caller's arguments.

func unitFilterArgs(f store.UnitFilter) (string, error) { return jsonArgs(f) }

// viewerArgs puts a viewer in canonical form: equal viewers, equal keys.
func viewerArgs(v store.Viewer) store.Viewer { return store.NewViewer(v.Admin, v.Units...) }

func statsArgs(q store.StatsQuery) (string, error) {
	q.Viewer = viewerArgs(q.Viewer)
	return jsonArgs(q)
}

func meetingFilterArgs(f store.MeetingFilter) (string, error) {
	f.Viewer = viewerArgs(f.Viewer)
	// The same instant in another zone is the same bound.
	if !f.From.IsZero() {
		f.From = f.From.UTC()
	}
	if !f.To.IsZero() {
		f.To = f.To.UTC()
	}
	f.Offset, f.Limit = store.ClampPage(f.Offset, f.Limit)
	return jsonArgs(f)
}

func directiveFilterArgs(f store.DirectiveFilter) (string, error) {
	f.Viewer = viewerArgs(f.Viewer)
	f.Offset, f.Limit = store.ClampPage(f.Offset, f.Limit)
	return jsonArgs(f)
}

func programFilterArgs(f store.ProgramFilter) (string, error) {
	f.Viewer = viewerArgs(f.Viewer)
	f.Offset, f.Limit = store.ClampPage(f.Offset, f.Limit)
	return jsonArgs(f)
}

func searchArgs(q store.SearchQuery) (string, error) {
	q.Viewer = viewerArgs(q.Viewer)
	// Kinds is a set.
	if len(q.Kinds) > 0 {
		q.Kinds = slices.Compact(slices.Sorted(slices.Values(q.Kinds)))
	}
	q.Offset, q.Limit = store.ClampPage(q.Offset, q.Limit)
	return jsonArgs(q)
}

// codeArgs follows DirectiveByCode: case and surrounding space are ignored.
func codeArgs(code string) string { return strings.ToLower(strings.TrimSpace(code)) }

func jsonArgs(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
