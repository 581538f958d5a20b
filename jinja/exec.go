package jinja

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// writer collects output and remembers, for each output line, the
// template line that produced its first character.
type writer struct {
	b       strings.Builder
	lines   []int
	midLine bool
}

// write appends s, produced at template line line. Literal template text
// advances the line at each newline; the output of an expression does not.
func (w *writer) write(s string, line int, literal bool) {
	for s != "" {
		if !w.midLine {
			w.lines = append(w.lines, line)
			w.midLine = true
		}
		k := strings.IndexByte(s, '\n')
		if k < 0 {
			w.b.WriteString(s)
			return
		}
		w.b.WriteString(s[:k+1])
		s = s[k+1:]
		w.midLine = false
		if literal {
			line++
		}
	}
}

func (f *frame) emit(w *writer, s string, at pos, literal bool) error {
	if w.b.Len()+len(s) > maxSize {
		return f.errorf(at, "%w", errTooLarge)
	}
	if err := f.charge(at, len(s)/bytesPerStep); err != nil {
		return err
	}
	w.write(s, at.line, literal)
	return nil
}

func (f *frame) exec(nodes []node, w *writer) error {
	for _, n := range nodes {
		if err := f.execNode(n, w); err != nil {
			return err
		}
	}
	return nil
}

func (f *frame) execNode(n node, w *writer) error {
	switch n := n.(type) {
	case *textNode:
		return f.emit(w, n.text, n.at, true)
	case *outputNode:
		return f.execOutput(n, w)
	case *ifNode:
		return f.execIf(n, w)
	case *forNode:
		return f.execFor(n, w)
	case *setNode:
		return f.execSet(n)
	case *macroNode:
		m := *n.m
		m.closure = f.scope
		f.scope.vars[m.name] = &m
		return nil
	}
	return f.errorf(pos{1, 1}, "internal error: unknown statement %T", n)
}

func (f *frame) execOutput(n *outputNode, w *writer) error {
	v, err := f.eval(n.x)
	if err != nil {
		return err
	}
	s, err := toStr(v)
	if err != nil {
		return f.errorf(n.x.start(), "%w", err)
	}
	return f.emit(w, s, n.at, false)
}

// execIf runs the first branch whose condition holds. An if statement
// opens no scope: variables it sets stay set, as in Jinja2.
func (f *frame) execIf(n *ifNode, w *writer) error {
	for i, cond := range n.conds {
		v, err := f.eval(cond)
		if err != nil {
			return err
		}
		if truth(v) {
			return f.exec(n.bodies[i], w)
		}
	}
	return f.exec(n.orElse, w)
}

// execFor runs the body once per item, each time in a fresh scope, so
// that, as in Jinja2, nothing set inside survives the iteration.
func (f *frame) execFor(n *forNode, w *writer) error {
	v, err := f.eval(n.iter)
	if err != nil {
		return err
	}
	items, err := iterate(v)
	if err != nil {
		return f.errorf(n.iter.start(), "%w", err)
	}
	for i, item := range items {
		if err := f.charge(n.at, 1); err != nil {
			return err
		}
		s := &scope{vars: unboundVars(n.undef), parent: f.scope}
		s.vars["loop"] = loopVar(i, len(items))
		if err := assign(s.vars, n.targets, item); err != nil {
			return f.errorf(n.at, "%w", err)
		}
		body := &frame{r: f.r, file: f.file, scope: s}
		if err := body.exec(n.body, w); err != nil {
			return err
		}
	}
	return nil
}

// unboundVars starts the variables of a frame, with the names it owns
// unbound.
func unboundVars(undef []string) map[string]any {
	vars := make(map[string]any, len(undef)+2)
	for _, name := range undef {
		vars[name] = unbound{}
	}
	return vars
}

func loopVar(i, n int) *Namespace {
	return &Namespace{Name: "loop", Attrs: map[string]any{
		"index":  int64(i + 1),
		"index0": int64(i),
		"first":  i == 0,
		"last":   i == n-1,
		"length": int64(n),
	}}
}

func (f *frame) execSet(n *setNode) error {
	v, err := f.eval(n.x)
	if err != nil {
		return err
	}
	if err := assign(f.scope.vars, n.targets, v); err != nil {
		return f.errorf(n.at, "%w", err)
	}
	return nil
}

// assign binds targets to v, unpacking v when there are several.
func assign(vars map[string]any, targets []string, v any) error {
	if len(targets) == 1 {
		vars[targets[0]] = v
		return nil
	}
	items, err := iterate(v)
	if err != nil {
		return fmt.Errorf("cannot unpack non-iterable %s object", typeName(v))
	}
	if len(items) < len(targets) {
		return fmt.Errorf("not enough values to unpack (expected %d, got %d)",
			len(targets), len(items))
	}
	if len(items) > len(targets) {
		return fmt.Errorf("too many values to unpack (expected %d)", len(targets))
	}
	for i, t := range targets {
		vars[t] = items[i]
	}
	return nil
}

// callMacro calls m from a template; errors are reported at the call
// site at, with the error inside the macro as their cause.
func (f *frame) callMacro(m *Macro, args []any, kw *Dict, at pos) (any, error) {
	v, err := f.r.invoke(m, args, kw)
	var inner *Error
	switch {
	case err == nil:
		return v, nil
	case errors.As(err, &inner):
		return nil, &Error{File: f.file, Line: at.line, Col: at.col,
			Msg: fmt.Sprintf("in macro %q: %s", m.name, err), Err: err}
	}
	return nil, f.errorf(at, "%w", err)
}

// invoke binds the arguments and renders the macro body. A macro local
// to a template sees the scope it was defined in; a macro of the Env
// sees only the render's variables and the globals.
func (r *renderer) invoke(m *Macro, args []any, kw *Dict) (any, error) {
	if r.depth >= maxCallDepth {
		return nil, fmt.Errorf("macro calls nested more than %d deep", maxCallDepth)
	}
	if !r.bud.spend(1) {
		return nil, fmt.Errorf("template exceeds the limit of %d evaluation steps", maxSteps)
	}
	vars, err := bindMacro(m, args, kw)
	if err != nil {
		return nil, err
	}
	parent := m.closure
	if parent == nil {
		parent = r.ctx
	}
	f := &frame{r: r, file: m.file, scope: &scope{vars: vars, parent: parent}}
	r.depth++
	defer func() { r.depth-- }()
	return f.run(m)
}

// run evaluates the defaults of missing arguments, then the body. A
// return() in either ends the macro with its value.
func (f *frame) run(m *Macro) (any, error) {
	var w writer
	err := f.fillDefaults(m)
	if err == nil {
		err = f.exec(m.body, &w)
	}
	var ret *returnSignal
	if errors.As(err, &ret) {
		return ret.val, nil
	}
	if err != nil {
		return nil, err
	}
	return w.b.String(), nil
}

// fillDefaults evaluates defaults in the macro's scope, in order, so a
// default can use the parameters before it.
func (f *frame) fillDefaults(m *Macro) error {
	for i, p := range m.params {
		if _, ok := f.scope.vars[p].(unbound); ok && m.defaults[i] != nil {
			v, err := f.eval(m.defaults[i])
			if err != nil {
				return err
			}
			f.scope.vars[p] = v
		}
	}
	return nil
}

func bindMacro(m *Macro, args []any, kw *Dict) (map[string]any, error) {
	if len(args) > len(m.params) {
		return nil, fmt.Errorf("macro %q takes at most %d argument(s), got %d",
			m.name, len(m.params), len(args))
	}
	vars := unboundVars(m.undef)
	for i, p := range m.params {
		vars[p] = unbound{}
		if i < len(args) {
			vars[p] = args[i]
		}
	}
	for _, k := range kw.Keys() {
		if !slices.Contains(m.params, k) {
			return nil, fmt.Errorf("macro %q has no parameter %q", m.name, k)
		}
		if _, isUnbound := vars[k].(unbound); !isUnbound {
			return nil, fmt.Errorf("macro %q got two values for parameter %q", m.name, k)
		}
		vars[k], _ = kw.Get(k)
	}
	return vars, nil
}
