package cache

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

func TestNewClient(t *testing.T) {
	tests := []struct {
		name string
		url  string
		// want holds the options expected after the client's defaults.
		dial, read, write, pool time.Duration
		retries, db             int
	}{
		{
			name: "defaults",
			url:  "redis://127.0.0.1:6379/15",
			dial: DialTimeout, read: ReadTimeout, write: WriteTimeout, pool: PoolTimeout,
			retries: 0, db: 15,
		},
		{
			name: "the URL wins",
			url:  "redis://:secret@redis.internal:6380/2?dial_timeout=1s&read_timeout=250ms&max_retries=2",
			dial: time.Second, read: 250 * time.Millisecond, write: 250 * time.Millisecond, pool: PoolTimeout,
			retries: 2, db: 2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rdb, err := NewClient(tc.url)
			if err != nil {
				t.Fatalf("NewClient: %v", err)
			}
			defer rdb.Close()
			o := rdb.Options()
			got := []any{o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout, o.MaxRetries, o.DB, o.DialerRetries, o.ContextTimeoutEnabled}
			want := []any{tc.dial, tc.read, tc.write, tc.pool, tc.retries, tc.db, 1, true}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("dial, read, write, pool timeouts, retries, db, dial attempts, context timeouts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewClientErrorHidesThePassword(t *testing.T) {
	for _, u := range []string{
		"redis://user:s3cret@host:notaport/0",
		"redis://user:s3cret@host:6379/notadb",
		"http://user:s3cret@host/",
		"redis://user:s3cret@host:6379/0?bogus=1",
	} {
		_, err := NewClient(u)
		if err == nil {
			t.Errorf("NewClient(%s): no error", redactURL(u))
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

func TestEntryKeys(t *testing.T) {
	hcm := time.FixedZone("ICT", 7*3600)
	must := func(args string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return args
	}
	key := func(m method, args string) string { return entryKey("p:", m, args) }
	tests := []struct {
		name  string
		a, b  string
		equal bool
	}{
		{
			name:  "kinds are a set",
			a:     key(mSearch, must(searchArgs(store.SearchQuery{Text: "x", Kinds: []store.RecordKind{store.RecordUnit, store.RecordDirective}}))),
			b:     key(mSearch, must(searchArgs(store.SearchQuery{Text: "x", Kinds: []store.RecordKind{store.RecordDirective, store.RecordUnit, store.RecordUnit}}))),
			equal: true,
		},
		{
			name:  "limit 0 is the default limit",
			a:     key(mSearch, must(searchArgs(store.SearchQuery{Text: "x"}))),
			b:     key(mSearch, must(searchArgs(store.SearchQuery{Text: "x", Limit: store.DefaultLimit}))),
			equal: true,
		},
		{
			name:  "search text differs",
			a:     key(mSearch, must(searchArgs(store.SearchQuery{Text: "biên giới"}))),
			b:     key(mSearch, must(searchArgs(store.SearchQuery{Text: "bien gioi"}))),
			equal: false,
		},
		{
			name:  "an instant in any zone",
			a:     key(mMeetings, must(meetingFilterArgs(store.MeetingFilter{From: time.Date(2024, 4, 17, 0, 0, 0, 0, hcm)}))),
			b:     key(mMeetings, must(meetingFilterArgs(store.MeetingFilter{From: time.Date(2024, 4, 16, 17, 0, 0, 0, time.UTC)}))),
			equal: true,
		},
		{
			name:  "another day",
			a:     key(mMeetings, must(meetingFilterArgs(store.MeetingFilter{From: time.Date(2024, 4, 17, 0, 0, 0, 0, hcm)}))),
			b:     key(mMeetings, must(meetingFilterArgs(store.MeetingFilter{From: time.Date(2024, 4, 17, 0, 0, 0, 0, time.UTC)}))),
			equal: false,
		},
		{
			name:  "directive code without case and space",
			a:     key(mDirectiveByCode, codeArgs(" 15/CT-UBND ")),
			b:     key(mDirectiveByCode, codeArgs("15/ct-ubnd")),
			equal: true,
		},
		{
			name:  "status set",
			a:     key(mDirectives, must(directiveFilterArgs(store.DirectiveFilter{UnitID: 3, Status: store.SetOpen, AsOf: store.NewDate(2024, 5, 1)}))),
			b:     key(mDirectives, must(directiveFilterArgs(store.DirectiveFilter{UnitID: 3, Status: store.SetDone, AsOf: store.NewDate(2024, 5, 1)}))),
			equal: false,
		},
		{
			name:  "as of another day",
			a:     key(mDirectives, must(directiveFilterArgs(store.DirectiveFilter{Status: store.SetOpen, AsOf: store.NewDate(2024, 5, 1)}))),
			b:     key(mDirectives, must(directiveFilterArgs(store.DirectiveFilter{Status: store.SetOpen, AsOf: store.NewDate(2024, 5, 2)}))),
			equal: false,
		},
		{
			name:  "same id, another method",
			a:     key(mUnit, idArgs(7)),
			b:     key(mProgram, idArgs(7)),
			equal: false,
		},
		{
			name:  "retired units",
			a:     key(mUnits, must(unitFilterArgs(store.UnitFilter{}))),
			b:     key(mUnits, must(unitFilterArgs(store.UnitFilter{IncludeRetired: true}))),
			equal: false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a == tc.b; got != tc.equal {
				t.Errorf("keys\n  %s\n  %s\nequal = %v, want %v", tc.a, tc.b, got, tc.equal)
			}
		})
	}
}

func TestEntryKeyShape(t *testing.T) {
	long, err := searchArgs(store.SearchQuery{Text: strings.Repeat("chỉ thị biên giới ", 50)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		m    method
		args string
		want string
	}{
		{name: "id", m: mDirective, args: idArgs(42), want: "meetbot:" + entryVersion + ":directive:42"},
		{name: "code", m: mDirectiveByCode, args: codeArgs("15/CT-UBND"), want: "meetbot:" + entryVersion + ":directive-by-code:15/ct-ubnd"},
		{name: "short filter", m: mUnits, args: `{"retired":true}`, want: "meetbot:" + entryVersion + `:units:{"retired":true}`},
		{name: "long text", m: mSearch, args: long, want: "meetbot:" + entryVersion + ":search:#"},
		{name: "diacritics", m: mFindUnits, args: "Mèo Vạc", want: "meetbot:" + entryVersion + ":find-units:#"},
		{name: "space", m: mFindUnits, args: "meo vac", want: "meetbot:" + entryVersion + ":find-units:#"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := entryKey(DefaultPrefix, tc.m, tc.args)
			if strings.HasSuffix(tc.want, "#") {
				if !strings.HasPrefix(got, tc.want) || len(got) != len(tc.want)+32 {
					t.Errorf("entryKey = %q, want %q and 32 hex digits", got, tc.want)
				}
				return
			}
			if got != tc.want {
				t.Errorf("entryKey = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestGenTag(t *testing.T) {
	tests := []struct {
		name     string
		vals     []any
		tag      string
		complete bool
	}{
		{name: "all present", vals: []any{"17", "4", "1732000000000000001"}, tag: "17,4,1732000000000000001", complete: true},
		{name: "one", vals: []any{"3"}, tag: "3", complete: true},
		{name: "one missing", vals: []any{"17", nil, "2"}, complete: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tag, complete := genTag(tc.vals)
			if tag != tc.tag || complete != tc.complete {
				t.Errorf("genTag = %q, %v; want %q, %v", tag, complete, tc.tag, tc.complete)
			}
		})
	}
}
