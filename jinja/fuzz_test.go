package jinja

import (
	"errors"
	"strings"
	"testing"
)

const fuzzMacros = `{% macro default__q(x) %}"{{ x }}"{% endmacro %}
{% macro q(x) %}{{ return(adapter.dispatch('q')(x)) }}{% endmacro %}
{% macro lines(n) %}{% for i in range_of(n) %}
line {{ i }}{% endfor %}{% endmacro %}`

// FuzzRender checks that any template renders or fails with a positioned
// *Error, never panics, and maps every output line to a template line.
func FuzzRender(f *testing.F) {
	for _, tc := range renderCases() {
		f.Add(tc.src)
	}
	for _, s := range []string{
		macroFile, fuzzMacros, "{{ q('a') }}{{ lines(3) }}", "{{ ref('x').name ~ this }}",
		"{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{{ fail() }}",
		"{{ {'a': [1, (2, 3)]} | list | sort | join }}", "{{ '\\u00e9' ~ 1.5e300 * 1e300 }}",
		"{% for a, b in d.items() %}{{ loop.index }}{% endfor %}", "{{ x.y.z[0] is defined }}",
		"{%- if 1 -%}\n{%+ for x in [] +%}{% endfor -%}{#- c -#}\n{% endif %}",
		"{{ 'a' if b }}{% set a, b = 1, 2 %}{{ a ~ b }}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		env := fuzzEnv(t)
		if err := env.AddMacros("fuzz.sql", src); err != nil {
			requirePositioned(t, err)
		}
		out, err := env.Render("model.sql", src, fuzzVars())
		if err != nil {
			requirePositioned(t, err)
			return
		}
		requireLineMap(t, src, out)
	})
}

func fuzzEnv(t *testing.T) *Env {
	env := NewEnv("duckdb")
	env.Globals["ref"] = Func(func(args []any, kw *Dict) (any, error) {
		return &Namespace{Name: "relation", Text: `"ref"`, Attrs: map[string]any{"name": "x"}}, nil
	})
	env.Globals["fail"] = Func(func(args []any, kw *Dict) (any, error) {
		return nil, errors.New("failed")
	})
	env.Globals["range_of"] = Func(func(args []any, kw *Dict) (any, error) {
		n, _ := asInt(args[0])
		out := make([]any, max(0, min(n, 100)))
		for i := range out {
			out[i] = int64(i)
		}
		return out, nil
	})
	if err := env.AddMacros("macros.sql", fuzzMacros); err != nil {
		t.Fatal(err)
	}
	return env
}

func fuzzVars() map[string]any {
	return map[string]any{
		"x":    []any{1, "a", nil, 2.5},
		"d":    map[string]any{"k": "v", "n": 3},
		"this": &Namespace{Name: "this", Text: `"main"."model"`},
	}
}

func requirePositioned(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.File == "" || e.Line < 1 || e.Col < 1 {
		t.Fatalf("error without a position: %#v", err)
	}
}

func requireLineMap(t *testing.T, src string, out *Output) {
	t.Helper()
	srcLines := strings.Count(normalizeNewlines(src), "\n") + 1
	outLines := strings.Split(out.Text, "\n")
	if strings.HasSuffix(out.Text, "\n") || out.Text == "" {
		outLines = outLines[:len(outLines)-1]
	}
	for i := range outLines {
		if l := out.SourceLine(i + 1); l < 1 || l > srcLines {
			t.Fatalf("output line %d maps to line %d of %d", i+1, l, srcLines)
		}
	}
	if out.SourceLine(len(outLines)+1) != 0 {
		t.Fatalf("line after the output maps to a template line")
	}
}
