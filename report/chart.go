package report

import (
	"math"
	"strconv"
)

// chart is one figure ready for the page template: SVG geometry in user
// units, already formatted so the output is byte-for-byte repeatable, and
// the table that carries the same numbers for screen readers and for
// anyone who wants the exact values.
type chart struct {
	Name   string // the data-chart attribute
	Title  string
	Width  int
	Height int
	Bars   []bar
	Swatch []bar  // legend keys, not data
	Lines  []line // grid and axes, under the data
	Marks  []line // over the data, as a target is
	Labels []label
	Traces []string // the points of each stretch of a line chart's line
	Points []point
	Table  table
}

type bar struct {
	X, Y, W, H string
	Class      string
	Tip        string
}

type line struct {
	X1, Y1, X2, Y2 string
	Class          string
}

type label struct {
	X, Y      string
	Text      string
	Anchor    string // start, middle or end
	Class     string
	Transform string
}

type point struct {
	X, Y string
	Tip  string
}

// table is a chart's data as rows of cells, with a header row.
type table struct {
	Head []cell
	Rows [][]cell
}

// cell is one table cell; numbers align right.
type cell struct {
	Text string
	Num  bool
}

func textCell(s string) cell { return cell{Text: s} }
func numCell(s string) cell  { return cell{Text: s, Num: true} }

// frame is the plot area inside the axes, in SVG user units.
type frame struct {
	left, top, width, height float64
}

func (f frame) bottom() float64 { return f.top + f.height }
func (f frame) right() float64  { return f.left + f.width }

// scale maps values lo..hi onto a length of pixels.
type scale struct {
	lo, hi, length float64
}

// at is the distance from the axis origin to v, clamped to the axis.
func (s scale) at(v float64) float64 {
	v = math.Max(s.lo, math.Min(s.hi, v))
	return (v - s.lo) / (s.hi - s.lo) * s.length
}

// px formats a coordinate to one decimal: enough for a screen, and stable.
func px(v float64) string {
	return strconv.FormatFloat(roundTo(v, 1), 'f', 1, 64)
}

func newChart(name, title string, width, height int) *chart {
	return &chart{Name: name, Title: title, Width: width, Height: height}
}

func (c *chart) text(x, y float64, s, anchor, class string) {
	c.Labels = append(c.Labels, label{X: px(x), Y: px(y), Text: s, Anchor: anchor,
		Class: class})
}

func (c *chart) rule(x1, y1, x2, y2 float64, class string) {
	c.Lines = append(c.Lines, line{X1: px(x1), Y1: px(y1), X2: px(x2), Y2: px(y2),
		Class: class})
}

// mark draws a line over the data.
func (c *chart) mark(x1, y1, x2, y2 float64, class string) {
	c.Marks = append(c.Marks, line{X1: px(x1), Y1: px(y1), X2: px(x2), Y2: px(y2),
		Class: class})
}

// valueAxisY draws a vertical value axis: grid lines, tick labels and the
// axis title turned to run up the left edge.
func (c *chart) valueAxisY(f frame, s scale, ticks []float64, format func(float64) string,
	title string) {
	for _, t := range ticks {
		y := f.bottom() - s.at(t)
		c.rule(f.left, y, f.right(), y, "gridline")
		c.text(f.left-6, y+4, format(t), "end", "tick")
	}
	c.rule(f.left, f.top, f.left, f.bottom(), "axis")
	c.rule(f.left, f.bottom(), f.right(), f.bottom(), "axis")
	mid := f.top + f.height/2
	c.Labels = append(c.Labels, label{X: px(14), Y: px(mid), Text: title, Anchor: "middle",
		Class: "axis-title", Transform: "rotate(-90 14 " + px(mid) + ")"})
}

// categoryAxisX labels category slots under a plot, thinning the labels
// when there are more than fit side by side.
func (c *chart) categoryAxisX(f frame, names []string, title string) {
	slot := f.width / float64(max(len(names), 1))
	every := int(math.Ceil(float64(len(names)) * 78 / f.width))
	for i, n := range names {
		if i%max(every, 1) == 0 {
			c.text(f.left+slot*(float64(i)+0.5), f.bottom()+18, n, "middle", "tick")
		}
	}
	c.text(f.left+f.width/2, float64(c.Height)-8, title, "middle", "axis-title")
}

// legend draws a key per series along the top right.
func (c *chart) legend(series []series) {
	x := float64(c.Width) - 16
	for i := len(series) - 1; i >= 0; i-- {
		s := series[i]
		w := 7*float64(len([]rune(s.Name))) + 24
		x -= w
		c.Swatch = append(c.Swatch, bar{X: px(x), Y: px(6), W: px(10), H: px(10),
			Class: s.Class})
		c.text(x+14, 15, s.Name, "start", "legend")
	}
}

// noData writes a note across an empty plot.
func (c *chart) noData(f frame) {
	c.text(f.left+f.width/2, f.top+f.height/2, "no data", "middle", "empty")
}
