package cache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unsafe"

	"meetbot/store"
)

// Entries hold answers in a compact binary form rather than JSON: decoding
// JSON cost several Redis round trips for a page of directives (see
// BenchmarkCachedDirectives), and a cache hit should cost about one.
//
// The form is compiled by reflection from the Go type, so a field added to
// a domain type is cached without anyone touching this file (a field of a
// kind it cannot encode exactly, such as a map or a float, makes the
// package fail to load, hence every test that imports it). Values are
// written in field order without names: bool as one byte, integers as
// varints (zig-zag for signed ones), strings as length and bytes, slices
// as length+1 (0 for nil) and elements, time.Time as 0 for the zero time
// or 1, Unix seconds and nanoseconds (decoded in UTC, the zone the
// contract uses for instants). Since the form has no names, the key of an
// entry carries a fingerprint of the layout of every cached type
// (entryVersion): a binary whose types differ reads and writes other keys.
//
// Decoding reads strings straight out of the Redis reply, without copying
// them; only slices are allocated. It writes fields through their offsets
// (package unsafe) rather than through reflect.Value, which was about
// twice as slow (BenchmarkDecodeDirectives); every write goes through a
// pointer of the field's own type, inside a value this package allocated,
// so the garbage collector sees them all. Encoding happens on misses only
// and uses plain reflection.

// codec encodes and decodes values of type T.
type codec[T any] struct{ p *plan }

// plan encodes and decodes values of one type.
type plan struct {
	enc func(b []byte, v reflect.Value) []byte
	// dec decodes into the value of the plan's type at p.
	dec    func(d *decoder, p unsafe.Pointer)
	layout string // the type's structure, for entryVersion
}

// newCodec compiles the codec of T. It fails for types it cannot encode
// exactly: maps, pointers, interfaces, floats, unexported fields,
// recursive types.
func newCodec[T any]() (codec[T], error) {
	p, err := compile(reflect.TypeFor[T](), map[reflect.Type]bool{})
	if err != nil {
		return codec[T]{}, fmt.Errorf("cache codec for %v: %w", reflect.TypeFor[T](), err)
	}
	return codec[T]{p: p}, nil
}

// mustCodec is newCodec for the package's fixed set of types: a failure is
// a programming error, reported when the package loads (and by its tests).
func mustCodec[T any]() codec[T] {
	c, err := newCodec[T]()
	if err != nil {
		panic(err)
	}
	return c
}

// append appends the encoding of *v to b.
func (c codec[T]) append(b []byte, v *T) []byte {
	return c.p.enc(b, reflect.ValueOf(v).Elem())
}

// decode decodes s, which must hold exactly one encoded value. The strings
// of the result share s's memory.
func (c codec[T]) decode(s string) (T, error) {
	var v T
	d := decoder{s: s}
	c.p.dec(&d, unsafe.Pointer(&v))
	if d.err == nil && d.off != len(s) {
		d.err = fmt.Errorf("%d bytes left over", len(s)-d.off)
	}
	if d.err != nil {
		var zero T
		return zero, fmt.Errorf("decode %v: %w", reflect.TypeFor[T](), d.err)
	}
	return v, nil
}

// The codecs of the answers the cache stores.
var (
	unitsCodec      = mustCodec[[]store.Unit]()
	unitCodec       = mustCodec[store.Unit]()
	meetingsCodec   = mustCodec[store.Page[store.Meeting]]()
	meetingCodec    = mustCodec[store.Meeting]()
	directivesCodec = mustCodec[store.Page[store.Directive]]()
	directiveCodec  = mustCodec[store.Directive]()
	programsCodec   = mustCodec[store.Page[store.Program]]()
	programCodec    = mustCodec[store.Program]()
	searchCodec     = mustCodec[store.Page[store.SearchHit]]()
	statsCodec      = mustCodec[[]store.UnitStats]()
)

// entryVersion is the first part of every entry key after the prefix:
// keyVersion and a fingerprint of the layouts of every cached type.
var entryVersion = func() string {
	h := sha256.New()
	for _, p := range []*plan{unitsCodec.p, unitCodec.p, meetingsCodec.p, meetingCodec.p,
		directivesCodec.p, directiveCodec.p, programsCodec.p, programCodec.p, searchCodec.p, statsCodec.p} {
		h.Write([]byte(p.layout))
		h.Write([]byte{0})
	}
	return keyVersion + "-" + hex.EncodeToString(h.Sum(nil)[:4])
}()

var timeType = reflect.TypeFor[time.Time]()

func compile(t reflect.Type, visiting map[reflect.Type]bool) (*plan, error) {
	if visiting[t] {
		return nil, fmt.Errorf("recursive type %v", t)
	}
	switch t.Kind() {
	case reflect.Bool:
		return &plan{
			layout: "bool",
			enc: func(b []byte, v reflect.Value) []byte {
				if v.Bool() {
					return append(b, 1)
				}
				return append(b, 0)
			},
			dec: func(d *decoder, p unsafe.Pointer) { *(*bool)(p) = d.uvarint() != 0 },
		}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var dec func(d *decoder, p unsafe.Pointer)
		switch t.Size() {
		case 1:
			dec = func(d *decoder, p unsafe.Pointer) { *(*int8)(p) = int8(d.varint()) }
		case 2:
			dec = func(d *decoder, p unsafe.Pointer) { *(*int16)(p) = int16(d.varint()) }
		case 4:
			dec = func(d *decoder, p unsafe.Pointer) { *(*int32)(p) = int32(d.varint()) }
		default:
			dec = func(d *decoder, p unsafe.Pointer) { *(*int64)(p) = d.varint() }
		}
		return &plan{
			layout: t.Kind().String(),
			enc:    func(b []byte, v reflect.Value) []byte { return binary.AppendVarint(b, v.Int()) },
			dec:    dec,
		}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		var dec func(d *decoder, p unsafe.Pointer)
		switch t.Size() {
		case 1:
			dec = func(d *decoder, p unsafe.Pointer) { *(*uint8)(p) = uint8(d.uvarint()) }
		case 2:
			dec = func(d *decoder, p unsafe.Pointer) { *(*uint16)(p) = uint16(d.uvarint()) }
		case 4:
			dec = func(d *decoder, p unsafe.Pointer) { *(*uint32)(p) = uint32(d.uvarint()) }
		default:
			dec = func(d *decoder, p unsafe.Pointer) { *(*uint64)(p) = d.uvarint() }
		}
		return &plan{
			layout: t.Kind().String(),
			enc:    func(b []byte, v reflect.Value) []byte { return binary.AppendUvarint(b, v.Uint()) },
			dec:    dec,
		}, nil
	case reflect.String:
		return &plan{
			layout: "string",
			enc: func(b []byte, v reflect.Value) []byte {
				s := v.String()
				return append(binary.AppendUvarint(b, uint64(len(s))), s...)
			},
			dec: func(d *decoder, p unsafe.Pointer) { *(*string)(p) = d.str() },
		}, nil
	case reflect.Slice:
		visiting[t] = true
		defer delete(visiting, t)
		elem, err := compile(t.Elem(), visiting)
		if err != nil {
			return nil, err
		}
		size := t.Elem().Size()
		if size == 0 {
			return nil, fmt.Errorf("slice of zero-size %v", t.Elem())
		}
		return &plan{
			layout: "[]" + elem.layout,
			enc: func(b []byte, v reflect.Value) []byte {
				if v.IsNil() {
					return append(b, 0)
				}
				n := v.Len()
				b = binary.AppendUvarint(b, uint64(n)+1)
				for i := range n {
					b = elem.enc(b, v.Index(i))
				}
				return b
			},
			dec: func(d *decoder, p unsafe.Pointer) {
				n := d.uvarint()
				if n == 0 {
					return // nil
				}
				n--
				// Every element takes at least one byte: a corrupt length
				// must not allocate more than the entry could hold.
				if n > uint64(len(d.s)-d.off) {
					d.fail(errors.New("slice longer than the entry"))
					return
				}
				s := reflect.MakeSlice(t, int(n), int(n))
				reflect.NewAt(t, p).Elem().Set(s)
				base := s.UnsafePointer()
				for i := range int(n) {
					elem.dec(d, unsafe.Add(base, uintptr(i)*size))
					if d.err != nil {
						return
					}
				}
			},
		}, nil
	case reflect.Struct:
		if t == timeType {
			return timePlan(), nil
		}
		visiting[t] = true
		defer delete(visiting, t)
		type field struct {
			index  int
			offset uintptr
			p      *plan
		}
		var fields []field
		var layout strings.Builder
		layout.WriteString("{")
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				return nil, fmt.Errorf("unexported field %v.%s", t, f.Name)
			}
			p, err := compile(f.Type, visiting)
			if err != nil {
				return nil, fmt.Errorf("%v.%s: %w", t, f.Name, err)
			}
			fields = append(fields, field{i, f.Offset, p})
			fmt.Fprintf(&layout, "%s:%s;", f.Name, p.layout)
		}
		layout.WriteString("}")
		return &plan{
			layout: layout.String(),
			enc: func(b []byte, v reflect.Value) []byte {
				for _, f := range fields {
					b = f.p.enc(b, v.Field(f.index))
				}
				return b
			},
			dec: func(d *decoder, p unsafe.Pointer) {
				for _, f := range fields {
					f.p.dec(d, unsafe.Add(p, f.offset))
				}
			},
		}, nil
	}
	return nil, fmt.Errorf("unsupported kind %v (%v)", t.Kind(), t)
}

func timePlan() *plan {
	return &plan{
		layout: "time",
		enc: func(b []byte, v reflect.Value) []byte {
			t := v.Addr().Interface().(*time.Time)
			if t.IsZero() {
				return append(b, 0)
			}
			b = append(b, 1)
			b = binary.AppendVarint(b, t.Unix())
			return binary.AppendUvarint(b, uint64(t.Nanosecond()))
		},
		dec: func(d *decoder, p unsafe.Pointer) {
			if d.uvarint() == 0 {
				return
			}
			sec := d.varint()
			nsec := d.uvarint()
			if nsec >= 1e9 {
				d.fail(errors.New("nanoseconds out of range"))
				return
			}
			*(*time.Time)(p) = time.Unix(sec, int64(nsec)).UTC()
		},
	}
}

// decoder reads an encoded value from a string.
type decoder struct {
	s   string
	off int
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.off = len(d.s) // every later read fails too
}

var errShort = errors.New("entry too short")

func (d *decoder) uvarint() uint64 {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if d.off >= len(d.s) {
			d.fail(errShort)
			return 0
		}
		c := d.s[d.off]
		d.off++
		if c < 0x80 {
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
	}
	d.fail(errors.New("varint overflows 64 bits"))
	return 0
}

// varint reads a zig-zag varint as binary.AppendVarint writes it.
func (d *decoder) varint() int64 {
	ux := d.uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

func (d *decoder) str() string {
	n := d.uvarint()
	if n > uint64(len(d.s)-d.off) {
		d.fail(errShort)
		return ""
	}
	s := d.s[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}
