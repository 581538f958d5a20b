package generator

import "strings"

// modelView is a model laid out as dbt users write them: a header, a few
// lines on what one row is, optional config, one CTE per step with a name
// that says what it holds, and a final select from the last.
type modelView struct {
	Header []string
	About  []string
	Config string
	CTEs   []cte
	Final  block
}

// cte is one named step; several blocks are combined with union all, or
// with union when Distinct says repeated rows must go.
type cte struct {
	Name     string
	Comment  []string
	Blocks   []block
	Distinct bool
}

// block is one select: its select list, its from clause, and the lines
// that follow from (joins, where, group by).
type block struct {
	Select []string
	From   string
	Tail   []string

	// Inline puts a select of one item and no tail on one line; laidOut
	// sets it where that line fits.
	Inline bool
}

// laidOut decides which selects fit on one line: within a CTE the line is
// indented by four, and no generated line passes 100 columns.
func (v modelView) laidOut() modelView {
	ctes := make([]cte, len(v.CTEs))
	for i, c := range v.CTEs {
		c.Blocks = append([]block{}, c.Blocks...)
		for j := range c.Blocks {
			c.Blocks[j].Inline = c.Blocks[j].fitsOneLine(4)
		}
		ctes[i] = c
	}
	v.CTEs = ctes
	v.Final.Inline = v.Final.fitsOneLine(0)
	return v
}

// fitsOneLine reports whether the block can be "select x from y" on one
// line at the given indentation.
func (b block) fitsOneLine(indent int) bool {
	return len(b.Select) == 1 && len(b.Tail) == 0 && b.From != "" &&
		indent+len("select "+b.Select[0]+" from "+b.From) <= 100
}

func (v *modelView) add(name string, blocks ...block) {
	v.CTEs = append(v.CTEs, cte{Name: name, Blocks: blocks})
}

// addUnion adds a CTE whose blocks combine without repeated rows.
func (v *modelView) addUnion(name string, comment []string, blocks ...block) {
	v.CTEs = append(v.CTEs, cte{Name: name, Comment: comment, Blocks: blocks, Distinct: true})
}

// addNoted adds a CTE with a comment saying what it holds.
func (v *modelView) addNoted(name string, comment []string, blocks ...block) {
	v.CTEs = append(v.CTEs, cte{Name: name, Comment: comment, Blocks: blocks})
}

// mentions reports whether any line of the model's SQL contains s: which
// statuses a model can produce, read from the model itself so that its
// tests cannot drift from it.
func (v *modelView) mentions(s string) bool {
	for _, c := range v.CTEs {
		for _, b := range c.Blocks {
			if b.mentions(s) {
				return true
			}
		}
	}
	return v.Final.mentions(s)
}

func (b *block) mentions(s string) bool {
	for _, lines := range [][]string{b.Select, b.Tail, {b.From}} {
		for _, l := range lines {
			if strings.Contains(l, s) {
				return true
			}
		}
	}
	return false
}
