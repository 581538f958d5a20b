package contracts_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/invgen/invgen/contracts"
)

func schemaOf(t *testing.T, gen func() ([]byte, error)) map[string]any {
	t.Helper()
	data, err := gen()
	require.NoError(t, err)
	var s map[string]any
	require.NoError(t, json.Unmarshal(data, &s), "the schema is not valid JSON")
	require.Equal(t, "http://json-schema.org/draft-07/schema#", s["$schema"])
	return s
}

// at walks a schema through properties and items: "columns", "[]", "role".
func at(t *testing.T, s map[string]any, path ...string) map[string]any {
	t.Helper()
	for _, p := range path {
		var next any
		if p == "[]" {
			next = s["items"]
		} else {
			props, _ := s["properties"].(map[string]any)
			next = props[p]
		}
		require.NotNil(t, next, "no schema at %v", path)
		s = next.(map[string]any)
	}
	return s
}

func enumOf(t *testing.T, s map[string]any) []string {
	t.Helper()
	raw, ok := s["enum"].([]any)
	require.True(t, ok, "no enum")
	out := make([]string, len(raw))
	for i, v := range raw {
		out[i] = v.(string)
	}
	return out
}

func TestJSONSchema(t *testing.T) {
	s := schemaOf(t, contracts.JSONSchema)
	require.Equal(t, "object", s["type"])
	require.ElementsMatch(t, []any{"source", "system", "feed", "owner", "relation", "columns"},
		s["required"])
	closedObjects(t, s, "contract")

	require.Equal(t, []string{"movements", "positions", "availability", "refunds",
		"dispositions", "costs", "uom_conversions", "locations", "cycle_counts",
		"control_totals"}, enumOf(t, at(t, s, "feed")))
	roles := enumOf(t, at(t, s, "columns", "[]", "role"))
	require.Len(t, roles, 17)
	require.Subset(t, roles, []string{"sku", "location_id", "quantity", "movement_type",
		"event_time", "business_date", "loaded_at", "uom", "row_count"})
	require.Equal(t, []string{"eaches", "inners", "cases", "pallets"},
		enumOf(t, at(t, s, "semantics", "quantity_uom")))
	require.Equal(t, []string{"per-transaction", "per-day-summary"},
		enumOf(t, at(t, s, "semantics", "movement_grain")))
	require.Equal(t, []string{"local", "utc"},
		enumOf(t, at(t, s, "semantics", "event_time_basis")))
	require.Equal(t, "local", at(t, s, "semantics", "event_time_basis")["default"])

	ratio := at(t, s, "delivery", "completeness", "min_ratio")
	require.Equal(t, "number", ratio["type"])
	require.EqualValues(t, 0, ratio["minimum"])
	require.EqualValues(t, 1, ratio["maximum"])
	require.EqualValues(t, 1, at(t, s, "columns")["minItems"])
	require.Equal(t, "object", at(t, s, "columns", "[]", "values")["type"])
	require.Equal(t, true, at(t, s, "on_violation", "quarantine")["default"])
}

func TestProjectJSONSchema(t *testing.T) {
	s := schemaOf(t, contracts.ProjectJSONSchema)
	closedObjects(t, s, "project")
	require.Equal(t, contracts.Targets, enumOf(t, at(t, s, "targets", "[]")))
	require.Equal(t, "integer", at(t, s, "grace", "returns_days")["type"])
	require.EqualValues(t, 14, at(t, s, "grace", "returns_days")["default"])
	require.Nil(t, at(t, s, "profile")["default"], "a prose default stays out")
	tol := s["properties"].(map[string]any)["tolerances"].(map[string]any)
	closedObjects(t, tol["additionalProperties"].(map[string]any), "tolerance")
}

// closedObjects asserts that every object with properties refuses others,
// as the parser does.
func closedObjects(t *testing.T, s map[string]any, path string) {
	t.Helper()
	if props, ok := s["properties"].(map[string]any); ok {
		require.Equal(t, false, s["additionalProperties"], path)
		for k, v := range props {
			closedObjects(t, v.(map[string]any), path+"."+k)
		}
	}
	if items, ok := s["items"].(map[string]any); ok {
		closedObjects(t, items, path+"[]")
	}
}

// TestSchemaAcceptsExamples validates the retail estate structurally
// against the schemas editors will use, and proves the check can fail.
func TestSchemaAcceptsExamples(t *testing.T) {
	contract := schemaOf(t, contracts.JSONSchema)
	project := schemaOf(t, contracts.ProjectJSONSchema)

	files, err := filepath.Glob("../examples/retail/*.yml")
	require.NoError(t, err)
	require.Len(t, files, 14)
	for _, f := range files {
		s := contract
		if filepath.Base(f) == contracts.ProjectFile {
			s = project
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		require.Empty(t, conformYAML(t, s, string(data)), f)
	}

	require.Empty(t, conformYAML(t, contract, movesYAML))
	for _, bad := range [][]string{
		{"on_violation:", "on_violaton:"},
		{"feed: movements", "feed: movement"},
		{"quarantine: true", "quarantine: 1"},
		{"min_ratio: 0.999", "min_ratio: 2"},
		{"source: wms_moves", "source: Wms"},
		{"notify: [producer, inventory-data-oncall]", "notify: []"},
		{"source: wms_moves\n", ""},
	} {
		require.NotEmpty(t, conformYAML(t, contract, edit(t, movesYAML, bad...)), bad[1])
	}
}

func conformYAML(t *testing.T, s map[string]any, src string) []string {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal([]byte(src), &v))
	return conform(s, v, "")
}

// conform is a small JSON Schema validator: the keywords the invgen
// schemas use, no more, each applying as Draft 7 says (pattern to strings
// whatever the type, properties to objects, and so on). The repository
// takes no JSON Schema library; patterns run on Go's regexp, which the
// schema's patterns are written to read alike in.
func conform(s map[string]any, v any, path string) []string {
	if t, ok := s["type"].(string); ok && !typeFits(t, v) {
		return []string{fmt.Sprintf("%s: not of type %s", path, t)}
	}
	var errs []string
	switch v := v.(type) {
	case map[string]any:
		errs = append(errs, conformObject(s, v, path)...)
	case []any:
		errs = append(errs, conformArray(s, v, path)...)
	case string:
		errs = append(errs, conformString(s, v, path)...)
	}
	errs = append(errs, conformValue(s, v, path)...)
	return append(errs, conformLogic(s, v, path)...)
}

func typeFits(t string, v any) bool {
	switch v.(type) {
	case map[string]any:
		return t == "object"
	case []any:
		return t == "array"
	case string:
		return t == "string"
	case int:
		return t == "integer" || t == "number"
	case float64:
		return t == "number"
	case bool:
		return t == "boolean"
	}
	return false
}

func conformArray(s map[string]any, l []any, path string) []string {
	var errs []string
	if n, ok := s["minItems"].(float64); ok && float64(len(l)) < n {
		errs = append(errs, fmt.Sprintf("%s: fewer than %v items", path, n))
	}
	if items, ok := s["items"].(map[string]any); ok {
		for i, item := range l {
			errs = append(errs, conform(items, item, fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return errs
}

func conformString(s map[string]any, str, path string) []string {
	var errs []string
	if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
		errs = append(errs, fmt.Sprintf("%s: %q does not match %s", path, str, p))
	}
	if n, ok := s["minLength"].(float64); ok && float64(len([]rune(str))) < n {
		errs = append(errs, fmt.Sprintf("%s: %q is shorter than %v", path, str, n))
	}
	if n, ok := s["maxLength"].(float64); ok && float64(len([]rune(str))) > n {
		errs = append(errs, fmt.Sprintf("%s: %q is longer than %v", path, str, n))
	}
	return errs
}

// conformLogic applies not, allOf and if/then.
func conformLogic(s map[string]any, v any, path string) []string {
	var errs []string
	if not, ok := s["not"].(map[string]any); ok && len(conform(not, v, path)) == 0 {
		errs = append(errs, fmt.Sprintf("%s: %v matches what is refused", path, v))
	}
	all, _ := s["allOf"].([]any)
	for _, sub := range all {
		errs = append(errs, conform(sub.(map[string]any), v, path)...)
	}
	if cond, ok := s["if"].(map[string]any); ok && len(conform(cond, v, path)) == 0 {
		if then, ok := s["then"].(map[string]any); ok {
			errs = append(errs, conform(then, v, path)...)
		}
	}
	return errs
}

func conformObject(s, m map[string]any, path string) []string {
	var errs []string
	props, _ := s["properties"].(map[string]any)
	req, _ := s["required"].([]any)
	for _, r := range req {
		if _, ok := m[r.(string)]; !ok {
			errs = append(errs, fmt.Sprintf("%s: missing %s", path, r))
		}
	}
	if n, ok := s["maxProperties"].(float64); ok && float64(len(m)) > n {
		errs = append(errs, fmt.Sprintf("%s: more than %v properties", path, n))
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if names, ok := s["propertyNames"].(map[string]any); ok {
			errs = append(errs, conform(names, k, path+" key "+k)...)
		}
		sub, known := props[k].(map[string]any)
		if !known {
			sub, known = s["additionalProperties"].(map[string]any)
		}
		if !known {
			if s["additionalProperties"] == false {
				errs = append(errs, fmt.Sprintf("%s: %s is not allowed", path, k))
			}
			continue
		}
		errs = append(errs, conform(sub, m[k], path+"."+k)...)
	}
	return errs
}

func conformValue(s map[string]any, v any, path string) []string {
	var errs []string
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || e == v
		}
		if !found {
			errs = append(errs, fmt.Sprintf("%s: %v is not in the enum", path, v))
		}
	}
	if !isNumber(v) {
		return errs
	}
	f := toFloat(v)
	if lo, ok := s["minimum"].(float64); ok && f < lo {
		errs = append(errs, fmt.Sprintf("%s: %v < %v", path, f, lo))
	}
	if hi, ok := s["maximum"].(float64); ok && f > hi {
		errs = append(errs, fmt.Sprintf("%s: %v > %v", path, f, hi))
	}
	if hi, ok := s["exclusiveMaximum"].(float64); ok && f >= hi {
		errs = append(errs, fmt.Sprintf("%s: %v >= %v", path, f, hi))
	}
	return errs
}

func isNumber(v any) bool {
	switch v.(type) {
	case int, float64:
		return true
	}
	return false
}

func toFloat(v any) float64 {
	if i, ok := v.(int); ok {
		return float64(i)
	}
	return v.(float64)
}

// TestSchemaPatternsAreECMAScript checks every pattern of both schemas
// compiles with Go's regexp and uses nothing ECMAScript reads differently
// or lacks: editors run them as ECMAScript, the tests run them with Go.
func TestSchemaPatternsAreECMAScript(t *testing.T) {
	for _, gen := range []func() ([]byte, error){contracts.JSONSchema,
		contracts.ProjectJSONSchema} {
		patterns := patternsIn(schemaOf(t, gen))
		require.NotEmpty(t, patterns)
		for _, p := range patterns {
			_, err := regexp.Compile(p)
			require.NoError(t, err, p)
			for _, bad := range []string{`(?i`, `(?<`, `(?=`, `(?!`, `(?P`, `\z`, `\A`,
				`\Q`, `\s`, `\S`, `\d`, `\w`, `\b`, `[[:`} {
				require.NotContains(t, p, bad, "%s reads differently in ECMAScript", p)
			}
		}
	}
}

func patternsIn(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		if p, ok := v["pattern"].(string); ok {
			out = append(out, p)
		}
		for _, sub := range v {
			out = append(out, patternsIn(sub)...)
		}
	case []any:
		for _, sub := range v {
			out = append(out, patternsIn(sub)...)
		}
	}
	return out
}
