package jinja

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRenderErrors(t *testing.T) {
	vars := map[string]any{"n": 1, "s": "3", "d": map[string]any{}}
	tests := []struct {
		name string
		src  string
		want string
	}{
		// Strict undefined names, attributes and items.
		{"undefined name", "{{ x }}", `1:4: undefined name "x"`},
		{"undefined name on a later line", "select\n  {{ foo.bar }}", `2:6: undefined name "foo"`},
		{"undefined in a condition", "{% if a %}{% endif %}", `1:7: undefined name "a"`},
		{"undefined in a loop", "{% for a in b %}{% endfor %}", `1:13: undefined name "b"`},
		{"undefined set in a loop", "{% for i in [1] %}{% set v = i %}{% endfor %}{{ v }}",
			`1:49: undefined name "v"`},
		{"loop reads a variable the template assigns later",
			"{% for i in [1] %}{{ n }}{% endfor %}{% set n = 5 %}", `1:22: undefined name "n"`},
		{"macro reads a variable its loop assigns later",
			"{% for i in [1] %}{% macro m() %}{{ n }}{% endmacro %}{{ m() }}" +
				"{% set n = 1 %}{% endfor %}",
			`1:58: in macro "m": model.sql:1:37: undefined name "n"`},
		{"missing dict key", "{{ d.k }}", `1:6: dict has no key or attribute "k"`},
		{"missing dict item", "{{ d['k'] }}", `1:5: dict has no key 'k'`},
		{"index out of range", "{{ [1][3] }}", `1:7: list index 3 out of range`},
		{"no such string method", "{{ 'a'.title() }}", `1:8: str has no attribute "title"`},
		{"default does not hide an undefined object", "{{ x.y | default(1) }}",
			`1:4: undefined name "x"`},
		// Type and arithmetic errors.
		{"str minus int", "{{ 'a' - 1 }}",
			`1:8: unsupported operand type(s) for -: 'str' and 'int'`},
		{"int plus str", "{{ 1 + 2 ~ 3 }}",
			`1:6: unsupported operand type(s) for +: 'int' and 'str'`},
		{"division by zero", "{{ 1 / 0 }}", "1:6: division by zero"},
		{"floor division by zero", "{{ 1 // 0 }}", "1:6: division by zero"},
		{"modulo by zero", "{{ 1.5 % 0 }}", "1:8: division by zero"},
		{"overflow", "{{ 9223372036854775807 + 1 }}",
			"1:24: integer overflow (integers are limited to 64 bits)"},
		{"not callable", "{{ n() }}", "1:4: int is not callable"},
		{"bad unary", "{{ -s | int }}", "1:4: bad operand type for unary -: 'str'"},
		{"unordered types", "{{ 1 < 'a' }}",
			`1:6: '<' not supported between instances of 'int' and 'str'`},
		{"in on an int", "{{ 'x' in 1 }}", "1:8: argument of type 'int' is not iterable"},
		{"loop over an int", "{% for x in 1 %}{% endfor %}", "1:13: 'int' object is not iterable"},
		{"dict key not a string", "{{ {1: 2} }}", "1:5: dict keys must be strings, not int"},
		{"unpack too few", "{% set a, b = [1] %}",
			"1:4: not enough values to unpack (expected 2, got 1)"},
		{"unpack too many", "{% for a, b in [[1, 2, 3]] %}{% endfor %}",
			"1:4: too many values to unpack (expected 2)"},
		{"string formatting", "{{ 'a%s' % 1 }}",
			"1:10: string formatting with % is not supported"},
		{"huge string", "{{ 'a' * 100000000 }}", "1:8: value larger than the 4 MiB limit"},
		{"use of an inline if without else", "{{ ('a' if false) + 1 }}",
			"1:19: unsupported operand type(s) for +: 'Undefined' and 'int'"},
		{"render a function", "{{ 'a'.upper }}", "1:4: cannot render a function"},
		// Filters and methods.
		{"filter on a non-iterable", "{{ none | join }}",
			"1:11: join filter: 'NoneType' object is not iterable"},
		{"sort of mixed types", "{{ [1, 'a'] | sort }}",
			`1:15: sort filter: '<' not supported between instances of 'str' and 'int'`},
		{"filter argument count", "{{ 'a' | upper(1) }}",
			"1:10: upper filter: upper() takes at most 0 argument(s) (1 given)"},
		{"filter keyword", "{{ [1] | join(sep=',') }}",
			`1:10: join filter: join() got an unexpected keyword argument "sep"`},
		{"first of empty", "{{ [] | first }}",
			"1:9: first filter: no first item: the sequence is empty"},
		{"length of an int", "{{ 1 | length }}",
			"1:8: length filter: object of type 'int' has no len()"},
		{"empty separator", "{{ 'ab'.split('') }}", "1:4: empty separator"},
		{"unsupported dict method", "{{ d.update() }}",
			`1:4: dict method "update" is not supported`},
		// Macros.
		{"too many arguments", "{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}",
			`1:34: macro "m" takes at most 1 argument(s), got 2`},
		{"unknown keyword", "{% macro m(a) %}{% endmacro %}{{ m(b=1) }}",
			`1:34: macro "m" has no parameter "b"`},
		{"argument twice", "{% macro m(a) %}{% endmacro %}{{ m(1, a=2) }}",
			`1:34: macro "m" got two values for parameter "a"`},
		{"error inside a macro", "{% macro m() %}\n  {{ y }}\n{% endmacro %}\n{{ m() }}",
			`4:4: in macro "m": model.sql:2:6: undefined name "y"`},
		{"return outside a macro", "{{ return(1) }}", "1:4: return() outside a macro"},
		{"return arity", "{% macro m() %}{{ return(1, 2) }}{% endmacro %}{{ m() }}",
			`1:51: in macro "m": model.sql:1:19: return() takes exactly one positional argument`},
		{"local macros are local",
			"{% if false %}{% macro m() %}{% endmacro %}{% endif %}{{ m() }}",
			`1:58: undefined name "m"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewEnv("duckdb").Render("model.sql", tc.src, vars)
			require.Error(t, err)
			assert.Equal(t, "model.sql:"+tc.want, err.Error())
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, "model.sql", e.File)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"unclosed if", "{% if x %}\n", `1:4: unclosed "if": expected "endif"`},
		{"unclosed else", "a\n{% if x %}{% else %}", `2:4: unclosed "if": expected "endif"`},
		{"unclosed for", "{% for x in y %}", `1:4: unclosed "for": expected "endfor"`},
		{"unclosed macro", "{% macro m() %}", `1:4: unclosed "macro": expected "endmacro"`},
		{"unexpected endif", "x\n  {% endif %}", `2:6: unexpected "endif"`},
		{"mismatched end", "{% if x %}{% endfor %}", `1:14: unexpected "endfor"`},
		{"unexpected else", "{% else %}", `1:4: unexpected "else"`},
		{"unclosed variable tag", "ok\n{{ x ", `2:1: unclosed "{{" tag`},
		{"unclosed block tag", "{% if x", `1:1: unclosed "{%" tag`},
		{"unclosed comment", "{# x", "1:1: missing end of comment tag"},
		{"empty expression", "{{ }}", "1:4: expected an expression, got end of print statement"},
		{"missing operand", "{{ 1 + }}", "1:8: unexpected end of print statement"},
		{"missing statement name", "{% %}",
			"1:4: expected a statement name, got end of statement block"},
		{"trailing tokens", "{{ x y }}", `1:6: expected end of print statement, got "y"`},
		{"bracket mismatch", "{{ (1 }}", `1:7: unexpected "}", expected ")"`},
		{"unbalanced close", "{{ ')' ) }}", `1:8: unexpected ")"`},
		{"unterminated string", "{{ 'abc }}", "1:4: unterminated string"},
		{"leading zero", "{{ 012 }}", `1:4: invalid number literal "012"`},
		{"bad underscore", "{{ 1__0 }}", `1:4: invalid number literal "1__0"`},
		{"integer too large", "{{ 99999999999999999999 }}",
			"1:4: integer literal 99999999999999999999 is out of range"},
		{"bad character", "{{ 1 @ 2 }}", "1:6: unexpected character '@'"},
		{"truncated escape", `{{ '\x4' }}`, `1:4: truncated \x escape`},
		{"unknown filter", "{{ x | nope }}", `1:8: unknown filter "nope"`},
		{"unknown filter in a dead branch", "{% if false %}{{ x | nope }}{% endif %}",
			`1:22: unknown filter "nope"`},
		{"unknown test", "{{ x is odd }}", `1:9: unknown test "odd"`},
		{"test argument", "{{ x is none if y else z }}", `1:14: test "none" takes no argument`},
		{"power", "{{ 2 ** 3 }}", "1:6: the ** operator is not supported"},
		{"slice", "{{ x[1:2] }}", "1:7: slices are not supported"},
		{"star args", "{{ f(*a) }}", "1:6: *args and **kwargs are not supported"},
		{"positional after keyword", "{{ f(a=1, 2) }}",
			"1:11: positional argument follows keyword argument"},
		{"block set", "{% set x %}a{% endset %}",
			"1:4: block set (set ... endset) is not supported"},
		{"loop filter", "{% for x in y if x %}{% endfor %}",
			"1:15: loop filters (for ... if) are not supported"},
		{"for else", "{% for x in y %}{% else %}{% endfor %}",
			"1:20: else in a for loop is not supported"},
		{"assign to a constant", "{% set true = 1 %}", `1:8: cannot assign to "true"`},
		{"assign to a number", "{% for 1 in x %}{% endfor %}",
			`1:8: expected a name to assign to, got "1"`},
		{"assign to loop", "{% for loop in x %}{% endfor %}",
			"1:4: cannot assign to the special loop variable"},
		{"default before non-default", "{% macro m(a=1, b) %}{% endmacro %}",
			`1:17: parameter "b" without a default follows one with a default`},
		{"duplicate parameter", "{% macro m(a, a) %}{% endmacro %}",
			`1:15: invalid or duplicate parameter "a"`},
		{"too deeply nested",
			"{{ " + strings.Repeat("(", 600) + "1" + strings.Repeat(")", 600) + " }}",
			"1:503: nested more than 500 levels deep"},
		{"chain too long", "{{ 1" + strings.Repeat(" ~ 1", 600) + " }}",
			"1:2000: nested more than 500 levels deep"},
		{"filter chain too long", "{{ 1" + strings.Repeat("|string", 600) + " }}",
			"1:3491: nested more than 500 levels deep"},
	}
	for _, stmt := range []string{"call", "filter", "raw", "include", "extends", "block",
		"import", "from", "do", "with", "autoescape", "break", "continue", "print"} {
		tests = append(tests, struct{ name, src, want string }{"unsupported " + stmt,
			"x\n{% " + stmt + " y %}", `2:4: unsupported statement "` + stmt + `"`})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewEnv("duckdb").Render("model.sql", tc.src, nil)
			require.Error(t, err)
			assert.Equal(t, "model.sql:"+tc.want, err.Error())
		})
	}
}

// TestRenderErrorsKeepTheirCause makes sure a positioned error still wraps
// the error it reports, so callers can tell a size limit from a typo.
func TestRenderErrorsKeepTheirCause(t *testing.T) {
	for _, src := range []string{
		"{{ 'a' * 100000000 }}",                                       // an operator
		"{{ ('a' * 3000000) | replace('a', 'aa') }}",                  // a filter
		"{% set s = 'a' * 100000000 %}",                               // a statement
		"{% macro m() %}{{ 'a' * 100000000 }}{% endmacro %}{{ m() }}", // a macro
	} {
		_, err := NewEnv("duckdb").Render("model.sql", src, nil)
		require.Error(t, err, src)
		assert.ErrorIs(t, err, errTooLarge, src)
	}
}
