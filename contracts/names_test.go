package contracts_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

// TestValidateNameLengths: PostgreSQL keeps 63 characters of a name, so a
// longer schema, table or column, or a source whose quarantine test would
// be longer, is refused with the limit; one at the limit passes.
func TestValidateNameLengths(t *testing.T) {
	long := strings.Repeat("t", 64)
	tests := []struct {
		name  string
		edits []string
		want  []string
	}{{
		name:  "a source whose derived names all fit",
		edits: []string{"source: wms_moves", "source: " + strings.Repeat("s", 43)},
	}, {
		name:  "a source one character longer",
		edits: []string{"source: wms_moves", "source: " + strings.Repeat("s", 44)},
		want: []string{fmt.Sprintf("m.yml:1:9: source: %q is 44 characters, so "+
			"quarantine_%s_is_empty, a name invgen derives from it, is 64, over the 63 a SQL "+
			"name may have (PostgreSQL cuts longer names short): use at most 43 characters",
			strings.Repeat("s", 44), strings.Repeat("s", 44))},
	}, {
		name:  "a table at the limit",
		edits: []string{"table: moves", "table: " + long[:63]},
	}, {
		name:  "a table over it",
		edits: []string{"table: moves", "table: " + long},
		want: []string{fmt.Sprintf("m.yml:5:47: relation.table: %q is 64 characters, over "+
			"the 63 a SQL name may have (PostgreSQL cuts longer names short)", long)},
	}, {
		name:  "a schema over it",
		edits: []string{"schema: wms,", "schema: " + long + ","},
		want: []string{fmt.Sprintf("m.yml:5:35: relation.schema: %q is 64 characters, "+
			"over the 63 a SQL name may have (PostgreSQL cuts longer names short)", long)},
	}, {
		name:  "a column over it",
		edits: addColumn("{name: " + strings.ToUpper(long) + ", type: varchar}"),
		want: []string{fmt.Sprintf("m.yml:13:12: columns[6].name: %q is 64 characters, "+
			"over the 63 a SQL name may have (PostgreSQL cuts longer names short)",
			strings.ToUpper(long))},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := parse(t, edit(t, movesYAML, tt.edits...))
			require.Equal(t, tt.want, got)
		})
	}
}

// TestSchemaAgreesWithParserOnNameLengths: editors flag the same lengths.
func TestSchemaAgreesWithParserOnNameLengths(t *testing.T) {
	for _, n := range []int{43, 44, 63, 64} {
		name := strings.Repeat("n", n)
		agree(t, fmt.Sprintf("a source of %d", n),
			edit(t, movesYAML, "source: wms_moves", "source: "+name))
		agree(t, fmt.Sprintf("a table of %d", n),
			edit(t, movesYAML, "table: moves", "table: "+name))
		agree(t, fmt.Sprintf("a column of %d", n),
			edit(t, movesYAML, noteColumn, noteColumn+"  - {name: "+name+", type: int}\n"))
	}
}

// TestValidateRefusesEveryDerivedName: a raw column without a role may
// take no name a staging model derives, in any feed: the model would
// select two columns of that name. each_per_uom was missed once.
func TestValidateRefusesEveryDerivedName(t *testing.T) {
	for _, d := range contracts.DerivedColumns() {
		t.Run(d.Name, func(t *testing.T) {
			_, got := parse(t, edit(t, movesYAML,
				addColumn("{name: "+strings.ToUpper(d.Name)+", type: varchar}")...))
			require.Equal(t, []string{fmt.Sprintf("m.yml:13:12: columns[6].name: column "+
				"%q has no role but its name is one the staging model derives; give it "+
				"that role or rename it", strings.ToUpper(d.Name))}, got)
		})
	}
}
