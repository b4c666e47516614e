// Package chart draws meetbot's statistics as images: per unit, the
// four-way state of its shares of directives (done on time, done late,
// not done within the deadline, not done and overdue) as a horizontal
// stacked bar chart in PNG, with Vietnamese text.
//
// Drawing uses gonum.org/v1/plot with the Liberation fonts it embeds
// (codeberg.org/go-fonts/liberation), which carry every Vietnamese letter
// (ư, ơ, đ and the tone marks on them), so the output needs no system
// font and is the same on every machine running the same versions.
// Unit names are normalised to NFC first: the fonts have the precomposed
// letters, not a way to stack combining marks.
package chart

import (
	"bytes"
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	xfont "golang.org/x/image/font"
	"golang.org/x/text/unicode/norm"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"meetbot/store"
	"meetbot/wording"
)

// Defaults of Options.
const (
	DefaultMaxUnits = 15
	DefaultWidth    = 1000 // pixels
	// DPI is the resolution the chart is drawn at.
	DPI = 96
	// maxNameLen bounds a unit's name on the chart's axis (runes).
	maxNameLen = 34
)

// Font is the typeface of every text of the chart: Liberation Sans,
// embedded by gonum's plot package.
var Font = font.Font{Typeface: "Liberation", Variant: "Sans"}

// States are the four states the chart shows, in the order the segments
// are stacked (left to right) and listed in the legend.
var States = []store.Status{store.StatusDoneOnTime, store.StatusDoneLate, store.StatusPending, store.StatusOverdue}

// Colour returns the fill of a state's segment: green for done on time,
// teal-blue for done late, amber for within the deadline, red for
// overdue (grey for anything else).
func Colour(s store.Status) color.RGBA {
	switch s {
	case store.StatusDoneOnTime:
		return color.RGBA{R: 0x2e, G: 0x9e, B: 0x4f, A: 0xff}
	case store.StatusDoneLate:
		return color.RGBA{R: 0x1f, G: 0x7a, B: 0xa8, A: 0xff}
	case store.StatusPending:
		return color.RGBA{R: 0xf2, G: 0xb1, B: 0x2e, A: 0xff}
	case store.StatusOverdue:
		return color.RGBA{R: 0xd3, G: 0x2f, B: 0x2f, A: 0xff}
	}
	return color.RGBA{R: 0x9e, G: 0x9e, B: 0x9e, A: 0xff}
}

// textColour is the colour of a count written on a segment of state s.
func textColour(s store.Status) color.Color {
	if s == store.StatusPending {
		return color.Black // amber is light
	}
	return color.White
}

// Count returns unit counts' number of shares in state s.
func Count(c store.StatusCounts, s store.Status) int {
	switch s {
	case store.StatusDoneOnTime:
		return c.DoneOnTime
	case store.StatusDoneLate:
		return c.DoneLate
	case store.StatusPending:
		return c.Pending
	case store.StatusOverdue:
		return c.Overdue
	case store.StatusOngoing:
		return c.Ongoing
	}
	return 0
}

// fourWay returns the shares the chart shows: all but the standing ones.
func fourWay(c store.StatusCounts) int { return c.DoneOnTime + c.DoneLate + c.Pending + c.Overdue }

// Options shape a chart. Zero fields take the defaults.
type Options struct {
	// Title is the chart's heading (default "Tình hình thực hiện chỉ
	// đạo theo đơn vị"); Subtitle a second line, e.g. "Tính đến
	// 01/12/2026".
	Title, Subtitle string
	// MaxUnits is the most units drawn (default DefaultMaxUnits); see
	// Select for which.
	MaxUnits int
	// Width is the image's width in pixels (default DefaultWidth).
	Width int
}

// Image is a drawn chart.
type Image struct {
	PNG []byte
	// Width and Height are the image's size in pixels.
	Width, Height int
	// Shown is the number of units drawn, Total the number given: when
	// Shown < Total, the caption should say which were left out.
	Shown, Total int
}

// Select returns the units a chart of at most max units shows, in the
// order given: all of them when they fit; otherwise the max with the most
// overdue shares, ties broken by the most shares (in the four states),
// then by the order given.
func Select(stats []store.UnitStats, max int) []store.UnitStats {
	if max <= 0 {
		max = DefaultMaxUnits
	}
	if len(stats) <= max {
		return slices.Clone(stats)
	}
	idx := make([]int, len(stats))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ca, cb := stats[a].Counts, stats[b].Counts
		return cmp.Or(cmp.Compare(cb.Overdue, ca.Overdue), cmp.Compare(fourWay(cb), fourWay(ca)))
	})
	idx = idx[:max]
	slices.Sort(idx)
	out := make([]store.UnitStats, 0, max)
	for _, i := range idx {
		out = append(out, stats[i])
	}
	return out
}

// Geometry, in points (1/72 inch).
const (
	rowHeight    = vg.Length(22)
	plotPadding  = vg.Length(110) // title, subtitle, x axis
	legendHeight = vg.Length(56)
	minPlotRows  = 3
)

// Render draws stats (as from store.Reader.Stats) as a PNG: one bar per
// unit, top to bottom in the order of Select, its segments the shares
// done on time, done late, within the deadline and overdue, each with
// its count when it fits, and the unit's total at the end of the bar.
// Standing directives ("thường xuyên") are not drawn. No stats give a
// chart that says there is no data.
func Render(stats []store.UnitStats, opts Options) (Image, error) {
	if opts.Title == "" {
		opts.Title = "Tình hình thực hiện chỉ đạo theo đơn vị"
	}
	if opts.Width <= 0 {
		opts.Width = DefaultWidth
	}
	shown := Select(stats, opts.MaxUnits)
	rows := max(len(shown), minPlotRows)
	width := vg.Length(opts.Width) * vg.Inch / DPI
	height := plotPadding + legendHeight + rowHeight*vg.Length(rows)
	// Whole pixels, so the image's size is exactly what is announced.
	px := func(l vg.Length) int { return int(math.Round(float64(l / vg.Inch * DPI))) }
	wpx, hpx := opts.Width, px(height)
	height = vg.Length(hpx) * vg.Inch / DPI

	p, err := newPlot(shown, opts)
	if err != nil {
		return Image{}, err
	}
	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(c)
	const margin = vg.Length(10)
	p.Draw(draw.Crop(dc, margin, -2*margin, legendHeight, -margin))
	drawLegend(draw.Crop(dc, 0, 0, 0, -(height - legendHeight)))

	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return Image{}, fmt.Errorf("chart: encode png: %w", err)
	}
	return Image{PNG: buf.Bytes(), Width: wpx, Height: hpx, Shown: len(shown), Total: len(stats)}, nil
}

// style returns a text style in the chart's font.
func style(size vg.Length, c color.Color) text.Style {
	return text.Style{Color: c, Font: font.From(Font, size), Handler: plot.DefaultTextHandler}
}

// Name returns a unit's name as the chart writes it: NFC, at most
// maxNameLen runes.
func Name(s string) string {
	s = norm.NFC.String(s)
	if r := []rune(s); len(r) > maxNameLen {
		return string(r[:maxNameLen-1]) + "…"
	}
	return s
}

func newPlot(shown []store.UnitStats, opts Options) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = norm.NFC.String(opts.Title)
	if opts.Subtitle != "" {
		p.Title.Text += "\n" + norm.NFC.String(opts.Subtitle)
	}
	p.Title.TextStyle = style(15, color.Black)
	p.Title.TextStyle.Font.Weight = xfont.WeightBold
	p.Title.TextStyle.XAlign, p.Title.TextStyle.YAlign = text.XCenter, text.YTop
	p.Title.Padding = 8
	p.X.Label.Text = "Số nhiệm vụ của đơn vị"
	p.X.Label.TextStyle = style(11, color.Gray{Y: 0x40})
	p.X.Tick.Label = style(10, color.Gray{Y: 0x40})
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = text.XCenter, text.YTop
	p.Y.Tick.Label = style(11, color.Black)
	p.Y.Tick.Label.XAlign = text.XRight
	p.Y.Tick.Label.YAlign = text.YCenter
	p.X.Min = 0
	grid := plotter.NewGrid()
	p.Add(grid)
	grid.Horizontal.Color = nil // no lines across the bars' rows
	grid.Vertical.Color = color.Gray{Y: 0xe0}

	n := len(shown)
	if n == 0 {
		p.HideAxes()
		p.X.Max = 1
		l, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: 0.5, Y: 0.5}}, Labels: []string{"Chưa có số liệu để thống kê."}})
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		l.TextStyle[0] = style(13, color.Gray{Y: 0x50})
		l.TextStyle[0].XAlign, l.TextStyle[0].YAlign = text.XCenter, text.YCenter
		p.Add(l)
		p.Y.Min, p.Y.Max = 0, 1
		return p, nil
	}

	// Row i of the chart (from the bottom) is unit n-1-i, so the first
	// unit is on top.
	names := make([]string, n)
	maxTotal := 0
	for i, us := range shown {
		names[n-1-i] = Name(us.Unit.Name)
		maxTotal = max(maxTotal, fourWay(us.Counts))
	}
	xmax := float64(max(maxTotal, 1)) * 1.12
	p.X.Max = xmax
	p.X.Tick.Marker = plot.TickerFunc(integerTicks)
	const plotWidth = 560 // points of the data area, roughly: when a count fits its segment
	var (
		prev   *plotter.BarChart
		labels plotter.XYLabels
		styles []text.Style
	)
	for _, st := range States {
		vals := make(plotter.Values, n)
		for i, us := range shown {
			vals[n-1-i] = float64(Count(us.Counts, st))
		}
		bars, err := plotter.NewBarChart(vals, rowHeight*0.7)
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		bars.Horizontal = true
		bars.Color = Colour(st)
		bars.LineStyle.Width = 0
		if prev != nil {
			bars.StackOn(prev)
		}
		p.Add(bars)
		prev = bars
		for i, us := range shown {
			v := Count(us.Counts, st)
			if v == 0 {
				continue
			}
			label := strconv.Itoa(v)
			segWidth := float64(v) / xmax * plotWidth
			if segWidth < float64(len(label))*7+4 {
				continue // too narrow: the total and the table say it
			}
			start := 0
			for _, s := range States {
				if s == st {
					break
				}
				start += Count(us.Counts, s)
			}
			labels.XYs = append(labels.XYs, plotter.XY{X: float64(start) + float64(v)/2, Y: float64(n - 1 - i)})
			labels.Labels = append(labels.Labels, label)
			s := style(10, textColour(st))
			s.XAlign, s.YAlign = text.XCenter, text.YCenter
			styles = append(styles, s)
		}
	}
	if len(labels.XYs) > 0 {
		l, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		l.TextStyle = styles
		p.Add(l)
	}
	// Each unit's total, just past its bar.
	var totals plotter.XYLabels
	for i, us := range shown {
		totals.XYs = append(totals.XYs, plotter.XY{X: float64(fourWay(us.Counts)), Y: float64(n - 1 - i)})
		totals.Labels = append(totals.Labels, strconv.Itoa(fourWay(us.Counts)))
	}
	tl, err := plotter.NewLabels(totals)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	for i := range tl.TextStyle {
		tl.TextStyle[i] = style(10, color.Black)
		tl.TextStyle[i].Font.Weight = xfont.WeightBold
		tl.TextStyle[i].XAlign, tl.TextStyle[i].YAlign = text.XLeft, text.YCenter
	}
	tl.Offset = vg.Point{X: 4}
	p.Add(tl)
	p.NominalY(names...)
	p.Y.Padding = 0
	return p, nil
}

// integerTicks marks whole counts: about six major ticks at a round step.
func integerTicks(lo, hi float64) []plot.Tick {
	span := hi - lo
	step := 1.0
	for _, s := range []float64{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000} {
		step = s
		if span/s <= 7 {
			break
		}
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	return ticks
}

// drawLegend writes the four states with their colours in one row,
// centred, in c.
func drawLegend(c draw.Canvas) {
	sty := style(11, color.Black)
	sty.YAlign = text.YCenter
	const box, gap, pad = vg.Length(11), vg.Length(6), vg.Length(18)
	var total vg.Length
	for i, st := range States {
		if i > 0 {
			total += pad
		}
		total += box + gap + sty.Width(wording.StatusName(st))
	}
	x := c.Center().X - total/2
	y := c.Center().Y
	for _, st := range States {
		c.SetColor(Colour(st))
		var sq vg.Path
		sq.Move(vg.Point{X: x, Y: y - box/2})
		sq.Line(vg.Point{X: x + box, Y: y - box/2})
		sq.Line(vg.Point{X: x + box, Y: y + box/2})
		sq.Line(vg.Point{X: x, Y: y + box/2})
		sq.Close()
		c.Fill(sq)
		x += box + gap
		name := wording.StatusName(st)
		c.FillText(sty, vg.Point{X: x, Y: y}, name)
		x += sty.Width(name) + pad
	}
}
