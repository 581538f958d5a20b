package jinja

// scope is one level of variables: a template, a loop iteration or a
// macro call. Lookups continue in the parent.
type scope struct {
	vars    map[string]any
	parent  *scope
	foreign bool // the caller's variables, which may need normalizing
}

// unbound marks a name that a frame owns but has not assigned yet, such
// as a macro parameter without argument or default: like Jinja2's
// undefined it hides an outer name of the same spelling.
type unbound struct{}

// renderer is the state of one Render or CallMacro.
type renderer struct {
	env   *Env
	ctx   *scope // the render's variables, which the Env's macros see
	bud   budget
	depth int // macro calls in progress
}

// frame is where statements run: a file and a scope in it.
type frame struct {
	r     *renderer
	file  string
	scope *scope
}

func (f *frame) errorf(at pos, format string, args ...any) error {
	return positioned(f.file, at, format, args...)
}

// wrap positions an error from a caller's Func, keeping it unwrappable.
func (f *frame) wrap(at pos, err error) error {
	return &Error{File: f.file, Line: at.line, Col: at.col, Msg: err.Error(), Err: err}
}

// charge spends n steps of the budget, failing once it is used up.
func (f *frame) charge(at pos, n int) error {
	if f.r.bud.spend(n) {
		return nil
	}
	return f.errorf(at, "template exceeds the limit of %d evaluation steps", maxSteps)
}

// lookup resolves a name: scopes, then Globals, then the Env's macros,
// then the built-in return().
func (f *frame) lookup(name string) (any, bool) {
	for s := f.scope; s != nil; s = s.parent {
		v, ok := s.vars[name]
		if !ok {
			continue
		}
		if _, isUnbound := v.(unbound); isUnbound {
			return nil, false
		}
		if s.foreign {
			v = normalize(v)
		}
		return v, true
	}
	if v, ok := f.r.env.Globals[name]; ok {
		return normalize(v), true
	}
	if m, ok := f.r.env.macros[name]; ok {
		return m, true
	}
	if name == "return" {
		return returnFunc{}, true
	}
	return nil, false
}

func (f *frame) eval(e expr) (any, error) {
	v, miss, err := f.resolve(e)
	if err == nil {
		err = miss
	}
	return v, err
}

// resolve evaluates e but reports a failed final lookup (an undefined
// name, attribute or item) as miss rather than err, for the "defined"
// test and the "default" filter.
func (f *frame) resolve(e expr) (v any, miss, err error) {
	switch e := e.(type) {
	case *nameExpr:
		if v, ok := f.lookup(e.name); ok {
			return v, nil, nil
		}
		return nil, f.errorf(e.at, "undefined name %q", e.name), nil
	case *attrExpr:
		return f.resolveAttr(e)
	case *itemExpr:
		return f.resolveItem(e)
	}
	v, err = f.evalOther(e)
	if err == nil {
		err = f.charge(e.start(), sizeOf(v))
	}
	return v, nil, err
}

// sizeOf is what producing v costs; charging it also catches a budget
// that comparisons and sorting used up.
func sizeOf(v any) int {
	switch x := v.(type) {
	case string:
		return len(x) / bytesPerStep
	case []any:
		return len(x) / 64
	}
	return 0
}

func (f *frame) resolveAttr(e *attrExpr) (any, error, error) {
	obj, err := f.eval(e.obj)
	if err != nil {
		return nil, nil, err
	}
	if v, ok := getattr(obj, e.name); ok {
		return v, nil, nil
	}
	return nil, f.errorf(e.at, "%s", missingAttr(obj, e.name)), nil
}

func (f *frame) resolveItem(e *itemExpr) (any, error, error) {
	obj, err := f.eval(e.obj)
	if err != nil {
		return nil, nil, err
	}
	key, err := f.eval(e.key)
	if err != nil {
		return nil, nil, err
	}
	if v, ok := getitem(obj, key); ok {
		return v, nil, nil
	}
	return nil, f.errorf(e.at, "%s", missingItem(obj, key)), nil
}

func (f *frame) evalOther(e expr) (any, error) {
	switch e := e.(type) {
	case *constExpr:
		return e.val, nil
	case *listExpr:
		return f.evalList(e.items)
	case *dictExpr:
		return f.evalDict(e)
	case *callExpr:
		return f.evalCall(e)
	case *filterExpr:
		return f.evalFilter(e)
	case *testExpr:
		return f.evalTest(e)
	case *unaryExpr:
		return f.evalUnary(e)
	case *binaryExpr:
		return f.evalBinary(e)
	case *compareExpr:
		return f.evalCompare(e)
	case *condExpr:
		return f.evalCond(e)
	}
	return nil, f.errorf(e.start(), "internal error: unknown expression %T", e)
}

func (f *frame) evalList(items []expr) ([]any, error) {
	out := make([]any, len(items))
	for i, x := range items {
		v, err := f.eval(x)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (f *frame) evalDict(e *dictExpr) (any, error) {
	d := NewDict()
	for i, k := range e.keys {
		key, err := f.eval(k)
		if err != nil {
			return nil, err
		}
		s, ok := key.(string)
		if !ok {
			return nil, f.errorf(k.start(), "dict keys must be strings, not %s", typeName(key))
		}
		v, err := f.eval(e.vals[i])
		if err != nil {
			return nil, err
		}
		d.Set(s, v)
	}
	return d, nil
}

func (f *frame) evalArgs(a callArgs) ([]any, *Dict, error) {
	args, err := f.evalList(a.pos)
	if err != nil {
		return nil, nil, err
	}
	kw := NewDict()
	for i, name := range a.names {
		v, err := f.eval(a.kw[i])
		if err != nil {
			return nil, nil, err
		}
		kw.Set(name, v)
	}
	return args, kw, nil
}

func (f *frame) evalCall(e *callExpr) (any, error) {
	fn, err := f.eval(e.fn)
	if err != nil {
		return nil, err
	}
	args, kw, err := f.evalArgs(e.args)
	if err != nil {
		return nil, err
	}
	return f.call(fn, args, kw, e.start())
}

// call calls fn; errors are reported at the call site at.
func (f *frame) call(fn any, args []any, kw *Dict, at pos) (any, error) {
	switch fn := fn.(type) {
	case Func:
		v, err := fn(args, kw)
		if err != nil {
			return nil, f.wrap(at, err)
		}
		return normalize(v), nil
	case *Macro:
		return f.callMacro(fn, args, kw, at)
	case *method:
		v, err := fn.call(args, kw)
		if err != nil {
			return nil, f.errorf(at, "%w", err)
		}
		return v, nil
	case returnFunc:
		if len(args) != 1 || kw.Len() > 0 {
			return nil, f.errorf(at, "return() takes exactly one positional argument")
		}
		return nil, &returnSignal{val: args[0], err: f.errorf(at, "return() outside a macro")}
	}
	return nil, f.errorf(at, "%s is not callable", typeName(fn))
}

// returnSignal carries dbt's return(value) up to the macro call that
// catches it; err is what it becomes if no macro does.
type returnSignal struct {
	val any
	err error
}

func (r *returnSignal) Error() string { return r.err.Error() }

func (f *frame) evalFilter(e *filterExpr) (any, error) {
	v, miss, err := f.resolve(e.arg)
	if err != nil {
		return nil, err
	}
	args, kw, err := f.evalArgs(e.args)
	if err != nil {
		return nil, err
	}
	if e.name == "default" {
		v, err = filterDefault(v, miss == nil && !isUndefined(v), args, kw)
	} else if miss != nil {
		return nil, miss
	} else {
		v, err = applyFilter(e.name, v, args, kw, &f.r.bud)
	}
	if err != nil {
		return nil, f.errorf(e.at, "%s filter: %w", e.name, err)
	}
	return v, nil
}

func (f *frame) evalTest(e *testExpr) (any, error) {
	v, miss, err := f.resolve(e.arg)
	if err != nil {
		return nil, err
	}
	if e.name == "defined" {
		return (miss == nil && !isUndefined(v)) != e.neg, nil
	}
	if miss != nil {
		return nil, miss
	}
	var ok bool
	switch e.name {
	case "none":
		ok = v == nil
	case "string":
		_, ok = v.(string)
	case "number":
		_, ok = asFloat(v)
	}
	return ok != e.neg, nil
}

func (f *frame) evalUnary(e *unaryExpr) (any, error) {
	v, err := f.eval(e.x)
	if err != nil {
		return nil, err
	}
	if e.op == "not" {
		return !truth(v), nil
	}
	if v, err = negate(e.op, v); err != nil {
		return nil, f.errorf(e.at, "%w", err)
	}
	return v, nil
}

func (f *frame) evalBinary(e *binaryExpr) (any, error) {
	l, err := f.eval(e.l)
	if err != nil {
		return nil, err
	}
	switch {
	case e.op == "and" && !truth(l), e.op == "or" && truth(l):
		return l, nil
	case e.op == "and", e.op == "or":
		return f.eval(e.r)
	}
	r, err := f.eval(e.r)
	if err != nil {
		return nil, err
	}
	v, err := arith(e.op, l, r)
	if err != nil {
		return nil, f.errorf(e.at, "%w", err)
	}
	return v, nil
}

// evalCompare evaluates a chain such as a < b < c as Python does: each
// operand once, stopping at the first false comparison.
func (f *frame) evalCompare(e *compareExpr) (any, error) {
	l, err := f.eval(e.first)
	if err != nil {
		return nil, err
	}
	for i, op := range e.ops {
		r, err := f.eval(e.rest[i])
		if err != nil {
			return nil, err
		}
		ok, err := compare(op, l, r, &f.r.bud)
		if err != nil {
			return nil, f.errorf(e.ats[i], "%w", err)
		}
		if !ok {
			return false, nil
		}
		l = r
	}
	return true, nil
}

func (f *frame) evalCond(e *condExpr) (any, error) {
	c, err := f.eval(e.cond)
	if err != nil {
		return nil, err
	}
	switch {
	case truth(c):
		return f.eval(e.yes)
	case e.no == nil:
		return undefined{}, nil
	}
	return f.eval(e.no)
}
