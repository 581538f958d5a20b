package jinja

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// renderCase is a template whose expected output was checked against
// Jinja2 3.1 with its default settings.
type renderCase struct {
	name string
	src  string
	vars map[string]any
	want string
}

func renderCases() []renderCase {
	var all []renderCase
	for _, group := range [][]renderCase{
		whitespaceCases(), expressionCases(), statementCases(), macroCases(),
	} {
		all = append(all, group...)
	}
	return all
}

func TestRender(t *testing.T) {
	for _, tc := range renderCases() {
		t.Run(tc.name, func(t *testing.T) {
			out, err := NewEnv("duckdb").Render("model.sql", tc.src, tc.vars)
			require.NoError(t, err)
			assert.Equal(t, tc.want, out.Text)
		})
	}
}

func whitespaceCases() []renderCase {
	return []renderCase{
		{name: "plain text", src: "select 1", want: "select 1"},
		{name: "one trailing newline dropped", src: "a\n", want: "a"},
		{name: "only one trailing newline dropped", src: "a\n\n", want: "a\n"},
		{name: "newlines normalized", src: "a\r\nb\rc\r\n", want: "a\nb\nc"},
		{name: "minus strips newlines", src: "x  {{- 1 -}}  \n y", want: "x1y"},
		{name: "minus on if and endif",
			src: "  {%- if true -%}  \n x \n {%- endif -%} \n y", want: "xy"},
		{name: "blocks keep their newlines",
			src: "a\n{% if true %}\nb\n{% endif %}\nc", want: "a\n\nb\n\nc"},
		{name: "for loop with left strip",
			src: "select\n{%- for c in ['a', 'b'] %}\n" +
				"    {{ c }}{{ ',' if not loop.last }}\n{%- endfor %}\nfrom t\n",
			want: "select\n    a,\n    b\nfrom t"},
		{name: "mixed strip sides",
			src: "a {{- 1 -}} b {%- if 1 %} c {% endif -%} d\n\n", want: "a1b c d\n"},
		{name: "comments",
			src: "a {# c #} b|{#- c -#}  x  {#- c #} y", want: "a  b|x y"},
		{name: "plus modifiers change nothing",
			src: "{%+ if true +%} x {% endif %}", want: " x "},
		{name: "minus right after braces", src: "x {{-1}}", want: "x1"},
		{name: "closing braces inside a string", src: "{{ '}}' }}", want: "}}"},
		{name: "nested dict braces", src: "{{ {'a': {'b': 1}}}}", want: "{'a': {'b': 1}}"},
		{name: "lone braces are text", src: "{ x } {", want: "{ x } {"},
	}
}

// exprVars are the variables expressionCases may use.
func exprVars() map[string]any {
	return map[string]any{
		"x": 3, "s": "3", "xs": []any{1, 2}, "empty": map[string]any{},
		"d": map[string]any{"a": 1, "b": 2}, "f": float32(0.5), "names": []string{"a"},
		"m": map[string]string{"b": "2", "a": "1"},
	}
}

// expressionCases render one expression each, in a {{ }} tag.
func expressionCases() []renderCase {
	var cases []renderCase
	for _, p := range expressions() {
		cases = append(cases, renderCase{
			name: p[0], src: "{{ " + p[0] + " }}", vars: exprVars(), want: p[1],
		})
	}
	return cases
}

func expressions() [][2]string {
	var all [][2]string
	for _, group := range [][][2]string{
		literalExpressions(), operatorExpressions(), filterExpressions(),
		methodAndTestExpressions(),
	} {
		all = append(all, group...)
	}
	return all
}

func literalExpressions() [][2]string {
	return [][2]string{
		{`'a' "b"`, "ab"},
		{`'a\tb\n\\\'\"\x41\u00e9\101\d'`, "a\tb\n\\'\"AéA\\d"},
		{"1_000", "1000"},
		{"1.5e3", "1500.0"},
		{"1E3", "1000.0"},
		{"0.1 + 0.2", "0.30000000000000004"},
		{"1e16", "1e+16"},
		{"1e15", "1000000000000000.0"},
		{"0.00001", "1e-05"},
		{"-0.0", "-0.0"},
		{"00", "0"},
		{"true ~ False ~ none ~ None", "TrueFalseNoneNone"},
		{"[1, 'a', none, true, 2.5]", "[1, 'a', None, True, 2.5]"},
		{"{'k': 'v', 'n': [1]}", "{'k': 'v', 'n': [1]}"},
		{"[] ~ {}", "[]{}"},
		{`["it's", 'say "hi"', 'both \' "', 'back\\slash', 'nl\n', 'é', '\x00']`,
			`["it's", 'say "hi"', 'both \' "', 'back\\slash', 'nl\n', 'é', '\x00']`},
		{"{'b': 1, 'a': 2, 'b': 3}", "{'b': 3, 'a': 2}"},
		{"xs.0 ~ xs[-1] ~ 'abc'[1]", "12b"},
		{"d.a ~ d['b']", "12"},
		{"(1) ~ (() | length)", "10"},
		{"(x + 1) ~ ' ' ~ f ~ names ~ m", "4 0.5['a']{'a': '1', 'b': '2'}"},
	}
}

func operatorExpressions() [][2]string {
	return [][2]string{
		{"1 + 2 * 3", "7"},
		{"(1 + 2) * 3", "9"},
		{"[7 // 2, -7 // 2, 7 % -3, -7 % 3]", "[3, -4, -2, 2]"},
		{"[7 / 2, 4 / 2, 1 // 0.1, -7.5 % 2, 2 - 0.5]", "[3.5, 2.0, 9.0, 0.5, 1.5]"},
		{"'a' ~ 1 ~ none ~ 1.5 ~ true", "a1None1.5True"},
		{"2 * 3 ~ 4", "64"},
		{"['ab' * 2, [1] * 2, 2 * 'x', true + 1, 'a' + 'b', [1] + [2], 'a' * -1]",
			"['abab', [1, 1], 'xx', 2, 'ab', [1, 2], '']"},
		{"[-1, +1, - -2, -x]", "[-1, 1, 2, -3]"},
		{"- 2.5 | round", "-2.0"},
		{"[1 < 2 < 3, 3 > 2 > 2, 1 == 1.0, 1 == true, 'a' < 'b', 'a' == 1]",
			"[True, False, True, True, True, False]"},
		{"[[1, 2] < [1, 3], [1] < [1, 0], none == none, 1 != 2, 2 >= 2, 1 <= 0]",
			"[True, True, True, True, True, False]"},
		{"{'a': 1, 'b': 2} == {'b': 2, 'a': 1}", "True"},
		{"['x' in {'x': 1}, 1 in {'x': 1}, 'b' in 'abc', 2 in [1, 2], 3 not in [1, 2]]",
			"[True, False, True, True, True]"},
		{"[[] or 'e', 'a' and 'b', 0 and 1, not 1 == 2, not none, not 1 in [1]]",
			"['e', 'b', 0, True, True, False]"},
		{"[false and nothing, true or nothing]", "[False, True]"},
		{"'y' if x else 'n'", "y"},
		{"'a' if false", ""},
		{"1 if 0 else 2 if 0 else 3", "3"},
		{"'a' ~ none is none", "aTrue"},
	}
}

func filterExpressions() [][2]string {
	return [][2]string{
		{"[1, 2.5, none, true] | join(', ')", "1, 2.5, None, True"},
		{"['a', 'b'] | join ~ {'b': 1, 'a': 2} | join('-') ~ [1, 2] | join(0)", "abb-a102"},
		{"'ab' | join('.')", "a.b"},
		{"'ABC' | lower ~ 'abc' | upper ~ 3 | lower", "abcABC3"},
		{"['  x ' | trim, 'xxaxx' | trim('x'), 5 | trim]", "['x', 'a', '5']"},
		{"[[1, 2] | length, 'héllo' | length, {'a': 1} | length]", "[2, 5, 1]"},
		{"[missing | default('d'), none | default('d'), '' | default('d', true)]",
			"['d', None, 'd']"},
		{"[empty.k | default(5), 0 | default(7, boolean=true), s | default('no')]",
			"[5, 7, '3']"},
		{"missing | default", ""},
		{"['abc' | replace('b', 1), 'aaa' | replace('a', 'b', 2)]", "['a1c', 'bba']"},
		{"['3.7' | int, 'abc' | int, 3.9 | int, ' 42 ' | int, none | int]", "[3, 0, 3, 42, 0]"},
		{"['1_000' | int, 'x' | int(7), true | int, -3.9 | int, '-5' | int]",
			"[1000, 7, 1, -3, -5]"},
		{"['1.5' | float, 'x' | float, 3 | float, '1_0' | float, ' 2e3 ' | float]",
			"[1.5, 0.0, 3.0, 10.0, 2000.0]"},
		{"['nan' | float, '-inf' | float, 'x' | float(1)]", "[nan, -inf, 1]"},
		{"1 | string ~ none | string", "1None"},
		{"['ab' | list, {'b': 1, 'a': 2} | list]", "[['a', 'b'], ['b', 'a']]"},
		{"[[3, 1, 2] | sort, [3, 1, 2] | sort(reverse=true), ['b', 'A', 'c'] | sort]",
			"[[1, 2, 3], [3, 2, 1], ['A', 'b', 'c']]"},
		{"[['b', 'a', 'B'] | sort, ['b', 'a', 'B'] | sort(case_sensitive=true)]",
			"[['a', 'b', 'B'], ['B', 'a', 'b']]"},
		{"[{'b': 1, 'a': 2} | sort, [[2], [1, 5]] | sort]", "[['a', 'b'], [[1, 5], [2]]]"},
		{"[[3, 1, 2] | first, [3, 1, 2] | last, 'abc' | first, 'abc' | last]",
			"[3, 2, 'a', 'c']"},
		{"{'b': 1, 'a': 2} | last", "a"},
		{"[2.5 | round, 3 | round, 2.567 | round(2), 2.1 | round(method='ceil')]",
			"[2.0, 3, 2.57, 3.0]"},
		{"[2.675 | round(2), 0.125 | round(2), 3.5 | round(0, 'ceil'), -2.5 | round]",
			"[2.67, 0.12, 4.0, -2.0]"},
		{"[3 | round(1, 'ceil'), 1.23456 | round(2, 'floor')]", "[3.0, 1.23]"},
		{"' A,b ' | trim | lower | replace(',', ';')", "a;b"},
	}
}

func methodAndTestExpressions() [][2]string {
	return [][2]string{
		{"['a,b'.split(','), ' a  b '.split(), 'Ab'.upper(), 'Ab'.lower()]",
			"[['a', 'b'], ['a', 'b'], 'AB', 'ab']"},
		{"[' x '.strip(), 'xax'.strip('x'), 'aXa'.replace('a', 'b')]", "['x', 'a', 'bXb']"},
		{"['abc'.startswith('ab'), 'abc'.endswith('x'), 'abc'.endswith(('x', 'c'))]",
			"[True, False, True]"},
		{"[d.get('a'), d.get('z'), d.get('z', 2), d.keys() | list, d.values() | list]",
			"[1, None, 2, ['a', 'b'], [1, 2]]"},
		{"[none is none, 1 is not none, 'x' is string, 1 is string]",
			"[True, True, True, False]"},
		{"[1.5 is number, true is number, 'x' is number]", "[True, True, False]"},
		{"[x is defined, y is defined, y is not defined, empty.k is defined]",
			"[True, False, True, False]"},
		{"[d.keys is defined, [1, 2][5] is defined]", "[True, False]"},
	}
}

func statementCases() []renderCase {
	return []renderCase{
		{name: "if elif else",
			src: "{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two" +
				"{% else %}many{% endif %};{% endfor %}",
			want: "one;two;many;"},
		{name: "truthiness",
			src: "{% for v in [0, 1, '', 'a', [], [0], {}, none, 0.0] %}" +
				"{% if v %}T{% else %}F{% endif %}{% endfor %}",
			want: "FTFTFTFFF"},
		{name: "loop variables",
			src: "{% for k, v in {'b': 1, 'a': 2}.items() %}{{ k }}={{ v }};" +
				"{{ loop.index }}/{{ loop.length }}{{ loop.first }}{{ loop.last }}" +
				"{{ loop.index0 }} {% endfor %}",
			want: "b=1;1/2TrueFalse0 a=2;2/2FalseTrue1 "},
		{name: "loop over a string", src: "{% for x in 'ab' %}{{ x }}{% endfor %}", want: "ab"},
		{name: "nested loops shadow loop",
			src: "{% for a in [1, 2] %}{% for b in 'xy' %}{{ loop.index }}{{ b }}" +
				"{% endfor %}{{ loop.index }};{% endfor %}",
			want: "1x2y1;1x2y2;"},
		{name: "empty loop", src: "{% for x in [] %}x{% endfor %}done", want: "done"},
		{name: "loop body is its own scope",
			src: "{% set x = 0 %}{% for i in [1, 2] %}{{ x }}{% set x = i %}{{ x }}" +
				"{% endfor %}[{{ x }}]",
			want: "0102[0]"},
		{name: "if is not a scope",
			src: "{% set x = 0 %}{% if true %}{% set x = 5 %}{% endif %}{{ x }}", want: "5"},
		{name: "set unpacks",
			src:  "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set a, b = ['x', 'y'] %}{{ b }}{{ a }}",
			want: "12yx"},
		{name: "inline if without else is undefined",
			src: "{% set u = 'a' if false %}[{{ u }}]{{ u is defined }}{{ u | default('d') }}" +
				"{{ u ~ 'x' }}{{ [u] }}{{ u | length }}{{ u | join }}{{ u | list }}" +
				"{{ u is none }}{{ u == u }}{{ not u }}{% for x in u %}X{% endfor %}" +
				"{{ u is string }}",
			want: "[]Falsedx[Undefined]0[]FalseTrueTrueFalse"},
		{name: "set overrides a variable", src: "{% set x = 2 %}{{ x }}",
			vars: map[string]any{"x": 1}, want: "2"},
		{name: "a loop sees a variable first assigned in an if",
			src:  "{% for k in [1] %}[{{ s }}]{% endfor %}{% if true %}{% set s = 1 %}{% endif %}",
			vars: map[string]any{"s": "ab"}, want: "[ab]"},
		{name: "a loop sees a variable read before it is assigned",
			src:  "{% for i in [1] %}[{{ s }}]{% endfor %}{% set s = s ~ '!' %}{{ s }}",
			vars: map[string]any{"s": "a"}, want: "[a]a!"},
		{name: "a nested loop sees a variable its parent read first",
			src: "{{ t }}{% for i in [1] %}{% for j in [1] %}[{{ t }}]{% endfor %}" +
				"{% set t = 1 %}{% endfor %}",
			vars: map[string]any{"t": "ctx"}, want: "ctx[ctx]"},
	}
}

func macroCases() []renderCase {
	return []renderCase{
		{name: "defaults may use earlier parameters",
			src: "{% macro m(a, b='d', c=a ~ '!') %}{{ a }}{{ b }}{{ c }}{% endmacro %}" +
				"{{ m('x') }}|{{ m('x', 'y') }}|{{ m('x', c='z') }}",
			want: "xdx!|xyx!|xdz"},
		{name: "macro calls a later macro",
			src:  "{% macro a() %}{{ b() }}{% endmacro %}{% macro b() %}B{% endmacro %}{{ a() }}",
			want: "B"},
		{name: "macro reads the template scope at call time",
			src: "{% macro m() %}{{ x }}{% endmacro %}" +
				"{% set x = 1 %}{{ m() }}{% set x = 2 %}{{ m() }}",
			want: "12"},
		{name: "macro does not see the caller's loop",
			src: "{% macro m() %}{{ i is defined }}{% endmacro %}" +
				"{% for i in [1] %}{{ m() }}{% endfor %}",
			want: "False"},
		{name: "missing argument is undefined",
			src:  "{% macro m(a) %}{{ a is defined }}{% endmacro %}{{ m() }}{{ m(1) }}",
			want: "FalseTrue"},
		{name: "missing argument hides an outer name",
			src:  "{% macro m(x) %}{{ x is defined }}{% endmacro %}{{ m() }}",
			vars: map[string]any{"x": 1}, want: "False"},
		{name: "macro output keeps whitespace",
			src: "{% macro m() %}\n  a\n{% endmacro %}[{{ m() }}]", want: "[\n  a\n]"},
		{name: "macro result is a string",
			src: "{% macro m() %}v{% endmacro %}{% set x = m() ~ '!' %}{{ x }}", want: "v!"},
	}
}
