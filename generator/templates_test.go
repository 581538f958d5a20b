package generator

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/templates"
)

// viewTypes pairs each template with the Go type the generator renders it
// with. pongo2 renders an unknown field as an empty string without a word,
// so TestTemplatesNameOnlyFieldsTheirViewsHave checks every name statically.
var viewTypes = map[string]any{
	"dbt_project.yml":    projectView{},
	"sources.yml":        sourcesFileView{},
	"staging_models.yml": modelsFileView{},
	"model.sql":          modelView{},
	"stg.sql":            stgModelView{},
	"quarantine.sql":     quarantineModelView{},
	"time_macros.sql":    targetsView{},
	"type_macros.sql":    targetsView{},
	"generic_tests.sql":  targetsView{},
	"check_macros.sql":   checksView{},
	"seeds.yml":          seedsFileView{},

	"reconciliation_models.yml": docModelsView{},
}

var (
	verbatimRe = regexp.MustCompile(`(?s)\{% verbatim %\}.*?\{% endverbatim %\}`)
	tagRe      = regexp.MustCompile(`\{\{(.*?)\}\}|\{%(.*?)%\}`)
	forRe      = regexp.MustCompile(`^\s*for (\w+) in ([\w.]+)\s*$`)
	pathRe     = regexp.MustCompile(`\b[A-Za-z_]\w*(?:\.\w+)+|\b[a-z_]\w*\b`)
)

func TestTemplatesNameOnlyFieldsTheirViewsHave(t *testing.T) {
	set, err := templates.Load()
	require.NoError(t, err)
	require.ElementsMatch(t, set.Names(), keys(viewTypes),
		"every template needs an entry in viewTypes")

	for name, view := range viewTypes {
		src, err := templates.Source(name)
		require.NoError(t, err)
		scope := map[string]reflect.Type{"m": reflect.TypeOf(view)}
		for _, problem := range checkNames(verbatimRe.ReplaceAllString(src, ""), scope) {
			t.Errorf("%s: %s", name, problem)
		}
	}
}

// checkNames resolves every dotted name in the template's tags against the
// view type, binding loop variables to their element types.
func checkNames(src string, scope map[string]reflect.Type) []string {
	var problems []string
	for _, m := range tagRe.FindAllStringSubmatch(src, -1) {
		expr := m[1] + m[2]
		if f := forRe.FindStringSubmatch(expr); f != nil {
			typ, problem := resolve(f[2], scope)
			if problem != "" {
				problems = append(problems, problem)
				continue
			}
			scope[f[1]] = typ.Elem()
			continue
		}
		for _, path := range pathRe.FindAllString(expr, -1) {
			root := strings.Split(path, ".")[0]
			if _, bound := scope[root]; !bound {
				continue // a keyword, a tag name or forloop
			}
			if _, problem := resolve(path, scope); problem != "" {
				problems = append(problems, problem)
			}
		}
	}
	return problems
}

func resolve(path string, scope map[string]reflect.Type) (reflect.Type, string) {
	parts := strings.Split(path, ".")
	typ, ok := scope[parts[0]]
	if !ok {
		return nil, "unbound name " + parts[0]
	}
	for _, field := range parts[1:] {
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		if _, err := strconv.Atoi(field); err == nil && typ.Kind() == reflect.Slice {
			typ = typ.Elem() // an index, such as Select.0
			continue
		}
		if typ.Kind() != reflect.Struct {
			return nil, path + ": " + typ.String() + " has no fields"
		}
		f, ok := typ.FieldByName(field)
		if !ok {
			return nil, path + ": " + typ.String() + " has no field " + field
		}
		typ = f.Type
	}
	return typ, ""
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestCheckNamesCatchesATypo makes sure the static check can fail.
func TestCheckNamesCatchesATypo(t *testing.T) {
	scope := map[string]reflect.Type{"m": reflect.TypeOf(stgModelView{})}
	problems := checkNames("{% for line in m.Columns %}{{ line }}{% endfor %}"+
		"{{ m.BaseRf }}", scope)
	require.Equal(t, []string{"m.BaseRf: generator.stgModelView has no field BaseRf"},
		problems)
}
