package contracts_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

// The schema states what it can of the parser's rules. These tests hold
// the two to the same answer on contracts that differ from a valid one in
// a single value, good and bad: an editor must flag exactly what invgen
// validate refuses, wherever the schema speaks.

// noteColumn is the line a sample column is added after in movesYAML: a
// column without a role, so that only its own name and type are judged.
const noteColumn = "  - {name: _loaded_at, type: timestamp, role: loaded_at}\n"

func TestSchemaAgreesWithParserOnColumnTypes(t *testing.T) {
	for _, typ := range []string{
		"varchar", "VARCHAR", " text ", "char(10)", "varchar(10,2)", "varchar ( 10 )",
		"string", "int", "int(11)", "smallint", "integer", "bigint", "decimal", "numeric",
		"decimal(18)", "decimal(18,3)", "DECIMAL( 38 , 38 )", "decimal(007,03)",
		"decimal(1,1)", "decimal(1,2)", "decimal(39,2)", "decimal(4,5)", "decimal(0)",
		"decimal(10,10)", "decimal(10,11)", "decimal(29,29)", "decimal(30,31)",
		"decimal(18, 99999999999999999999)", "decimal(18,3", "decimal(-1,2)",
		"double", "double precision", "Double Precision", "double  precision", "float",
		"real", "bool", "boolean", "date", "timestamp", "timestamp(6)",
		"timestamp with time zone", "timestamptz", "blob", "varchar\t", "\nint",
		"int\u00a0", "date()", "char(x)", "varchar(0)", "char(0)", "varchar(00)",
		"varchar(1)", "varchar(0010)", "varchar(9999999)", "varchar(10000000)",
		"varchar(16777215)", "varchar(16777216)", "varchar(16777217)", "varchar(16777300)",
		"varchar(99999999)", "varchar(99999999999)", "varchar(999999999999999999999)",
		"char(0,2)",
	} {
		src := edit(t, movesYAML, noteColumn,
			noteColumn+"  - {name: note, type: "+strconv.Quote(typ)+"}\n")
		agree(t, "type "+strconv.Quote(typ), src)
	}
}

func TestSchemaAgreesWithParserOnRoleTypes(t *testing.T) {
	for _, c := range [][]string{
		{`{name: qty, type: "decimal(18,3)"`, `{name: qty, type: varchar`},
		{`{name: qty, type: "decimal(18,3)"`, `{name: qty, type: " BIGINT "`},
		{`{name: qty, type: "decimal(18,3)"`, `{name: qty, type: "double precision"`},
		{`{name: movement_id, type: varchar`, `{name: movement_id, type: integer`},
		{`{name: movement_id, type: varchar`, `{name: movement_id, type: double`},
		{`{name: posted_at, type: timestamp`, `{name: posted_at, type: date`},
		{`{name: sku, type: varchar`, `{name: sku, type: "char(12)"`},
		{`{name: sku, type: varchar`, `{name: sku, type: int`},
	} {
		agree(t, c[1], edit(t, movesYAML, c...))
	}
}

func TestSchemaAgreesWithParserOnFreshness(t *testing.T) {
	for _, sla := range []string{
		"15m", "2h", "1d", "1h30m", "2d0h5m", "0d1m", "100000d", "000100000m",
		"00000000000000000000001m", "0m", "0d0h0m", "00h", "100001m", "99999999999999999999d",
		"15", "15 m", "15M", "30m1h", "1d1d", "1w", "-5m", "1.5h", "PT15M", "m", "15m ",
	} {
		src := edit(t, movesYAML, "freshness_sla: 15m", "freshness_sla: "+strconv.Quote(sla))
		agree(t, "freshness_sla "+sla, src)
	}
}

func TestSchemaAgreesWithParserOnNames(t *testing.T) {
	for _, name := range []string{"wms_moves2", "_moves", "select", "at", "Moves", "9moves",
		"wms-moves", "user", "pivot_longer", "atx"} {
		agree(t, "source "+name, edit(t, movesYAML, "source: wms_moves",
			"source: "+strconv.Quote(name)))
		agree(t, "table "+name, edit(t, movesYAML, "table: moves}",
			"table: "+strconv.Quote(name)+"}"))
	}
	for _, name := range []string{"note", "Note", "NOTE_2", "at", "AT", "At", "order", "Order",
		"_at", "at_", "9lives", "two words", "Ünit", "summarize"} {
		src := edit(t, movesYAML, noteColumn,
			noteColumn+"  - {name: "+strconv.Quote(name)+", type: varchar}\n")
		agree(t, "column "+name, src)
	}
}

func TestSchemaAgreesWithParserOnPeople(t *testing.T) {
	for _, owner := range []string{"jane.doe@example.com", "a@b.co", "a@b", "a b@c.de",
		"a@b.c", "@x.com", "a@@b.com", "a@b.c1", "jane@example.COM", "a\u00a0b@x.com",
		"a\tb@x.com", "producer"} {
		agree(t, "owner "+owner, edit(t, movesYAML, "owner: jane.doe@example.com",
			"owner: "+strconv.Quote(owner)))
	}
	for _, who := range []string{"producer", "inventory-data-oncall", "ops.team_2",
		"a@b.com", "Oncall", "#slack", "team oncall", "-x", "9am"} {
		agree(t, "notify "+who, edit(t, movesYAML, "notify: [producer, inventory-data-oncall]",
			"notify: [producer, "+strconv.Quote(who)+"]"))
	}
}

func TestSchemaAgreesWithParserOnValues(t *testing.T) {
	moveTypes := "values: {GR: receipt, ADJ: adjustment}"
	for _, values := range []string{
		"values: {GR: receipt, ADJ: adjustment, TI: transfer_in}",
		"values: {GR: receipt, X: sale}",
		"values: {GR: Receipt}",
		"values: {}",
	} {
		agree(t, values, edit(t, movesYAML, moveTypes, values))
	}
	for _, col := range []string{"{name: note, type: varchar, values: {A: b}}",
		"{name: note, type: varchar, values: {}}"} {
		agree(t, col, edit(t, movesYAML, noteColumn, noteColumn+"  - "+col+"\n"))
	}
	for _, col := range []string{
		"{name: note, type: varchar, role: uom, values: {EA: eaches}}",
		"{name: note, type: varchar, role: uom, values: {EA: each}}",
	} {
		// A uom column states the unit row by row, so semantics may not.
		agree(t, col, edit(t, movesYAML, noteColumn, noteColumn+"  - "+col+"\n",
			"  quantity_uom: eaches\n", ""))
	}
	for _, values := range []string{"{S: store, D: dc}", "{S: Store}", "{S: kit-build}",
		"{S: select}"} {
		src := edit(t, locationsYAML, "{S: store, K: kit_build}", values)
		agreeIn(t, "location_class "+values, map[string]string{"sites.yml": src},
			"sites.yml")
	}
}

func TestSchemaAgreesWithParserOnProjectFile(t *testing.T) {
	project := schemaOf(t, contracts.ProjectJSONSchema)
	for _, class := range []string{"store", "kit_build", "Store", "kit-build", "9s"} {
		files := validEstate()
		files[contracts.ProjectFile] = "tolerances:\n  " + strconv.Quote(class) +
			": {qty: 1}\n"
		_, diags := load(t, files)
		schemaErrs := conformYAML(t, project, files[contracts.ProjectFile])
		require.Equal(t, len(diags) == 0, len(schemaErrs) == 0,
			"tolerances %s: parser says %v, schema says %v", class, diags, schemaErrs)
	}
}

// agree loads src as the movements contract of a valid estate and asserts
// that the parser and the schema both accept it or both refuse it.
func agree(t *testing.T, what, src string) {
	t.Helper()
	files := validEstate()
	files["wms_moves.yml"] = src
	agreeIn(t, what, files, "wms_moves.yml")
}

func agreeIn(t *testing.T, what string, files map[string]string, judged string) {
	t.Helper()
	_, diags := load(t, files)
	schemaErrs := conformYAML(t, schemaOf(t, contracts.JSONSchema), files[judged])
	require.Equal(t, len(diags) == 0, len(schemaErrs) == 0,
		"%s: the parser says %s, the schema says %s", what, verdict(diags),
		verdict(schemaErrs))
}

func verdict(problems []string) string {
	if len(problems) == 0 {
		return "valid"
	}
	return strings.Join(problems, "; ")
}
