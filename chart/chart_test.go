package chart

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"meetbot/store"
	"meetbot/tghtml"
)

var update = flag.Bool("update", false, "rewrite the sample charts in testdata")

// sample is the seed's units with made-up counts.
func sample() []store.UnitStats {
	names := []string{"Đảng ủy Bộ đội Biên phòng tỉnh", "Huyện ủy Đồng Văn", "Huyện ủy Mèo Vạc", "Huyện ủy Yên Minh",
		"Huyện ủy Quản Bạ", "Huyện ủy Vị Xuyên", "Huyện ủy Hoàng Su Phì", "Huyện ủy Xín Mần"}
	counts := []store.StatusCounts{
		{DoneOnTime: 12, DoneLate: 3, Pending: 4, Overdue: 2, Ongoing: 3},
		{DoneOnTime: 5, DoneLate: 1, Pending: 2, Overdue: 6},
		{DoneOnTime: 7, Pending: 3, Overdue: 1},
		{DoneOnTime: 2, DoneLate: 2, Pending: 2, Overdue: 2},
		{DoneOnTime: 9, DoneLate: 4},
		{Pending: 5, Overdue: 3, Ongoing: 1},
		{DoneOnTime: 1, Overdue: 9},
		{DoneOnTime: 6, DoneLate: 2, Pending: 1, Overdue: 1},
	}
	out := make([]store.UnitStats, len(names))
	for i := range names {
		out[i] = store.UnitStats{Unit: store.UnitRef{ID: int64(i + 1), Code: fmt.Sprintf("u%d", i+1), Name: names[i]}, Counts: counts[i]}
	}
	return out
}

func pixels(l vg.Length) int { return int(math.Round(float64(l / vg.Inch * DPI))) }

func decode(t *testing.T, img Image) (w, h int) {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(img.PNG))
	if err != nil {
		t.Fatalf("decode png: %v", err)
	}
	b := m.Bounds()
	if b.Dx() != img.Width || b.Dy() != img.Height {
		t.Fatalf("image is %dx%d, Image says %dx%d", b.Dx(), b.Dy(), img.Width, img.Height)
	}
	return b.Dx(), b.Dy()
}

func writeSample(t *testing.T, name string, img Image) {
	t.Helper()
	if !*update {
		return
	}
	if err := os.WriteFile(filepath.Join("testdata", name), img.PNG, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRender(t *testing.T) {
	img, err := Render(sample(), Options{Subtitle: "Tính đến 01/12/2026"})
	if err != nil {
		t.Fatal(err)
	}
	w, h := decode(t, img)
	if w != DefaultWidth {
		t.Errorf("width %d, want %d", w, DefaultWidth)
	}
	// 8 rows: the plot's padding, the legend and a row per unit.
	if want := pixels(plotPadding + legendHeight + 8*rowHeight); h < want-2 || h > want+2 {
		t.Errorf("height %d, want about %d", h, want)
	}
	if img.Shown != 8 || img.Total != 8 {
		t.Errorf("shown %d of %d, want 8 of 8", img.Shown, img.Total)
	}
	writeSample(t, "sample.png", img)

	// The same input draws the same image (on one machine; fonts are
	// embedded, but rasterisers may differ across platforms).
	again, err := Render(sample(), Options{Subtitle: "Tính đến 01/12/2026"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(img.PNG, again.PNG) {
		t.Error("two renderings of the same stats differ")
	}
}

func TestRenderEmpty(t *testing.T) {
	img, err := Render(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	decode(t, img)
	if img.Shown != 0 || img.Total != 0 {
		t.Errorf("shown %d of %d, want 0 of 0", img.Shown, img.Total)
	}
	writeSample(t, "empty.png", img)
}

func TestRenderManyUnits(t *testing.T) {
	var stats []store.UnitStats
	for i := range 40 {
		stats = append(stats, store.UnitStats{
			Unit:   store.UnitRef{ID: int64(i + 1), Name: fmt.Sprintf("Đồn Biên phòng số %d của tỉnh Hà Giang, khu vực biên giới", i+1)},
			Counts: store.StatusCounts{DoneOnTime: i % 7, Pending: i % 3, Overdue: i % 11},
		})
	}
	img, err := Render(stats, Options{MaxUnits: 12})
	if err != nil {
		t.Fatal(err)
	}
	_, h := decode(t, img)
	if img.Shown != 12 || img.Total != 40 {
		t.Errorf("shown %d of %d, want 12 of 40", img.Shown, img.Total)
	}
	if want := pixels(plotPadding + legendHeight + 12*rowHeight); h < want-2 || h > want+2 {
		t.Errorf("height %d, want about %d", h, want)
	}
	writeSample(t, "many.png", img)
}

func TestSelect(t *testing.T) {
	u := func(id int64, overdue, total int) store.UnitStats {
		return store.UnitStats{Unit: store.UnitRef{ID: id}, Counts: store.StatusCounts{Overdue: overdue, DoneOnTime: total - overdue}}
	}
	stats := []store.UnitStats{u(1, 0, 9), u(2, 3, 4), u(3, 0, 1), u(4, 3, 10), u(5, 1, 1), u(6, 0, 20)}
	tests := []struct {
		name string
		max  int
		want []int64
	}{
		{"all fit", 6, []int64{1, 2, 3, 4, 5, 6}},
		{"most overdue, in the given order", 3, []int64{2, 4, 5}},
		{"ties broken by shares", 4, []int64{2, 4, 5, 6}},
		{"one", 1, []int64{4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int64
			for _, s := range Select(stats, tt.max) {
				got = append(got, s.Unit.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Select(%d) = %v, want %v", tt.max, got, tt.want)
			}
		})
	}
}

// TestFontHasVietnamese checks that the face the chart draws with has a
// glyph of its own for Vietnamese letters (a missing one is drawn as a
// box).
func TestFontHasVietnamese(t *testing.T) {
	for _, weight := range []xfont.Weight{xfont.WeightNormal, xfont.WeightBold} {
		fnt := Font
		fnt.Weight = weight
		if !plot.DefaultTextHandler.Cache().Has(fnt) {
			t.Fatalf("no face for %s", fnt.Name())
		}
		face := plot.DefaultTextHandler.Cache().Lookup(fnt, 12)
		var buf sfnt.Buffer
		for _, r := range "ữđộĐƯơẫỹẠẮằ" {
			idx, err := face.Face.GlyphIndex(&buf, r)
			if err != nil || idx == 0 {
				t.Errorf("%s has no glyph for %q (index %d, err %v)", face.Name(), r, idx, err)
			}
		}
	}
}

func TestTable(t *testing.T) {
	stats := sample()[:3]
	stats[0].Unit.Name = "Đảng ủy Bộ đội Biên phòng tỉnh Hà Giang"
	got, ongoing := Table(stats)
	want := "Đơn vị                   Đúng Trễ Trong Quá TX\n" +
		"Đảng ủy Bộ đ…nh Hà Giang   12   3     4   2  3\n" +
		"Huyện ủy Đồng Văn           5   1     2   6  0\n" +
		"Huyện ủy Mèo Vạc            7   0     3   1  0\n" +
		"Cộng                       24   4     9   9  3"
	if got != want || !ongoing {
		t.Errorf("Table =\n%s\nwant\n%s (ongoing %v)", got, want, ongoing)
	}
	got, ongoing = Table(stats[1:2])
	if want := "Đơn vị            Đúng Trễ Trong Quá\nHuyện ủy Đồng Văn    5   1     2   6"; got != want || ongoing {
		t.Errorf("Table of one unit =\n%s\nwant\n%s", got, want)
	}
}

// TestMessageSplitsWhole: a table of many units is split into messages
// under Telegram's limit, each a whole monospace block, cut between rows.
func TestMessageSplitsWhole(t *testing.T) {
	var stats []store.UnitStats
	for i := range 200 {
		stats = append(stats, store.UnitStats{Unit: store.UnitRef{ID: int64(i + 1), Name: fmt.Sprintf("Đồn Biên phòng Thanh Thủy số %d", i+1)},
			Counts: store.StatusCounts{DoneOnTime: i % 5, Overdue: i % 3}})
	}
	parts := Messages(stats, store.NewDate(2026, 12, 7), true, tghtml.MaxMessageLen)
	if len(parts) < 2 {
		t.Fatalf("%d parts, want several", len(parts))
	}
	rows := 0
	for i, p := range parts {
		plain, _, err := tghtml.Parse(p)
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		if n := tghtml.UTF16Len(plain); n > tghtml.MaxMessageLen {
			t.Errorf("part %d has %d characters", i+1, n)
		}
		if !strings.Contains(p, "<pre>") || !strings.Contains(p, "</pre>") {
			t.Errorf("part %d is not a whole block", i+1)
		}
		rows += strings.Count(plain, "Đồn Biên")
		if !strings.Contains(plain, "Đơn vị") {
			t.Errorf("part %d has no heading row", i+1)
		}
		if strings.Contains(plain, "Chỉ tính các chỉ đạo bạn được xem.") != (i == len(parts)-1) {
			t.Errorf("part %d: the note belongs to the last part only", i+1)
		}
	}
	if !strings.Contains(parts[0], "Thống kê thực hiện chỉ đạo theo đơn vị") || strings.Contains(parts[1], "Thống kê") {
		t.Error("the heading belongs to the first part only")
	}
	if rows != 200 {
		t.Errorf("%d rows over the parts, want 200", rows)
	}
	if cap := Caption(stats, len(Select(stats, DefaultMaxUnits)), store.NewDate(2026, 12, 7)); !strings.Contains(cap, "Biểu đồ hiển thị 15/200 đơn vị") {
		t.Errorf("caption %q", cap)
	}
}
