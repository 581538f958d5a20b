package contracts_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// jinjaTail ends every message about text that would open a Jinja tag.
const jinjaTail = `starts a Jinja tag, and dbt renders this text in the generated ` +
	`project: write it without "{{", "{%" or "{#"`

// moveTypes is movesYAML's values map, which the cases below replace.
const moveTypes = "values: {GR: receipt, ADJ: adjustment}"

// TestValidateFreeText: every free-text field that reaches a generated
// file is refused where it holds what would break that file, at its
// position, saying why.
func TestValidateFreeText(t *testing.T) {
	tests := []struct {
		name  string
		edits []string
		want  []string
	}{{
		name:  "a description that opens a Jinja expression",
		edits: appendTo("owner: jane.doe@example.com\n", "description: Moves {{ all }}\n"),
		want:  []string{`m.yml:5:14: description: "{{" ` + jinjaTail},
	}, {
		name: "a column description that opens a Jinja statement",
		edits: []string{`{name: qty, type: "decimal(18,3)", role: quantity}`,
			`{name: qty, type: "decimal(18,3)", role: quantity, description: "100% {%"}`},
		want: []string{`m.yml:10:69: columns[3].description: "{%" ` + jinjaTail},
	}, {
		name:  "a multi-line description that opens a Jinja comment on a later line",
		edits: appendTo("owner: jane.doe@example.com\n", "description: |\n  Moves.\n  {# x\n"),
		want:  []string{`m.yml:5:14: description: "{#" ` + jinjaTail},
	}, {
		name:  "an owner that opens a Jinja expression",
		edits: []string{"owner: jane.doe@example.com", `owner: "{{jane}}@example.com"`},
		want:  []string{`m.yml:4:8: owner: "{{" ` + jinjaTail},
	}, {
		name:  "an owner with a vertical tab, which no email pattern excludes",
		edits: []string{"owner: jane.doe@example.com", `owner: "jane.doe@exam\vple.com"`},
		want: []string{"m.yml:4:8: owner: it holds the control character U+000B, which " +
			"has no place in a line of generated SQL or YAML"},
	}, {
		name:  "an owner with a backslash, written into SQL literals",
		edits: []string{"owner: jane.doe@example.com", `owner: 'jane\doe@example.com'`},
		want: []string{`m.yml:4:8: owner: a backslash starts an escape in a Spark or ` +
			`BigQuery string literal, where the owner is written`},
	}, {
		name: "a notify address that opens a Jinja expression",
		edits: []string{"[producer, inventory-data-oncall]",
			`[producer, "{{x}}@example.com"]`},
		want: []string{`m.yml:26:22: on_violation.notify[1]: "{{" ` + jinjaTail},
	}, {
		name:  "a code that opens a Jinja expression",
		edits: []string{moveTypes, `values: {GR: receipt, "{{ADJ}}": adjustment}`},
		want:  []string{`m.yml:11:81: columns[4].values: key "{{ADJ}}": "{{" ` + jinjaTail},
	}, {
		name:  "a code with a backslash",
		edits: []string{moveTypes, `values: {GR: receipt, 'R\ET': adjustment}`},
		want: []string{`m.yml:11:81: columns[4].values: key "R\\ET": a backslash starts ` +
			`an escape in a Spark or BigQuery string literal, so no SQL literal means ` +
			`this code on every target`},
	}, {
		name:  "a code with a line break",
		edits: []string{moveTypes, `values: {GR: receipt, "A\nDJ": adjustment}`},
		want: []string{`m.yml:11:81: columns[4].values: key "A\nDJ": it holds the ` +
			`control character U+000A, which has no place in a line of generated SQL or YAML`},
	}, {
		name:  "a code with a tab, which is only white space",
		edits: []string{moveTypes, `values: {GR: receipt, "A\tDJ": adjustment}`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := parse(t, edit(t, movesYAML, tt.edits...))
			require.Equal(t, tt.want, got)
		})
	}
}

// TestValidateValuesKeys: YAML reads ~, null, an empty key and nothing all
// as no key, so a values map keeps one of them at most, silently; each is
// refused at its own position, and codes that are the same text are
// duplicates however they are quoted.
func TestValidateValuesKeys(t *testing.T) {
	tests := []struct {
		name, values string
		want         []string
	}{{
		name:   "a null key",
		values: `values: {GR: receipt, ~: adjustment}`,
		want: []string{"m.yml:11:81: columns[4].values: the key ~ is null (YAML reads ~, " +
			"null and nothing as no value), not a name or code; quote it if it is one"},
	}, {
		name:   "an empty key beside a null one",
		values: `values: {GR: receipt, "": adjustment, null: shipment}`,
		want: []string{
			"m.yml:11:81: columns[4].values: a key is empty",
			"m.yml:11:97: columns[4].values: the key null is null (YAML reads ~, null and " +
				"nothing as no value), not a name or code; quote it if it is one",
		},
	}, {
		name:   "a key that is nothing",
		values: "values: {GR: receipt, ? : adjustment}",
		want: []string{"m.yml:11:83: columns[4].values: the key (nothing) is null (YAML " +
			"reads ~, null and nothing as no value), not a name or code; quote it if it is one"},
	}, {
		name:   "null quoted is a code",
		values: `values: {GR: receipt, "null": adjustment}`,
	}, {
		name:   "the same code quoted and not",
		values: `values: {GR: receipt, "GR": adjustment}`,
		want: []string{`m.yml:11:81: columns[4].values: duplicate key "GR" ` +
			"(first at line 11)"},
	}, {
		name:   "the same code as a number and as text",
		values: `values: {1: receipt, "1": adjustment}`,
		want: []string{`m.yml:11:80: columns[4].values: duplicate key "1" ` +
			"(first at line 11)"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := parse(t, edit(t, movesYAML, moveTypes, tt.values))
			require.Equal(t, tt.want, got)
		})
	}
}

// TestLoadRefusesTextThatBreaksTheProject: a contract's file name goes
// into every header and meta, and the currency into dbt_project.yml's
// vars, which dbt renders too.
func TestLoadRefusesTextThatBreaksTheProject(t *testing.T) {
	files := validEstate()
	files["{% x %}.yml"] = edit(t, stockYAML, "source: wms_stock", "source: wms_stock_two")
	files["invgen.yml"] = "currency: \"{{ var('x') }}\"\n"

	_, got := load(t, files)

	require.Equal(t, []string{
		`est/invgen.yml:1:11: currency: "{{" ` + jinjaTail,
		`est/{% x %}.yml: the file's name: "{%" ` + jinjaTail,
	}, got)
}
