package importer_test

import (
	"bytes"
	"testing"

	"meetbot/gen"
	"meetbot/importer"
	"meetbot/store"
	"meetbot/store/storetest"
)

// workbook10k is a filled template of 10,000 directives over 500 units.
func workbook10k(b *testing.B) ([]byte, *store.Dataset) {
	b.Helper()
	loc := storetest.Loc
	ds := gen.Dataset(gen.Options{Units: 500, Meetings: 1000, Directives: 10000, Seed: 1, Loc: loc})
	var buf bytes.Buffer
	if err := importer.Workbook(&buf, ds, loc); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), ds
}

// BenchmarkWorkbookRead10k reads and checks a workbook of 10,000
// directives (what an administrator's upload costs before the store's
// import).
func BenchmarkWorkbookRead10k(b *testing.B) {
	book, _ := workbook10k(b)
	loc := storetest.Loc
	b.SetBytes(int64(len(book)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := importer.Load(bytes.NewReader(book), importer.FormatXLSX, loc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExport10k writes /export's workbook for 10,000 directives.
func BenchmarkExport10k(b *testing.B) {
	_, ds := workbook10k(b)
	loc := storetest.Loc
	asOf := store.NewDate(2026, 1, 1)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := importer.Export(&buf, ds, asOf, loc); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
	}
}
