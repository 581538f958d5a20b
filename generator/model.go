package generator

// modelView is a model laid out as dbt users write them: a header, a few
// lines on what one row is, optional config, one CTE per step with a name
// that says what it holds, and a final select from the last.
type modelView struct {
	Header string
	About  []string
	Config string
	CTEs   []cte
	Final  block
}

// cte is one named step; several blocks are combined with union all.
type cte struct {
	Name    string
	Comment []string
	Blocks  []block
}

// block is one select: its select list, its from clause, and the lines
// that follow from (joins, where, group by).
type block struct {
	Select []string
	From   string
	Tail   []string
}

func (v *modelView) add(name string, blocks ...block) {
	v.CTEs = append(v.CTEs, cte{Name: name, Blocks: blocks})
}

// addNoted adds a CTE with a comment saying what it holds.
func (v *modelView) addNoted(name string, comment []string, blocks ...block) {
	v.CTEs = append(v.CTEs, cte{Name: name, Comment: comment, Blocks: blocks})
}
