package jinja

// node is a statement of a parsed template.
type node interface{ isNode() }

type textNode struct {
	text string
	at   pos
}

type outputNode struct {
	x  expr
	at pos // the "{{"
}

type ifNode struct {
	conds  []expr
	bodies [][]node
	orElse []node
}

type forNode struct {
	targets []string
	iter    expr
	body    []node
	at      pos
	undef   []string // names the body owns; see analyzeFrame
}

type setNode struct {
	targets []string
	x       expr
	at      pos
}

type macroNode struct{ m *Macro }

func (*textNode) isNode()   {}
func (*outputNode) isNode() {}
func (*ifNode) isNode()     {}
func (*forNode) isNode()    {}
func (*setNode) isNode()    {}
func (*macroNode) isNode()  {}

// expr is an expression; start is where its source text begins.
type expr interface{ start() pos }

type constExpr struct {
	val any
	at  pos
}

type nameExpr struct {
	name string
	at   pos
}

// listExpr is a list or tuple literal; both evaluate to []any.
type listExpr struct {
	items []expr
	at    pos
}

type dictExpr struct {
	keys, vals []expr
	at         pos
}

type attrExpr struct {
	obj  expr
	name string
	at   pos // the attribute name
}

type itemExpr struct {
	obj, key expr
	at       pos // the "["
}

// callArgs are the arguments of a call or a filter.
type callArgs struct {
	pos   []expr
	names []string
	kw    []expr
}

type callExpr struct {
	fn   expr
	args callArgs
}

type filterExpr struct {
	arg  expr
	name string
	args callArgs
	at   pos // the filter name
}

type testExpr struct {
	arg  expr
	name string
	neg  bool
	at   pos // the test name
}

type unaryExpr struct {
	op string
	x  expr
	at pos
}

type binaryExpr struct {
	op   string
	l, r expr
	at   pos // the operator
}

// compareExpr is a chain such as a < b <= c.
type compareExpr struct {
	first expr
	ops   []string
	rest  []expr
	ats   []pos
}

type condExpr struct {
	cond, yes, no expr // no is nil when there is no else
	at            pos
}

func (e *constExpr) start() pos   { return e.at }
func (e *nameExpr) start() pos    { return e.at }
func (e *listExpr) start() pos    { return e.at }
func (e *dictExpr) start() pos    { return e.at }
func (e *attrExpr) start() pos    { return e.obj.start() }
func (e *itemExpr) start() pos    { return e.obj.start() }
func (e *callExpr) start() pos    { return e.fn.start() }
func (e *filterExpr) start() pos  { return e.arg.start() }
func (e *testExpr) start() pos    { return e.arg.start() }
func (e *unaryExpr) start() pos   { return e.at }
func (e *binaryExpr) start() pos  { return e.l.start() }
func (e *compareExpr) start() pos { return e.first.start() }
func (e *condExpr) start() pos    { return e.yes.start() }
