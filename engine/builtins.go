package engine

import (
	"fmt"
	"strings"

	"github.com/invgen/invgen/jinja"
)

// dbtNamespace is the dbt.* cross-database macros the generated project may
// call, rendered as dbt-duckdb 1.11 renders them (the dbt-core default where
// dbt-duckdb does not override it). The integration suite builds the same
// project with dbt-duckdb and compares the rows, which keeps these honest.
func dbtNamespace() *jinja.Namespace {
	constant := func(s string) jinja.Func {
		return func([]any, *jinja.Dict) (any, error) { return s, nil }
	}
	return &jinja.Namespace{Name: "dbt", Attrs: map[string]any{
		"type_string":       constant("TEXT"),
		"type_int":          constant("integer"),
		"type_bigint":       constant("bigint"),
		"type_boolean":      constant("boolean"),
		"type_timestamp":    constant("timestamp"),
		"type_numeric":      constant("numeric(28,6)"),
		"type_float":        constant("float"),
		"current_timestamp": constant("now()"),
		"dateadd":           jinja.Func(dateadd),
		"datediff":          jinja.Func(datediff),
		"date_trunc":        jinja.Func(dateTrunc),
		"cast":              jinja.Func(castFn),
		"safe_cast":         jinja.Func(castFn),
		"string_literal":    jinja.Func(stringLiteral),
		"escape_single_quotes": jinja.Func(func(args []any, _ *jinja.Dict) (any, error) {
			s, err := strArgs("escape_single_quotes", args, 1)
			if err != nil {
				return nil, err
			}
			return strings.ReplaceAll(s[0], "'", "''"), nil
		}),
		"concat": jinja.Func(concat),
	}}
}

func strArgs(name string, args []any, n int) ([]string, error) {
	if len(args) != n {
		return nil, fmt.Errorf("dbt.%s takes %d arguments, got %d", name, n, len(args))
	}
	out := make([]string, n)
	for i, a := range args {
		out[i] = render(a)
	}
	return out, nil
}

// render is how a value appears when substituted into SQL.
func render(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case *jinja.Namespace:
		return x.Text
	case nil:
		return "None"
	}
	return fmt.Sprint(v)
}

func dateadd(args []any, _ *jinja.Dict) (any, error) {
	a, err := strArgs("dateadd", args, 3)
	if err != nil {
		return nil, err
	}
	part, interval, from := strings.ToLower(a[0]), a[1], a[2]
	switch part {
	case "quarter":
		return fmt.Sprintf("(%s + (cast(%s as bigint) * 3) * interval 1 month)", from,
			interval), nil
	case "week":
		return fmt.Sprintf("(%s + (cast(%s as bigint) * 7) * interval 1 day)", from,
			interval), nil
	}
	return fmt.Sprintf("(%s + cast(%s as bigint) * interval 1 %s)", from, interval, part), nil
}

func datediff(args []any, _ *jinja.Dict) (any, error) {
	a, err := strArgs("datediff", args, 3)
	if err != nil {
		return nil, err
	}
	if a[2] == "week" {
		return nil, fmt.Errorf("dbt.datediff by week is not supported by invgen's engine")
	}
	return fmt.Sprintf("(date_diff('%s', %s::timestamp, %s::timestamp ))", a[2], a[0], a[1]),
		nil
}

func dateTrunc(args []any, _ *jinja.Dict) (any, error) {
	a, err := strArgs("date_trunc", args, 2)
	if err != nil {
		return nil, err
	}
	return fmt.Sprintf("date_trunc('%s', %s)", a[0], a[1]), nil
}

func castFn(args []any, _ *jinja.Dict) (any, error) {
	a, err := strArgs("cast", args, 2)
	if err != nil {
		return nil, err
	}
	return fmt.Sprintf("cast(%s as %s)", a[0], a[1]), nil
}

func stringLiteral(args []any, _ *jinja.Dict) (any, error) {
	a, err := strArgs("string_literal", args, 1)
	if err != nil {
		return nil, err
	}
	return "'" + a[0] + "'", nil
}

func concat(args []any, _ *jinja.Dict) (any, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("dbt.concat takes a list of fields")
	}
	fields, ok := args[0].([]any)
	if !ok {
		return nil, fmt.Errorf("dbt.concat takes a list of fields")
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = render(f)
	}
	return strings.Join(parts, " || "), nil
}
