package importer

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"

	"meetbot/store"
)

// The YAML decoder reads the file into a yaml.Node tree and walks it
// itself rather than letting yaml.v3 fill the structs: yaml.v3 stops at
// the first value whose UnmarshalText fails and reports it without a line,
// and Node.Decode ignores KnownFields. Walking the tree lets every problem
// be reported at once with its line, record and field.

// decodeYAML reads one YAML document from r. It returns the dataset and
// the document's root mapping (for locating validation errors), or Errors.
func decodeYAML(r io.Reader) (*store.Dataset, *yaml.Node, error) {
	src, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, nil, err
	}
	if len(src) > MaxFileSize {
		return nil, nil, Errors{{Msg: fmt.Sprintf("tệp lớn hơn %d MB, quá giới hạn nhập; hãy chia thành nhiều tệp", MaxFileSize>>20)}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, Errors{{Msg: "tệp trống: không có nội dung YAML nào"}}
		}
		return nil, nil, Errors{syntaxError(src, err)}
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, nil, Errors{syntaxError(src, err)}
	default:
		return nil, nil, Errors{{Line: documentLine(&extra), Msg: "tệp có nhiều hơn một tài liệu YAML (ngăn bằng dòng “---”); hãy ghi mọi bản ghi trong một tài liệu"}}
	}

	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil, nil, Errors{{Line: root.Line, Msg: "tệp trống: không có bản ghi nào"}}
	}
	w := walker{budget: aliasBudget(root)}
	ds := new(store.Dataset)
	w.value(root, reflect.ValueOf(ds).Elem(), "", "")
	if len(w.errs) > 0 {
		w.errs.sort()
		return nil, nil, w.errs
	}
	return ds, root, nil
}

var yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns an error of the YAML parser ("yaml: line 3: could not
// find expected ':'") into an Error with its line, worded in Vietnamese.
//
// The parser often names the line where the enclosing block starts rather
// than the offending one (go-yaml/yaml#704): a mis-indented line 40 inside
// the list that starts on line 1 is reported at line 1. So, for files of
// modest size, the first lines of src are parsed again, one more line at a
// time from the reported one, and the first prefix that fails with the
// same message gives the line of the problem; both lines are reported.
func syntaxError(src []byte, err error) Error {
	line, msg := splitYAMLError(err)
	vi := "sai cú pháp YAML: " + syntaxText(msg)
	if line == 0 {
		return Error{Msg: vi}
	}
	if at := probeLine(src, line, msg); at > line {
		return Error{Line: at, Msg: fmt.Sprintf("%s (trong khối bắt đầu ở dòng %d)", vi, line)}
	}
	return Error{Line: line, Msg: vi}
}

func splitYAMLError(err error) (int, string) {
	msg := err.Error()
	if m := yamlErrorLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return line, m[2]
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

// Limits of probeLine: files larger than this are not probed, and at most
// this many lines after the reported one are tried.
const (
	probeMaxBytes = 1 << 20
	probeMaxLines = 300
)

// probeLine returns the smallest n ≥ from such that the first n lines of
// src fail to parse with message msg, or 0.
func probeLine(src []byte, from int, msg string) int {
	if len(src) > probeMaxBytes {
		return 0
	}
	// ends[i] is the offset just after line i+1.
	var ends []int
	for i, c := range src {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	ends = append(ends, len(src))
	for n := from; n <= len(ends) && n < from+probeMaxLines; n++ {
		dec := yaml.NewDecoder(bytes.NewReader(src[:ends[n-1]]))
		var node yaml.Node
		err := dec.Decode(&node)
		if err == nil || errors.Is(err, io.EOF) {
			continue
		}
		if _, m := splitYAMLError(err); m == msg {
			return n
		}
	}
	return 0
}

func documentLine(n *yaml.Node) int {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 && n.Content[0].Line > 0 {
		return n.Content[0].Line
	}
	return n.Line
}

// aliasBudget bounds the nodes the walker visits, so that a file of
// nested aliases ("billion laughs") cannot make it work for ever: ten
// times the nodes of the tree, plenty for files that reuse a list of
// units with an alias.
func aliasBudget(root *yaml.Node) int {
	n := 0
	var count func(*yaml.Node)
	count = func(x *yaml.Node) {
		n++
		for _, c := range x.Content {
			count(c)
		}
	}
	count(root)
	return 10*n + 10_000
}

// walker decodes a yaml.Node tree into Go values and collects the
// problems it finds.
type walker struct {
	errs     Errors
	budget   int
	overflow bool
}

// fail records a problem at n. record and field are as in Error.
func (w *walker) fail(n *yaml.Node, record, field, format string, args ...any) {
	w.errs = append(w.errs, Error{Line: n.Line, Record: record, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// deref follows aliases, charging the budget. It returns nil when the
// budget is spent.
func (w *walker) deref(n *yaml.Node, record, field string) *yaml.Node {
	w.budget--
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if w.budget < 0 {
		if !w.overflow {
			w.overflow = true
			w.fail(n, record, field, "tệp dùng bí danh (*tên) lồng nhau quá nhiều lần; hãy viết thẳng giá trị ra")
		}
		return nil
	}
	return n
}

var (
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// value decodes n into v. record names the top-level record being
// decoded ("" above it) and field the path inside it.
func (w *walker) value(n *yaml.Node, v reflect.Value, record, field string) {
	if n = w.deref(n, record, field); n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		// "deadline:" or "deadline: ~" leaves the zero value.
		v.SetZero()
		return
	}
	if reflect.PointerTo(v.Type()).Implements(textUnmarshalerType) {
		if n.Kind != yaml.ScalarNode {
			w.fail(n, record, field, "cần một giá trị trên một dòng, nhưng ghi %s", describe(n))
			return
		}
		text := strings.TrimSpace(n.Value)
		u := v.Addr().Interface().(encoding.TextUnmarshaler)
		if err := u.UnmarshalText([]byte(text)); err != nil {
			w.fail(n, record, field, "%s", unmarshalText(u, text))
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!binary" {
			w.fail(n, record, field, "cần văn bản, nhưng ghi %s", describe(n))
			return
		}
		v.SetString(cleanText(n.Value))
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
			w.fail(n, record, field, "cần một số nguyên, nhưng ghi %s", describe(n))
			return
		}
		var i int
		if err := n.Decode(&i); err != nil {
			w.fail(n, record, field, "cần một số nguyên, nhưng ghi %s", describe(n))
			return
		}
		v.SetInt(int64(i))
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			w.fail(n, record, field, "cần true (có) hoặc false (không), nhưng ghi %s", describe(n))
			return
		}
		var b bool
		if err := n.Decode(&b); err != nil {
			w.fail(n, record, field, "cần true (có) hoặc false (không), nhưng ghi %s", describe(n))
			return
		}
		v.SetBool(b)
	case reflect.Slice:
		w.slice(n, v, record, field)
	case reflect.Struct:
		w.mapping(n, v, record, field)
	default:
		// Dataset holds no other kinds; a change to it must be matched here.
		panic(fmt.Sprintf("importer: cannot decode into %s", v.Type()))
	}
}

func (w *walker) slice(n *yaml.Node, v reflect.Value, record, field string) {
	if n.Kind != yaml.SequenceNode {
		w.fail(n, record, field, "cần một danh sách (các dòng bắt đầu bằng “- ”), nhưng ghi %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		rec, fld := record, fmt.Sprintf("%s[%d]", field, i)
		if record == "" {
			// A top-level list: its items are the records.
			rec, fld = store.RecordName(field, i, recordKey(item)), ""
		}
		w.value(item, s.Index(i), rec, fld)
	}
	v.Set(s)
}

// recordKey returns the code or key written in a record, for naming it in
// errors; "" if there is none.
func recordKey(n *yaml.Node) string {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if (k.Value == "code" || k.Value == "key") && val.Kind == yaml.ScalarNode {
			return cleanText(val.Value)
		}
	}
	return ""
}

func (w *walker) mapping(n *yaml.Node, v reflect.Value, record, field string) {
	if n.Kind != yaml.MappingNode {
		w.fail(n, record, field, "cần các dòng “tên: giá trị”, nhưng ghi %s", describe(n))
		return
	}
	fields := fieldsOf(v.Type())
	// Merge keys ("<<: *defaults") first, so that the keys written in the
	// mapping itself override what they bring in.
	for i := 0; i+1 < len(n.Content); i += 2 {
		if isMerge(n.Content[i]) {
			w.merge(n.Content[i+1], v, record, field)
		}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if isMerge(k) {
			continue
		}
		if k = w.deref(k, record, field); k == nil {
			return
		}
		if k.Kind != yaml.ScalarNode {
			w.fail(k, record, field, "cần tên trường, nhưng ghi %s", describe(k))
			continue
		}
		name := k.Value
		sub := join(field, name)
		if prev, dup := seen[name]; dup {
			w.fail(k, record, sub, "trường này ghi hai lần, lần đầu ở dòng %d", prev)
			continue
		}
		seen[name] = k.Line
		idx, ok := fields.index[name]
		if !ok {
			w.fail(k, record, sub, "không có trường này%s", fields.suggest(name))
			continue
		}
		if record == "" && field == "" {
			// Top-level keys name the lists of records.
			w.value(val, v.Field(idx), "", name)
			continue
		}
		w.value(val, v.Field(idx), record, sub)
	}
}

// merge applies the mapping (or list of mappings) of a merge key to v.
func (w *walker) merge(n *yaml.Node, v reflect.Value, record, field string) {
	if n = w.deref(n, record, field); n == nil {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		w.mapping(n, v, record, field)
	case yaml.SequenceNode:
		// Earlier mappings of the list win: apply them last.
		for _, m := range slices.Backward(n.Content) {
			w.merge(m, v, record, field)
		}
	default:
		w.fail(n, record, field, "“<<” cần các dòng “tên: giá trị” hoặc một danh sách của chúng, nhưng ghi %s", describe(n))
	}
}

func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && k.ShortTag() == "!!merge"
}

func join(field, name string) string {
	if field == "" {
		return name
	}
	return field + "." + name
}

// cleanText returns s in Unicode NFC without surrounding white space, so
// that text typed on different systems compares equal and block scalars
// ("|") lose their final newline.
func cleanText(s string) string {
	return strings.TrimSpace(norm.NFC.String(s))
}

// describe names what a node holds, for "cần X, nhưng ghi Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "các dòng “tên: giá trị”"
	case yaml.SequenceNode:
		return "một danh sách"
	case yaml.ScalarNode:
		v := n.Value
		if len([]rune(v)) > 40 {
			v = string([]rune(v)[:40]) + "…"
		}
		switch n.ShortTag() {
		case "!!int", "!!float":
			return "số " + v
		case "!!bool":
			return v
		case "!!null":
			return "giá trị trống"
		case "!!binary":
			return "dữ liệu nhị phân (!!binary)"
		default:
			return "“" + strings.ReplaceAll(v, "\n", " ") + "”"
		}
	}
	return "một giá trị khác"
}

// structFields maps the YAML names of a struct's fields to their indexes.
type structFields struct {
	index map[string]int
	names []string // in declaration order
}

var fieldCache sync.Map // reflect.Type → *structFields

// fieldsOf returns the YAML field names of struct type t, named as yaml.v3
// names them: the yaml tag, else the lower-cased Go name.
func fieldsOf(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	f := &structFields{index: map[string]int{}}
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = strings.ToLower(sf.Name)
		}
		f.index[name] = i
		f.names = append(f.names, name)
	}
	fieldCache.Store(t, f)
	return f
}

// suggest returns a hint naming the closest known field, or listing them,
// in Vietnamese.
func (f *structFields) suggest(name string) string {
	best, bestDist := "", 3
	for _, k := range f.names {
		if d := editDistance(strings.ToLower(name), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf("; có phải là “%s”?", best)
	}
	return "; các trường dùng được: " + strings.Join(f.names, ", ")
}

// editDistance is the Levenshtein distance between a and b, in bytes
// (field names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// locate returns the line of a problem that Dataset.Validate reported by
// record ("directives[3] (HNXM-2024/03)") and field
// ("assignments[2].unit"): the line of the field if the file has it, else
// of the closest enclosing part. It returns 0 if the record is not found.
func locate(root *yaml.Node, record, field string) int {
	list, rest, ok := strings.Cut(record, "[")
	if !ok {
		return 0
	}
	idx, _, _ := strings.Cut(rest, "]")
	path := list + "[" + idx + "]"
	if field != "" {
		path += "." + field
	}
	n, line := root, root.Line
	for _, step := range strings.Split(path, ".") {
		name, index, hasIndex := strings.Cut(step, "[")
		n = deref(n)
		next := mapValue(n, name)
		if next == nil {
			return line
		}
		line = next.key.Line
		n = deref(next.value)
		if !hasIndex {
			continue
		}
		i, err := strconv.Atoi(strings.TrimSuffix(index, "]"))
		if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
			return line
		}
		n = deref(n.Content[i])
		line = n.Line
	}
	return line
}

type keyValue struct{ key, value *yaml.Node }

// mapValue returns the pair of mapping n whose key is name, looking into
// merged mappings too; nil if there is none.
func mapValue(n *yaml.Node, name string) *keyValue {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == name && !isMerge(n.Content[i]) {
			return &keyValue{n.Content[i], n.Content[i+1]}
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if isMerge(n.Content[i]) {
			if kv := mapValue(deref(n.Content[i+1]), name); kv != nil {
				return kv
			}
		}
	}
	return nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// unmarshalText words the problem of a value that u's UnmarshalText
// refused (the store's own messages are English).
func unmarshalText(u encoding.TextUnmarshaler, text string) string {
	switch u.(type) {
	case *store.Date:
		return dateText(text)
	case *store.Reminders:
		return remindersText(text)
	}
	return fmt.Sprintf("giá trị “%s” không hợp lệ", text)
}
