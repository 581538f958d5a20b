package jinja

import (
	"errors"
	"fmt"
)

// Env holds what every render shares: the macros of the project's macro
// files, the caller's global values and the target adapter's name. Once
// set up it is only read, so renders may run concurrently.
type Env struct {
	// Globals are values every template and macro sees, such as dbt's
	// ref or var Funcs. NewEnv puts the adapter namespace here. A
	// variable passed to Render overrides a global of the same name,
	// and a global overrides a macro.
	Globals map[string]any

	adapter string
	macros  map[string]*Macro
}

// NewEnv returns an Env whose adapter.dispatch prefers macros named
// "<adapter>__name", as dbt does for the adapter it runs on.
func NewEnv(adapter string) *Env {
	e := &Env{adapter: adapter, macros: map[string]*Macro{}}
	adapterNS := &Namespace{Name: "adapter", Attrs: map[string]any{"dispatch": Func(e.dispatch)}}
	e.Globals = map[string]any{"adapter": adapterNS}
	return e
}

// dispatch is dbt's adapter.dispatch(macro_name, macro_namespace=None).
// The namespace is accepted and ignored: all macros share one Env.
func (e *Env) dispatch(args []any, kw *Dict) (any, error) {
	a, err := bind("dispatch", args, kw,
		param{name: "macro_name", req: true}, param{name: "macro_namespace"})
	if err != nil {
		return nil, err
	}
	name, err := wantStr("dispatch", a[0])
	if err != nil {
		return nil, err
	}
	for _, prefix := range []string{e.adapter + "__", "default__"} {
		if m, ok := e.macros[prefix+name]; ok {
			return m, nil
		}
	}
	return nil, fmt.Errorf("no implementation of macro %q for adapter %q", name, e.adapter)
}

// AddMacros registers every macro defined at the top level of a macro
// file; the rest of the file is ignored, as dbt ignores it. A macro name
// that is already registered is an error that names both places, and
// then no macro of the file is registered.
func (e *Env) AddMacros(file, src string) error {
	nodes, err := parse(file, src)
	if err != nil {
		return err
	}
	found := map[string]*Macro{}
	for _, n := range nodes {
		if mn, ok := n.(*macroNode); ok {
			if err := e.checkNew(found, mn.m); err != nil {
				return err
			}
			found[mn.m.name] = mn.m
		}
	}
	for name, m := range found {
		// dbt compiles each macro on its own, so no frame encloses it.
		m.undef = analyzeFrame(m.params, m.defaults, m.body, noOuterNames)
		e.macros[name] = m
	}
	return nil
}

// checkNew fails if m's name is registered or found earlier in its file.
func (e *Env) checkNew(found map[string]*Macro, m *Macro) error {
	prev, dup := e.macros[m.name]
	if !dup {
		prev, dup = found[m.name]
	}
	if !dup {
		return nil
	}
	return &Error{File: m.file, Line: m.at.line, Col: m.at.col,
		Msg: fmt.Sprintf("macro %q is already defined at %s:%d:%d",
			m.name, prev.file, prev.at.line, prev.at.col)}
}

// Output is a rendered template together with what SourceLine needs to
// lead a database error on an output line back to the template.
type Output struct {
	Text  string
	lines []int
}

// SourceLine maps a 1-based line of Text to the 1-based template line
// that produced its first character: for literal text its own line, for
// the output of an expression or macro call the line of its "{{". It
// returns 0 for a line that does not exist or is empty at the very end.
func (o *Output) SourceLine(outputLine int) int {
	if outputLine < 1 || outputLine > len(o.lines) {
		return 0
	}
	return o.lines[outputLine-1]
}

// Render renders a template such as a dbt model. vars are the model's
// own variables; they override Globals. Macros the template defines are
// local to this render.
func (e *Env) Render(file, src string, vars map[string]any) (*Output, error) {
	nodes, err := parse(file, src)
	if err != nil {
		return nil, err
	}
	root := unboundVars(analyzeFrame(nil, nil, nodes, noOuterNames))
	r := e.renderer(vars)
	f := &frame{r: r, file: file, scope: &scope{vars: root, parent: r.ctx}}
	var w writer
	if err := f.exec(nodes, &w); err != nil {
		return nil, outside(err)
	}
	return &Output{Text: w.b.String(), lines: w.lines}, nil
}

// CallMacro calls a registered macro from Go with positional arguments,
// returning its rendered text or the value it passed to return(). The
// macro sees Globals but no render's variables. Wrong arguments are
// reported at the macro's definition.
func (e *Env) CallMacro(name string, args ...any) (any, error) {
	m, ok := e.macros[name]
	if !ok {
		return nil, fmt.Errorf("undefined macro %q", name)
	}
	norm := make([]any, len(args))
	for i, a := range args {
		norm[i] = normalize(a)
	}
	v, err := e.renderer(nil).invoke(m, norm, NewDict())
	var inner *Error
	if err != nil && !errors.As(err, &inner) {
		err = &Error{File: m.file, Line: m.at.line, Col: m.at.col, Msg: err.Error()}
	}
	return v, err
}

func (e *Env) renderer(vars map[string]any) *renderer {
	return &renderer{
		env: e,
		ctx: &scope{vars: vars, foreign: true},
		bud: budget{left: maxSteps},
	}
}

// outside turns a return() that no macro caught into its error.
func outside(err error) error {
	var ret *returnSignal
	if errors.As(err, &ret) {
		return ret.err
	}
	return err
}
