package jinja

// Jinja2 decides statically where each name lives. A frame (the template,
// a loop body or a macro body) owns a name that it assigns before anything
// in it reads the name, outside an if statement, unless an enclosing frame
// already knows the name. Such a name is undefined, not the caller's
// value, until the assignment runs, even in loops and macros nested in
// the frame. analyzeFrame finds these names so that each frame can start
// with them unbound.

// frameNames is what the analysis of one frame has seen so far.
type frameNames struct {
	seen     map[string]bool
	outer    func(string) bool
	undef    []string
	nested   []func()
	inBranch int
}

// analyzeFrame returns the names a frame owns and must start unbound,
// after recording the same for every loop and macro nested in it. params
// are bound when the frame starts and defaults are evaluated in it; outer
// reports the names that enclosing frames know.
func analyzeFrame(params []string, defaults []expr, body []node,
	outer func(string) bool) []string {
	fn := &frameNames{seen: map[string]bool{}, outer: outer}
	for _, p := range params {
		fn.seen[p] = true
	}
	for _, d := range defaults {
		fn.loads(d)
	}
	fn.statements(body)
	for _, analyze := range fn.nested {
		analyze()
	}
	return fn.undef
}

func noOuterNames(string) bool { return false }

func (fn *frameNames) knows(name string) bool { return fn.seen[name] || fn.outer(name) }

func (fn *frameNames) store(name string) {
	if !fn.seen[name] && fn.inBranch == 0 && !fn.outer(name) {
		fn.undef = append(fn.undef, name)
	}
	fn.seen[name] = true
}

func (fn *frameNames) statements(nodes []node) {
	for _, n := range nodes {
		switch n := n.(type) {
		case *outputNode:
			fn.loads(n.x)
		case *ifNode:
			fn.ifStatement(n)
		case *setNode:
			fn.loads(n.x)
			for _, t := range n.targets {
				fn.store(t)
			}
		case *forNode:
			fn.loads(n.iter)
			params := append([]string{"loop"}, n.targets...)
			fn.nested = append(fn.nested, func() {
				n.undef = analyzeFrame(params, nil, n.body, fn.knows)
			})
		case *macroNode:
			m := n.m
			fn.store(m.name)
			fn.nested = append(fn.nested, func() {
				m.undef = analyzeFrame(m.params, m.defaults, m.body, fn.knows)
			})
		}
	}
}

// ifStatement follows Jinja2: only the first condition is outside the
// branches, and a name first assigned in a branch is never owned.
func (fn *frameNames) ifStatement(n *ifNode) {
	fn.loads(n.conds[0])
	fn.inBranch++
	defer func() { fn.inBranch-- }()
	for i, body := range n.bodies {
		if i > 0 {
			fn.loads(n.conds[i])
		}
		fn.statements(body)
	}
	fn.statements(n.orElse)
}

// loads marks every name that x reads as seen.
func (fn *frameNames) loads(x expr) {
	walkNames(x, func(name string) { fn.seen[name] = true })
}

// walkNames calls visit for every name x reads.
func walkNames(x expr, visit func(string)) {
	if n, ok := x.(*nameExpr); ok {
		visit(n.name)
		return
	}
	for _, e := range children(x) {
		walkNames(e, visit)
	}
}

func children(x expr) []expr {
	switch x := x.(type) {
	case *listExpr:
		return x.items
	case *dictExpr:
		return append(append([]expr{}, x.keys...), x.vals...)
	case *attrExpr:
		return []expr{x.obj}
	case *itemExpr:
		return []expr{x.obj, x.key}
	case *callExpr:
		return append(append([]expr{x.fn}, x.args.pos...), x.args.kw...)
	case *filterExpr:
		return append(append([]expr{x.arg}, x.args.pos...), x.args.kw...)
	case *testExpr:
		return []expr{x.arg}
	case *unaryExpr:
		return []expr{x.x}
	case *binaryExpr:
		return []expr{x.l, x.r}
	case *compareExpr:
		return append([]expr{x.first}, x.rest...)
	case *condExpr:
		if x.no == nil {
			return []expr{x.cond, x.yes}
		}
		return []expr{x.cond, x.yes, x.no}
	}
	return nil
}
