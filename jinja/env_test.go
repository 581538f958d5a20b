package jinja

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const macroFile = `{# helpers shared by every model #}
{% macro cols(names, prefix='') -%}
{%- for n in names %}
  {{ prefix }}{{ n }}{{ ',' if not loop.last }}
{%- endfor %}
{%- endmacro %}
text outside macros is ignored {{ not_rendered }}
{% macro column_list() %}{{ return(['id', 'amount']) }}{% endmacro %}
`

func newTestEnv(t *testing.T) *Env {
	t.Helper()
	env := NewEnv("duckdb")
	require.NoError(t, env.AddMacros("macros/helpers.sql", macroFile))
	return env
}

func TestMacrosFromFiles(t *testing.T) {
	env := newTestEnv(t)
	src := "select{{ cols(column_list(), prefix='t.') }}\nfrom t"
	out, err := env.Render("model.sql", src, nil)
	require.NoError(t, err)
	assert.Equal(t, "select\n  t.id,\n  t.amount\nfrom t", out.Text)
}

func TestAddMacrosDuplicate(t *testing.T) {
	env := newTestEnv(t)
	err := env.AddMacros("macros/other.sql",
		"{% macro fresh() %}{% endmacro %}\n{% macro  cols() %}{% endmacro %}")
	require.Error(t, err)
	assert.Equal(t, `macros/other.sql:2:11: macro "cols" is already defined at `+
		`macros/helpers.sql:2:10`, err.Error())
	_, err = env.CallMacro("fresh")
	assert.EqualError(t, err, `undefined macro "fresh"`, "a failed file registers nothing")

	twice := "{% macro a() %}{% endmacro %}{% macro a() %}{% endmacro %}"
	err = NewEnv("duckdb").AddMacros("m.sql", twice)
	assert.EqualError(t, err, `m.sql:1:39: macro "a" is already defined at m.sql:1:10`)
}

func TestAddMacrosParseError(t *testing.T) {
	src := "{% macro m() %}\n  {{ 1 + }}\n{% endmacro %}"
	err := NewEnv("duckdb").AddMacros("macros/bad.sql", src)
	assert.EqualError(t, err, "macros/bad.sql:2:10: unexpected end of print statement")
}

func TestMacroErrorPositions(t *testing.T) {
	env := NewEnv("duckdb")
	src := "{% macro m() %}\n  {{ nope }}\n{% endmacro %}"
	require.NoError(t, env.AddMacros("macros/m.sql", src))
	_, err := env.Render("model.sql", "select\n  {{ m() }}", nil)
	require.Error(t, err)
	assert.Equal(t, `model.sql:2:6: in macro "m": macros/m.sql:2:6: undefined name "nope"`,
		err.Error())
	var outer *Error
	require.True(t, errors.As(err, &outer))
	assert.Equal(t, 2, outer.Line)
	var inner *Error
	require.True(t, errors.As(outer.Err, &inner))
	assert.Equal(t, "macros/m.sql", inner.File)
}

func TestReturn(t *testing.T) {
	env := NewEnv("duckdb")
	require.NoError(t, env.AddMacros("m.sql", `
{% macro two() %}ignored {{ return(2) }} never{% endmacro %}
{% macro first_big(xs) %}
  {%- for x in xs %}{% if x > 9 %}{{ return(x) }}{% endif %}{% endfor %}
  {{- return(none) }}
{% endmacro %}
{% macro inner() %}{{ return('in') }}{% endmacro %}
{% macro outer() %}<{{ inner() }}>{% endmacro %}
{% macro in_default(a=return('d')) %}body{% endmacro %}
`))
	tests := []struct{ src, want string }{
		{"{{ two() + 1 }}", "3"},
		{"{{ first_big([1, 20, 30]) }} {{ first_big([1]) is none }}", "20 True"},
		{"{{ outer() }}", "<in>"},
		{"{{ in_default() }} {{ in_default(1) }}", "d body"},
	}
	for _, tc := range tests {
		out, err := env.Render("model.sql", tc.src, nil)
		require.NoError(t, err, tc.src)
		assert.Equal(t, tc.want, out.Text, tc.src)
	}
}

func TestDispatch(t *testing.T) {
	const macros = `
{% macro datediff(a, b) %}{{ return(adapter.dispatch('datediff', 'dbt')(a, b)) }}{% endmacro %}
{% macro default__datediff(a, b) %}datediff({{ a }}, {{ b }}){% endmacro %}
{% macro duckdb__datediff(a, b) %}date_diff('day', {{ a }}, {{ b }}){% endmacro %}
{% macro default__cast(x) %}cast({{ x }}){% endmacro %}
`
	tests := []struct{ adapter, src, want string }{
		{"duckdb", "{{ datediff('a', 'b') }}", "date_diff('day', a, b)"},
		{"postgres", "{{ datediff('a', 'b') }}", "datediff(a, b)"},
		{"duckdb", "{{ adapter.dispatch('cast')('x') }}", "cast(x)"},
		{"duckdb", "{{ adapter.dispatch('cast', macro_namespace='dbt')('y') }}", "cast(y)"},
	}
	for _, tc := range tests {
		env := NewEnv(tc.adapter)
		require.NoError(t, env.AddMacros("m.sql", macros))
		out, err := env.Render("model.sql", tc.src, nil)
		require.NoError(t, err, tc.src)
		assert.Equal(t, tc.want, out.Text, tc.src)
	}

	env := NewEnv("duckdb")
	_, err := env.Render("model.sql", "\n {{ adapter.dispatch('nope')() }}", nil)
	assert.EqualError(t, err,
		`model.sql:2:5: no implementation of macro "nope" for adapter "duckdb"`)
}

func TestCallMacro(t *testing.T) {
	env := newTestEnv(t)
	v, err := env.CallMacro("column_list")
	require.NoError(t, err)
	assert.Equal(t, []any{"id", "amount"}, v)

	v, err = env.CallMacro("cols", []string{"a", "b"})
	require.NoError(t, err)
	assert.Equal(t, "\n  a,\n  b", v)

	_, err = env.CallMacro("cols", 1, 2, 3)
	assert.EqualError(t, err,
		`macros/helpers.sql:2:10: macro "cols" takes at most 2 argument(s), got 3`)
	_, err = env.CallMacro("cols", 1)
	assert.EqualError(t, err, "macros/helpers.sql:3:14: 'int' object is not iterable")
}

func TestSourceLine(t *testing.T) {
	env := newTestEnv(t)
	src := "-- model\nselect{{ cols(['a', 'b', 'c']) }}\n{%- if true %}\nfrom t\n{% endif %}"
	out, err := env.Render("model.sql", src, nil)
	require.NoError(t, err)
	require.Equal(t, "-- model\nselect\n  a,\n  b,\n  c\nfrom t\n", out.Text)
	for outLine, want := range []int{0, 1, 2, 2, 2, 2, 4, 0} {
		assert.Equal(t, want, out.SourceLine(outLine), "output line %d", outLine)
	}
}

func TestSourceLineOfLoops(t *testing.T) {
	src := "select\n{%- for c in ['a', 'b'] %}\n" +
		"    {{ c }}{{ ',' if not loop.last }}\n{%- endfor %}\nfrom t"
	out, err := NewEnv("duckdb").Render("model.sql", src, nil)
	require.NoError(t, err)
	require.Equal(t, "select\n    a,\n    b\nfrom t", out.Text)
	for outLine, want := range []int{0, 1, 3, 3, 5, 0} {
		assert.Equal(t, want, out.SourceLine(outLine), "output line %d", outLine)
	}
}

var errBoom = errors.New("boom")

func TestFuncErrors(t *testing.T) {
	env := NewEnv("duckdb")
	env.Globals["ref"] = Func(func(args []any, kw *Dict) (any, error) {
		return nil, errBoom
	})
	require.NoError(t, env.AddMacros("m.sql", "{% macro m() %}x {{ ref('a') }}{% endmacro %}"))

	_, err := env.Render("model.sql", "select *\nfrom {{ ref('orders') }}", nil)
	require.Error(t, err)
	assert.Equal(t, "model.sql:2:9: boom", err.Error())
	assert.ErrorIs(t, err, errBoom)

	_, err = env.Render("model.sql", "{{ m() }}", nil)
	assert.Equal(t, `model.sql:1:4: in macro "m": m.sql:1:21: boom`, err.Error())
	assert.ErrorIs(t, err, errBoom)
}

func TestFuncArguments(t *testing.T) {
	env := NewEnv("duckdb")
	var gotArgs []any
	var gotKw *Dict
	env.Globals["config"] = func(args []any, kw *Dict) (any, error) {
		gotArgs, gotKw = args, kw
		return 41, nil
	}
	out, err := env.Render("model.sql", "{{ config('a', [1], materialized='view') + 1 }}", nil)
	require.NoError(t, err)
	assert.Equal(t, "42", out.Text)
	assert.Equal(t, []any{"a", []any{int64(1)}}, gotArgs)
	assert.Equal(t, []string{"materialized"}, gotKw.Keys())
	v, _ := gotKw.Get("materialized")
	assert.Equal(t, "view", v)
}

func TestScopes(t *testing.T) {
	env := NewEnv("duckdb")
	env.Globals["g"] = "global"
	env.Globals["x"] = "global x"
	env.Globals["shadowed"] = "global wins"
	require.NoError(t, env.AddMacros("m.sql", `
{% macro show() %}{{ g }} {{ x }} {{ local is defined }}{% endmacro %}
{% macro shadowed() %}macro{% endmacro %}`))
	out, err := env.Render("model.sql", "{% set local = 1 %}{{ show() }} {{ shadowed }}",
		map[string]any{"x": "render x"})
	require.NoError(t, err)
	assert.Equal(t, "global render x False global wins", out.Text)

	_, err = env.Render("a.sql", "{% macro here() %}{% endmacro %}{{ here() }}", nil)
	require.NoError(t, err)
	_, err = env.Render("b.sql", "{{ here() }}", nil)
	assert.EqualError(t, err, `b.sql:1:4: undefined name "here"`,
		"local macros stay in their render")
}

func TestNamespaces(t *testing.T) {
	env := NewEnv("duckdb")
	env.Globals["this"] = &Namespace{Name: "this", Text: `"db"."main"."orders"`,
		Attrs: map[string]any{"identifier": "orders", "threads": 4}}
	env.Globals["target"] = &Namespace{Name: "target", Attrs: map[string]any{"name": "dev"}}
	out, err := env.Render("model.sql",
		"{{ this }} {{ this.identifier }} {{ this.threads + 1 }} {{ 'from ' ~ this }} "+
			"{{ target.name }}", nil)
	require.NoError(t, err)
	assert.Equal(t, `"db"."main"."orders" orders 5 from "db"."main"."orders" dev`, out.Text)

	_, err = env.Render("model.sql", "{{ target }}", nil)
	assert.EqualError(t, err, `model.sql:1:4: cannot render namespace "target"`)
	_, err = env.Render("model.sql", "{{ target.schema }}", nil)
	assert.EqualError(t, err, `model.sql:1:11: target has no attribute "schema"`)
}

func TestDict(t *testing.T) {
	var d Dict
	d.Set("b", 1)
	d.Set("a", []string{"x"})
	d.Set("b", 2)
	assert.Equal(t, []string{"b", "a"}, d.Keys())
	v, ok := d.Get("b")
	assert.True(t, ok)
	assert.Equal(t, int64(2), v)
	v, _ = d.Get("a")
	assert.Equal(t, []any{"x"}, v)
	_, ok = d.Get("c")
	assert.False(t, ok)
	assert.Equal(t, 2, d.Len())
}

func TestLimits(t *testing.T) {
	env := NewEnv("duckdb")
	vars := map[string]any{"xs": make([]any, 1000)}
	_, err := env.Render("model.sql",
		"{% for a in xs %}{% for b in xs %}{% for c in xs %}"+
			"{% endfor %}{% endfor %}{% endfor %}", vars)
	assert.ErrorContains(t, err, "exceeds the limit of 1000000 evaluation steps")

	_, err = env.Render("model.sql", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", nil)
	assert.ErrorContains(t, err, "macro calls nested more than 100 deep")
	assert.Less(t, strings.Count(err.Error(), "in macro"), 102)
}
