package importer

import (
	"bufio"
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

// Formats that Decode reads. Excel (.xlsx) and CSV files are planned.
const (
	FormatYAML Format = "yaml"
)

// FormatFromPath returns the format of the file at path, from its
// extension (case-insensitive): .yaml and .yml are YAML. Other extensions
// give an error that wraps ErrUnsupported and says what to use instead.
func FormatFromPath(path string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".yaml", ".yml":
		return FormatYAML, nil
	case ".xlsx", ".xls", ".csv":
		return "", fmt.Errorf("%w %q: Excel and CSV files cannot be imported yet; save the data as YAML (.yaml or .yml)", ErrUnsupported, ext)
	case "":
		return "", fmt.Errorf("%w: %q has no extension; name the file .yaml or .yml", ErrUnsupported, filepath.Base(path))
	default:
		return "", fmt.Errorf("%w %q: import files are YAML (.yaml or .yml)", ErrUnsupported, ext)
	}
}

// Decode reads a dataset in the given format from r. It checks the file's
// structure (known fields, types, dates) but not the records themselves;
// see Load for that. A problem in the file gives Errors, which wraps
// store.ErrInvalid and names the line, record and field of each problem.
func Decode(r io.Reader, format Format) (*store.Dataset, error) {
	ds, _, err := decode(r, format)
	return ds, err
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
	ds, root, err := decode(r, format)
	if err != nil {
		return nil, err
	}
	if err := validate(ds, root, loc); err != nil {
		return nil, err
	}
	return ds, nil
}

// LoadFile is Load for the file at path, with errors prefixed by the path.
func LoadFile(path string, loc *time.Location) (*store.Dataset, error) {
	ds, root, err := readFile(path)
	if err != nil {
		return nil, err
	}
	if err := validate(ds, root, loc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ds, nil
}

// Encode writes ds to w as a YAML import file that Decode reads back to an
// equal dataset (text is kept as Decode leaves it: NFC, trimmed).
func Encode(w io.Writer, ds *store.Dataset) error {
	bw := bufio.NewWriter(w)
	enc := yaml.NewEncoder(bw)
	enc.SetIndent(2)
	if err := enc.Encode(ds); err != nil {
		return fmt.Errorf("encode dataset: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("encode dataset: %w", err)
	}
	return bw.Flush()
}

func decode(r io.Reader, format Format) (*store.Dataset, *yaml.Node, error) {
	switch format {
	case FormatYAML:
		return decodeYAML(r)
	default:
		return nil, nil, fmt.Errorf("%w: format %q", ErrUnsupported, format)
	}
}

func readFile(path string) (*store.Dataset, *yaml.Node, error) {
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

// validate runs Dataset.Validate and gives its problems the lines where
// root has the records and fields.
func validate(ds *store.Dataset, root *yaml.Node, loc *time.Location) error {
	err := ds.Validate(loc)
	if err == nil {
		return nil
	}
	ies, ok := store.ImportErrorsOf(err)
	if !ok {
		return err
	}
	es := make(Errors, len(ies))
	for i, e := range ies {
		es[i] = Error{Record: e.Record, Field: e.Field, Msg: e.Msg}
		if root != nil {
			es[i].Line = locate(root, e.Record, e.Field)
		}
	}
	es.sort()
	return es
}
