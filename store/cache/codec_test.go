package cache

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

// fillAll sets every field reachable from v to a distinct non-zero value,
// slices to two elements, so a field the codec dropped would show.
func fillAll(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	*n++
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x := int64(*n)
		if *n%2 == 0 {
			x = -x
		}
		v.SetInt(x)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.String:
		v.SetString(fmt.Sprintf("giá trị %d – Đồng Văn", *n))
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fillAll(t, s.Index(i), n)
		}
		v.Set(s)
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(time.Unix(1_700_000_000+int64(*n), int64(*n)).UTC()))
			return
		}
		for i := range v.NumField() {
			fillAll(t, v.Field(i), n)
		}
	default:
		t.Fatalf("fillAll: kind %v", v.Kind())
	}
}

func roundTrip[T any](t *testing.T, c codec[T], v T) {
	t.Helper()
	got, err := c.decode(string(c.append(nil, &v)))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if diff := cmp.Diff(v, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// Nil and empty slices are kept apart, as the store gave them.
	if !reflect.DeepEqual(v, got) {
		t.Errorf("round trip differs in a way cmp hides (nil vs empty?):\nwant %#v\n got %#v", v, got)
	}
}

func testCodec[T any](c codec[T]) func(t *testing.T) {
	return func(t *testing.T) {
		var zero T
		t.Run("zero", func(t *testing.T) { roundTrip(t, c, zero) })
		t.Run("every field set", func(t *testing.T) {
			var v T
			n := 0
			fillAll(t, reflect.ValueOf(&v).Elem(), &n)
			roundTrip(t, c, v)
		})
	}
}

func TestCodecRoundTrip(t *testing.T) {
	t.Run("units", testCodec(unitsCodec))
	t.Run("unit", testCodec(unitCodec))
	t.Run("meetings", testCodec(meetingsCodec))
	t.Run("meeting", testCodec(meetingCodec))
	t.Run("directives", testCodec(directivesCodec))
	t.Run("directive", testCodec(directiveCodec))
	t.Run("programs", testCodec(programsCodec))
	t.Run("program", testCodec(programCodec))
	t.Run("search", testCodec(searchCodec))
}

func TestCodecKeepsEmptySlices(t *testing.T) {
	roundTrip(t, unitsCodec, []store.Unit{})
	roundTrip(t, unitsCodec, []store.Unit{{Aliases: []string{}}, {Aliases: nil, FormerNames: []store.UnitName{}}})
	roundTrip(t, directivesCodec, store.Page[store.Directive]{Items: []store.Directive{}, Total: 3, Offset: 10, Limit: 10})
}

func TestCodecInstantsInUTC(t *testing.T) {
	hcm := time.FixedZone("ICT", 7*3600)
	at := time.Date(2024, 4, 17, 8, 0, 0, 123, hcm)
	m := store.Meeting{StartsAt: at, EndsAt: time.Date(1969, 7, 20, 20, 17, 40, 0, time.UTC)}
	got, err := meetingCodec.decode(string(meetingCodec.append(nil, &m)))
	if err != nil {
		t.Fatal(err)
	}
	if !got.StartsAt.Equal(at) || got.StartsAt.Location() != time.UTC {
		t.Errorf("StartsAt = %v, want %v in UTC", got.StartsAt, at)
	}
	if !got.EndsAt.Equal(m.EndsAt) {
		t.Errorf("EndsAt = %v, want %v", got.EndsAt, m.EndsAt)
	}
	if !got.UpdatedAt.IsZero() {
		t.Errorf("zero UpdatedAt decoded as %v", got.UpdatedAt)
	}
}

func TestCodecRejectsCorruptEntries(t *testing.T) {
	var d store.Directive
	n := 0
	fillAll(t, reflect.ValueOf(&d).Elem(), &n)
	enc := string(directiveCodec.append(nil, &d))
	for i := range len(enc) {
		if _, err := directiveCodec.decode(enc[:i]); err == nil {
			t.Fatalf("decoding the first %d of %d bytes gave no error", i, len(enc))
		}
	}
	if _, err := directiveCodec.decode(enc + "x"); err == nil {
		t.Error("trailing byte accepted")
	}
	huge := "\xff\xff\xff\xff\xff\xff\xff\xff\x7f"
	if _, err := unitsCodec.decode(huge); err == nil {
		t.Error("a slice longer than the entry was accepted")
	}
}

func FuzzDecodeDirective(f *testing.F) {
	var d store.Directive
	f.Add(string(directiveCodec.append(nil, &d)))
	d = store.Directive{ID: 7, Code: "15/CT-UBND", Assignments: []store.Assignment{{ID: 1, Reports: []store.ProgressReport{{At: time.Now()}}}}}
	f.Add(string(directiveCodec.append(nil, &d)))
	f.Add("\x03\x00\x00")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := directiveCodec.decode(s)
		if err != nil {
			return
		}
		// What decodes re-encodes to the same value.
		again, err := directiveCodec.decode(string(directiveCodec.append(nil, &v)))
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if diff := cmp.Diff(v, again); diff != "" {
			t.Fatalf("re-encoding changed the value:\n%s", diff)
		}
	})
}

type withMap struct{ M map[string]int }
type withPointer struct{ P *int }
type withInterface struct{ V any }
type withFloat struct{ F float64 }
type withUnexported struct{ a int }
type recursive struct{ Children []recursive }

func TestCodecRejectsTypesItCannotEncodeExactly(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "map", err: errOf(newCodec[withMap]()), want: "unsupported kind map"},
		{name: "pointer", err: errOf(newCodec[withPointer]()), want: "unsupported kind ptr"},
		{name: "interface", err: errOf(newCodec[withInterface]()), want: "unsupported kind interface"},
		{name: "float", err: errOf(newCodec[withFloat]()), want: "unsupported kind float64"},
		{name: "unexported field", err: errOf(newCodec[withUnexported]()), want: "unexported field"},
		{name: "recursive", err: errOf(newCodec[recursive]()), want: "recursive type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", tc.err, tc.want)
			}
		})
	}
}

func errOf[T any](_ codec[T], err error) error { return err }

// TestLayoutNamesFields: the fingerprint in entry keys changes when a
// field is added, renamed or changes type.
func TestLayoutNamesFields(t *testing.T) {
	type v1 struct {
		A int
		B string
	}
	type v2 struct {
		A int
		B string
		C bool
	}
	type v3 struct {
		A int
		C string
	}
	type v4 struct {
		A uint
		B string
	}
	layouts := map[string]string{}
	for name, l := range map[string]string{
		"v1": mustLayout[v1](t), "v2": mustLayout[v2](t), "v3": mustLayout[v3](t), "v4": mustLayout[v4](t),
	} {
		for other, ol := range layouts {
			if l == ol {
				t.Errorf("%s and %s have the same layout %q", name, other, l)
			}
		}
		layouts[name] = l
	}
	if !strings.HasPrefix(entryVersion, keyVersion+"-") || len(entryVersion) != len(keyVersion)+9 {
		t.Errorf("entryVersion = %q, want %q, '-' and 8 hex digits", entryVersion, keyVersion)
	}
}

func mustLayout[T any](t *testing.T) string {
	t.Helper()
	c, err := newCodec[T]()
	if err != nil {
		t.Fatal(err)
	}
	return c.p.layout
}

// BenchmarkDecodeDirectives measures decoding a page of 10 directives.
func BenchmarkDecodeDirectives(b *testing.B) {
	s := benchStore(b)
	page, err := s.Directives(b.Context(), store.DirectiveFilter{AsOf: store.NewDate(2024, 5, 14), Order: store.OrderUrgent})
	if err != nil {
		b.Fatal(err)
	}
	enc := string(directivesCodec.append(nil, &page))
	b.SetBytes(int64(len(enc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := directivesCodec.decode(enc); err != nil {
			b.Fatal(err)
		}
	}
}
