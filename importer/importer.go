package importer

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"meetbot/store"
)

// Format is the format of an import file.
type Format string

// MaxFileSize is the largest import file Decode reads, in bytes. Reading
// YAML takes about 15 times the file's size in memory, and about a second
// per 8 MiB; 64 MiB holds some 50,000 directives. Larger datasets (such as
// gen's benchmark sets) go to the store directly, not through a file.
const MaxFileSize = 64 << 20

// Formats that Decode reads.
const (
	FormatYAML Format = "yaml"
	// FormatXLSX is an Excel workbook in the layout of the template (see
	// the package doc).
	FormatXLSX Format = "xlsx"
	// FormatCSV is the directives sheet of the template as a CSV file.
	FormatCSV Format = "csv"
)

// Supported names the file types an import takes, for messages.
const Supported = "Excel (.xlsx), CSV (.csv), YAML (.yaml, .yml)"

// FormatFromPath returns the format of the file at path, from its
// extension (case-insensitive): .xlsx (and .xlsm) is Excel, .csv is CSV,
// .yaml and .yml are YAML. Other extensions give an error that wraps
// ErrUnsupported and says what to use instead.
func FormatFromPath(path string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".yaml", ".yml":
		return FormatYAML, nil
	case ".xlsx", ".xlsm":
		return FormatXLSX, nil
	case ".csv":
		return FormatCSV, nil
	case ".xls":
		return "", fmt.Errorf("%w %q: the Excel 97-2003 format cannot be read; save the workbook as .xlsx", ErrUnsupported, ext)
	case "":
		return "", fmt.Errorf("%w: %q has no extension; import files are %s", ErrUnsupported, filepath.Base(path), Supported)
	default:
		return "", fmt.Errorf("%w %q: import files are %s", ErrUnsupported, ext, Supported)
	}
}

// FormatFromMIME returns the format of a file from its MIME type, for
// files whose name says nothing; an unknown type wraps ErrUnsupported.
func FormatFromMIME(mime string) (Format, error) {
	mime, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(mime)), ";")
	switch mime {
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel.sheet.macroenabled.12":
		return FormatXLSX, nil
	case "text/csv", "text/comma-separated-values", "application/csv":
		return FormatCSV, nil
	case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml":
		return FormatYAML, nil
	}
	return "", fmt.Errorf("%w %q: import files are %s", ErrUnsupported, mime, Supported)
}

// Decode reads a dataset in the given format from r. It checks the file's
// structure (known fields, types, dates) but not the records themselves;
// see Load for that. A problem in the file gives Errors, which wraps
// store.ErrInvalid and names the line, record and field of each problem.
func Decode(r io.Reader, format Format) (*store.Dataset, error) {
	ds, _, err := decode(r, format)
	return ds, err
}

// File is an import file read and checked by Parse: its dataset, and
// where each record came from.
type File struct {
	Dataset *store.Dataset
	Format  Format
	src     source
}

// source places the problems of a dataset in the file it came from.
type source interface {
	locate(store.ImportErrors) Errors
}

// Parse reads a dataset like Load and keeps where each record came
// from, so that Locate can place the problems the store's Import finds.
func Parse(r io.Reader, format Format, loc *time.Location) (*File, error) {
	ds, src, err := decode(r, format)
	if err != nil {
		return nil, err
	}
	if err := validate(ds, src, loc); err != nil {
		return nil, err
	}
	return &File{Dataset: ds, Format: format, src: src}, nil
}

// Locate returns err, the error of importing f.Dataset into a store,
// with the problems it lists (store.ImportErrors: unknown references,
// progress that cannot be removed) placed at the lines, or the sheets,
// rows and columns, of the file, as Errors. Other errors are returned
// as they are.
func (f *File) Locate(err error) error {
	ies, ok := store.ImportErrorsOf(err)
	if !ok || f == nil || f.src == nil {
		return err
	}
	return f.src.locate(ies)
}

// ReadFile reads the dataset in the file at path, in the format its
// extension names (see FormatFromPath). Errors are as Decode's, prefixed
// with the path.
func ReadFile(path string) (*store.Dataset, error) {
	ds, _, err := readFile(path)
	return ds, err
}

// Load reads a dataset like Decode and checks it with Dataset.Validate in
// the office's time zone loc, adding the line of each record and field to
// the problems Validate finds. A dataset that Load accepts may still refer
// to records that are neither in it nor stored: the store's Import checks
// those.
func Load(r io.Reader, format Format, loc *time.Location) (*store.Dataset, error) {
	f, err := Parse(r, format, loc)
	if err != nil {
		return nil, err
	}
	return f.Dataset, nil
}

// LoadFile is Load for the file at path, with errors prefixed by the path.
func LoadFile(path string, loc *time.Location) (*store.Dataset, error) {
	f, err := ParseFile(path, loc)
	if err != nil {
		return nil, err
	}
	return f.Dataset, nil
}

// ParseFile is Parse for the file at path, in the format its extension
// names, with errors prefixed by the path.
func ParseFile(path string, loc *time.Location) (*File, error) {
	format, err := FormatFromPath(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	ds, src, err := readFile(path)
	if err != nil {
		return nil, err
	}
	if err := validate(ds, src, loc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &File{Dataset: ds, Format: format, src: src}, nil
}

// Encode writes ds to w as a YAML import file that Decode reads back to an
// equal dataset (text is kept as Decode leaves it: NFC, trimmed).
func Encode(w io.Writer, ds *store.Dataset) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	e := recordEncoder{w: bw}
	// yaml.v3 encodes a whole document in time that grows faster than
	// its size (48 s for 100,000 directives); records one at a time keep
	// it linear.
	encodeList(&e, "units", ds.Units)
	encodeList(&e, "programs", ds.Programs)
	encodeList(&e, "meetings", ds.Meetings)
	encodeList(&e, "directives", ds.Directives)
	if e.err != nil {
		return fmt.Errorf("encode dataset: %w", e.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("encode dataset: %w", err)
	}
	return nil
}

type recordEncoder struct {
	w   *bufio.Writer
	buf bytes.Buffer
	err error
}

// encodeList writes "name:" and the records as a block sequence, each
// record encoded alone and indented under its "- ".
func encodeList[T any](e *recordEncoder, name string, records []T) {
	if e.err != nil || len(records) == 0 {
		return
	}
	e.w.WriteString(name)
	e.w.WriteString(":\n")
	for i := range records {
		e.buf.Reset()
		enc := yaml.NewEncoder(&e.buf)
		enc.SetIndent(2)
		if err := enc.Encode(&records[i]); err != nil {
			e.err = fmt.Errorf("%s: %w", store.RecordName(name, i, ""), err)
			return
		}
		if err := enc.Close(); err != nil {
			e.err = err
			return
		}
		prefix := "  - "
		for line := range bytes.Lines(e.buf.Bytes()) {
			if len(line) == 1 {
				// An empty line (inside a block scalar) needs no indentation.
				e.w.Write(line)
				continue
			}
			e.w.WriteString(prefix)
			e.w.Write(line)
			prefix = "    "
		}
	}
}

func decode(r io.Reader, format Format) (*store.Dataset, source, error) {
	switch format {
	case FormatYAML:
		ds, root, err := decodeYAML(r)
		if err != nil {
			return nil, nil, err
		}
		return ds, yamlSource{root}, nil
	case FormatXLSX:
		ds, t, err := decodeXLSX(r)
		if err != nil {
			return nil, nil, err
		}
		return ds, t, nil
	case FormatCSV:
		ds, t, err := decodeCSV(r)
		if err != nil {
			return nil, nil, err
		}
		return ds, t, nil
	default:
		return nil, nil, fmt.Errorf("%w: format %q", ErrUnsupported, format)
	}
}

func readFile(path string) (*store.Dataset, source, error) {
	format, err := FormatFromPath(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err // *fs.PathError names the path
	}
	defer f.Close()
	ds, root, err := decode(bufio.NewReaderSize(f, 64<<10), format)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return ds, root, nil
}

// validate runs Dataset.Validate and places its problems in the file.
func validate(ds *store.Dataset, src source, loc *time.Location) error {
	err := ds.Validate(loc)
	if err == nil {
		return nil
	}
	ies, ok := store.ImportErrorsOf(err)
	if !ok {
		return err
	}
	return src.locate(ies)
}

// yamlSource places problems at the lines of a YAML file.
type yamlSource struct{ root *yaml.Node }

func (y yamlSource) locate(ies store.ImportErrors) Errors {
	es := make(Errors, len(ies))
	for i, e := range ies {
		es[i] = Error{Record: e.Record, Field: e.Field, Msg: problemText(e, y.places())}
		if y.root != nil {
			es[i].Line = locate(y.root, e.Record, e.Field)
		}
	}
	es.sort()
	return es
}

// places names records, fields and lists as the YAML file writes them.
func (y yamlSource) places() placeNames {
	return placeNames{
		record: func(rec string) string {
			if y.root != nil {
				if line := locate(y.root, rec, ""); line > 0 {
					return fmt.Sprintf("%s ở dòng %d", rec, line)
				}
			}
			return rec
		},
		field:  func(_, field string) string { return "trường " + field },
		list:   func(list string) string { return "mục " + list + " của tệp" },
		noUnit: "thêm vào assignments ít nhất một dòng “- unit: mã-đơn-vị”",
	}
}
