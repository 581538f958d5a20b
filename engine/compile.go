package engine

import (
	"fmt"
	"strings"

	"github.com/invgen/invgen/jinja"
)

// compiler renders models with the dbt context: one per project and run.
type compiler struct {
	p      *Project
	env    *jinja.Env
	schema string
	vars   map[string]any

	viewsAsTables bool
}

func newCompiler(p *Project, opt Options) (*compiler, error) {
	schema := opt.Schema
	c := &compiler{p: p, env: jinja.NewEnv("duckdb"), schema: schema, vars: map[string]any{},
		viewsAsTables: opt.ViewsAsTables}
	for k, v := range p.Vars {
		c.vars[k] = v
	}
	for k, v := range opt.Vars {
		c.vars[k] = v
	}
	for _, file := range sortedKeys(p.macros) {
		if err := c.env.AddMacros(file, p.macros[file]); err != nil {
			return nil, err
		}
	}
	c.env.Globals["dbt"] = dbtNamespace()
	if ns, ok := c.env.Globals["adapter"].(*jinja.Namespace); ok {
		ns.Attrs["quote"] = jinja.Func(quoteFn)
	}
	c.env.Globals["var"] = jinja.Func(c.varFn)
	c.env.Globals["run_started_at"] = runStartedAt(opt.RunStartedAt)
	c.env.Globals["target"] = &jinja.Namespace{Name: "target", Attrs: map[string]any{
		"type": "duckdb", "name": "invgen", "schema": schema,
	}}
	return c, nil
}

// compiled is a model's SQL and what rendering it revealed.
type compiled struct {
	out          *jinja.Output
	deps         []string
	sources      []string // the source() names it reads
	materialized string
	uniqueKey    []string
}

// compile renders one model. incremental is what is_incremental() returns.
func (c *compiler) compile(m *Model, incremental bool) (*compiled, error) {
	res := &compiled{}
	vars := map[string]any{
		"ref": jinja.Func(func(a []any, _ *jinja.Dict) (any, error) { return c.ref(res, a) }),
		"source": jinja.Func(func(a []any, kw *jinja.Dict) (any, error) {
			rel, err := c.source(a, kw)
			if err == nil {
				res.sources = append(res.sources, fmt.Sprint(a[0]))
			}
			return rel, err
		}),
		"config": jinja.Func(func(_ []any, kw *jinja.Dict) (any, error) {
			return "", res.config(kw)
		}),
		"is_incremental": jinja.Func(func([]any, *jinja.Dict) (any, error) {
			return incremental, nil
		}),
		"this": c.relation(m.Name),
	}
	out, err := c.env.Render(m.Path, m.SQL, vars)
	if err != nil {
		return nil, err
	}
	res.out = out
	return res, nil
}

// relation is how a model is named in SQL.
func (c *compiler) relation(model string) *jinja.Namespace {
	text := quote(c.schema) + "." + quote(model)
	return &jinja.Namespace{Name: "relation", Text: text,
		Attrs: map[string]any{"schema": c.schema, "identifier": model, "name": model}}
}

func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func (c *compiler) ref(res *compiled, args []any) (any, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("ref takes one model name")
	}
	name, _ := args[0].(string)
	if c.p.seeds[name] {
		return c.relation(name), nil
	}
	if _, ok := c.p.byName[name]; !ok {
		return nil, fmt.Errorf("ref(%q): no model or seed of that name", name)
	}
	res.deps = append(res.deps, name)
	return c.relation(name), nil
}

func (c *compiler) source(args []any, _ *jinja.Dict) (any, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("source takes a source name and a table name")
	}
	key := fmt.Sprint(args[0]) + "." + fmt.Sprint(args[1])
	st, ok := c.p.Sources[key]
	if !ok {
		return nil, fmt.Errorf("source(%q, %q): no such source table", args[0], args[1])
	}
	parts := []string{st.Schema, st.Identifier}
	if st.Database != "" {
		parts = append([]string{st.Database}, parts...)
	}
	for i, p := range parts {
		parts[i] = quote(p)
	}
	return &jinja.Namespace{Name: "relation", Text: strings.Join(parts, ".")}, nil
}

func (c *compiler) varFn(args []any, _ *jinja.Dict) (any, error) {
	if len(args) < 1 || len(args) > 2 {
		return nil, fmt.Errorf("var takes a name and an optional default")
	}
	name := fmt.Sprint(args[0])
	if v, ok := c.vars[name]; ok {
		return v, nil
	}
	if len(args) == 2 {
		return args[1], nil
	}
	return nil, fmt.Errorf("required var %q is not set in dbt_project.yml or --vars", name)
}

func (res *compiled) config(kw *jinja.Dict) error {
	for _, k := range kw.Keys() {
		v, _ := kw.Get(k)
		switch k {
		case "materialized":
			res.materialized = fmt.Sprint(v)
		case "unique_key":
			res.uniqueKey = keyList(v)
		}
	}
	return nil
}

func keyList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = fmt.Sprint(e)
		}
		return out
	}
	return nil
}

// quoteFn is adapter.quote: DuckDB quotes identifiers with double quotes.
func quoteFn(args []any, _ *jinja.Dict) (any, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("adapter.quote takes one identifier")
	}
	return quote(fmt.Sprint(args[0])), nil
}
