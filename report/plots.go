package report

import (
	"math"
	"strings"
)

// Chart sizes in SVG user units; the page scales them to its width.
const (
	chartWidth   = 640
	columnHeight = 300
	rowHeight    = 26 // one horizontal bar and its gap
)

// series is one set of values drawn across a chart's categories.
type series struct {
	Name   string
	Class  string    // s1, s2: the colour
	Values []float64 // one per category
	Shown  []bool    // nil when every value is present
}

func (s series) has(i int) bool { return s.Shown == nil || s.Shown[i] }

// axis says how to label a value axis and the values on it.
type axis struct {
	title   string
	tick    func(float64) string // tick labels
	value   func(float64) string // tooltips and value labels
	minStep float64              // 1 for counts, so no axis reads 0.5 breaks
}

// columns is a vertical bar chart with one group of bars per category,
// and optionally a target line across it and each bar's value on it.
type columns struct {
	name, title, xTitle string
	categories          []string
	series              []series
	y                   axis
	target              float64
	hasTarget           bool
	labelled            bool // write each bar's value on it
}

func (p columns) draw() *chart {
	c := newChart(p.name, p.title, chartWidth, columnHeight)
	f := frame{left: 72, top: 28, width: chartWidth - 72 - 16, height: columnHeight - 28 - 56}
	ticks := p.y.ticks(p.highest())
	s := scale{lo: ticks[0], hi: ticks[len(ticks)-1], length: f.height}
	c.valueAxisY(f, s, ticks, p.y.tick, p.y.title)
	c.categoryAxisX(f, p.categories, p.xTitle)
	if len(p.series) > 1 {
		c.legend(p.series)
	}
	p.bars(c, f, s)
	if p.hasTarget {
		p.targetLine(c, f, s)
	}
	if len(p.categories) == 0 {
		c.noData(f)
	}
	return c
}

// targetLine draws the target across the plot, over the bars, and its key
// in the margin above the plot's top left, where no bar, bar label or
// legend reaches.
func (p columns) targetLine(c *chart, f frame, s scale) {
	y := f.bottom() - s.at(p.target)
	c.mark(f.left, y, f.right(), y, "target")
	c.mark(f.left, 11, f.left+24, 11, "target")
	c.text(f.left+30, 15, "target "+p.y.value(p.target), "start", "target-label")
}

// highest is the largest value the axis must show: a shown value or the
// target.
func (p columns) highest() float64 {
	hi := 0.0
	for _, s := range p.series {
		for i, v := range s.Values {
			if s.has(i) {
				hi = math.Max(hi, v)
			}
		}
	}
	if p.hasTarget {
		hi = math.Max(hi, p.target)
	}
	return hi
}

// ticks picks the axis ticks for values up to hi. Every value axis starts
// at zero, so a bar's length is in proportion to its value; where values
// differ by little, the bars' labels and the data table tell them apart.
func (a axis) ticks(hi float64) []float64 {
	return niceTicks(0, hi, 5, a.minStep)
}

// bars places each category's group of bars, one per series. A missing
// value still gets a bar, of zero height, so every data point is there.
func (p columns) bars(c *chart, f frame, s scale) {
	slot := f.width / float64(max(len(p.categories), 1))
	group := math.Min(slot*0.72, 64*float64(len(p.series))) // a lone week stays a bar
	width := group / float64(len(p.series))
	for i, cat := range p.categories {
		for j, se := range p.series {
			x := f.left + slot*float64(i) + (slot-group)/2 + width*float64(j)
			h, shown := 0.0, "none"
			if se.has(i) {
				h, shown = s.at(se.Values[i]), p.y.value(se.Values[i])
			}
			c.Bars = append(c.Bars, bar{X: px(x), Y: px(f.bottom() - h),
				W: px(width - 1), H: px(h), Class: "bar " + se.Class,
				Tip: tip(cat, se.Name, shown)})
			if p.labelled {
				c.barLabel(x+(width-1)/2, f.bottom()-h, h, shown)
			}
		}
	}
}

// barLabel writes a value on its bar, inside the top where the bar is tall
// enough to hold it and just above it otherwise.
func (c *chart) barLabel(x, top, height float64, text string) {
	if height >= 20 {
		c.text(x, top+14, text, "middle", "inside")
		return
	}
	c.text(x, top-5, text, "middle", "value")
}

// rows is a horizontal bar chart, one bar per labelled value: for long
// names such as checks and locations, which do not fit under a column.
// Each bar is labelled with shown, which says what an empty bar means.
type rows struct {
	name, title, yTitle string
	labels              []string
	values              []float64
	shown               []string
	x                   axis
}

func (p rows) draw() *chart {
	n := max(len(p.labels), 2)
	f := frame{left: 180, top: 12, width: chartWidth - 180 - 96, height: float64(rowHeight * n)}
	c := newChart(p.name, p.title, chartWidth, int(f.bottom())+48)
	hi := 0.0
	for _, v := range p.values {
		hi = math.Max(hi, v)
	}
	ticks := p.x.ticks(hi)
	s := scale{lo: ticks[0], hi: ticks[len(ticks)-1], length: f.width}
	p.axes(c, f, s, ticks)
	for i, v := range p.values {
		y := f.top + float64(rowHeight*i) + 4
		w := s.at(v)
		c.Bars = append(c.Bars, bar{X: px(f.left), Y: px(y), W: px(w),
			H: px(rowHeight - 8), Class: "bar s1", Tip: tip(p.labels[i], "", p.shown[i])})
		c.text(f.left-8, y+13, shorten(p.labels[i], 24), "end", "tick")
		c.text(f.left+w+6, y+13, p.shown[i], "start", "value")
	}
	if len(p.values) == 0 {
		c.noData(f)
	}
	return c
}

// axes draws a horizontal chart's value grid along the bottom and its
// titles.
func (p rows) axes(c *chart, f frame, s scale, ticks []float64) {
	for _, t := range ticks {
		x := f.left + s.at(t)
		c.rule(x, f.top, x, f.bottom(), "gridline")
		c.text(x, f.bottom()+16, p.x.tick(t), "middle", "tick")
	}
	c.rule(f.left, f.top, f.left, f.bottom(), "axis")
	c.rule(f.left, f.bottom(), f.right(), f.bottom(), "axis")
	c.text(f.left+f.width/2, float64(c.Height)-8, p.x.title, "middle", "axis-title")
	mid := f.top + f.height/2
	c.Labels = append(c.Labels, label{X: px(14), Y: px(mid), Text: p.yTitle,
		Anchor: "middle", Class: "axis-title", Transform: "rotate(-90 14 " + px(mid) + ")"})
}

// trend is a line chart of one series over time. A value not known has no
// point, and the line breaks there rather than pass through a guess.
type trend struct {
	name, title, xTitle string
	categories          []string
	values              []float64
	known               []bool
	y                   axis
}

func (p trend) draw() *chart {
	c := newChart(p.name, p.title, chartWidth, columnHeight)
	f := frame{left: 72, top: 28, width: chartWidth - 72 - 16, height: columnHeight - 28 - 56}
	hi := 0.0
	for i, v := range p.values {
		if p.known[i] {
			hi = math.Max(hi, v)
		}
	}
	ticks := p.y.ticks(hi)
	s := scale{lo: ticks[0], hi: ticks[len(ticks)-1], length: f.height}
	c.valueAxisY(f, s, ticks, p.y.tick, p.y.title)
	c.categoryAxisX(f, p.categories, p.xTitle)
	slot := f.width / float64(max(len(p.values), 1))
	var trace []string
	for i, v := range p.values {
		if !p.known[i] {
			c.trace(trace)
			trace = nil
			continue
		}
		x, y := px(f.left+slot*(float64(i)+0.5)), px(f.bottom()-s.at(v))
		trace = append(trace, x+","+y)
		c.Points = append(c.Points, point{X: x, Y: y,
			Tip: tip(p.categories[i], "", p.y.value(v))})
	}
	c.trace(trace)
	if len(p.values) == 0 {
		c.noData(f)
	}
	return c
}

// trace adds a stretch of line through points; one point is drawn alone.
func (c *chart) trace(points []string) {
	if len(points) > 1 {
		c.Traces = append(c.Traces, strings.Join(points, " "))
	}
}

// tip is a data point's tooltip: "2026-02-09 · created: 4".
func tip(category, series, value string) string {
	if series == "" {
		return category + ": " + value
	}
	return category + " · " + series + ": " + value
}
