package contracts_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseShape covers what the shape walk reports: unknown keys, wrong
// types, missing and empty values, enums and duplicate keys, each at the
// position of the offending token.
func TestParseShape(t *testing.T) {
	tests := []struct {
		name  string
		edits []string
		want  []string
	}{{
		name:  "unknown top-level key suggests the closest",
		edits: []string{"on_violation:", "on_violaton:"},
		want: []string{
			`m.yml:24:1: file: unknown key "on_violaton" (did you mean "on_violation"?)`,
		},
	}, {
		name:  "unknown key far from any field has no suggestion",
		edits: []string{"owner: jane", "label: blue\nowner: jane"},
		want:  []string{`m.yml:4:1: file: unknown key "label"`},
	}, {
		name:  "unknown key in a case-insensitive match",
		edits: []string{"owner: jane", "Owner: jane"},
		want: []string{
			`m.yml:1:1: file: missing required key "owner"`,
			`m.yml:4:1: file: unknown key "Owner" (did you mean "owner"?)`,
		},
	}, {
		name:  "unknown column key, and the required one it replaced",
		edits: []string{"{name: sku, type: varchar", "{name: sku, typ: varchar"},
		want: []string{
			`m.yml:8:5: columns[1]: missing required key "type"`,
			`m.yml:8:17: columns[1]: unknown key "typ" (did you mean "type"?)`,
		},
	}, {
		name:  "unknown semantics key",
		edits: []string{"  timezone:", "  time_zone:"},
		want: []string{
			"m.yml:15:3: semantics.timezone: the feed has an event_time, so it must " +
				"name its timezone; business dates derive from it",
			`m.yml:18:3: semantics: unknown key "time_zone" (did you mean "timezone"?)`,
		},
	}, {
		name:  "unknown relation key",
		edits: []string{"{database: raw,", "{catalog: raw,"},
		want:  []string{`m.yml:5:12: relation: unknown key "catalog"`},
	}, {
		name:  "an integer where a string belongs, reported once",
		edits: []string{"system: wms", "system: 42"},
		want:  []string{"m.yml:2:9: system: expected a string, found the integer 42"},
	}, {
		name: "an integer type, reported once",
		edits: []string{`{name: qty, type: "decimal(18,3)", role: quantity}`,
			`{name: qty, type: 42, role: quantity}`},
		want: []string{"m.yml:10:23: columns[3].type: expected a string, found the integer 42"},
	}, {
		name:  "a string where a list belongs",
		edits: []string{"[movement_id, warehouse]", "movement_id"},
		want: []string{
			"m.yml:15:3: semantics.idempotency_key: movements need one; without it a " +
				"replayed feed double-counts stock silently",
			`m.yml:19:20: semantics.idempotency_key: expected a list, found "movement_id"`,
		},
	}, {
		name:  "yes is not a YAML 1.2 boolean",
		edits: []string{"quarantine: true", "quarantine: yes"},
		want: []string{`m.yml:25:15: on_violation.quarantine: expected true or false, ` +
			`found "yes"`},
	}, {
		name:  "a scalar where a mapping belongs",
		edits: []string{"{database: raw, schema: wms, table: moves}", "raw.wms.moves"},
		want:  []string{`m.yml:5:11: relation: expected a mapping, found "raw.wms.moves"`},
	}, {
		name:  "a mapping where the column list belongs, without echoes",
		edits: []string{"columns:\n", "columns: {}\nx:\n"},
		want: []string{
			"m.yml:6:10: columns: expected a list, found a mapping",
			`m.yml:7:1: file: unknown key "x"`,
		},
	}, {
		name:  "a list where the values mapping belongs",
		edits: []string{"values: {GR: receipt, ADJ: adjustment}", "values: [GR, ADJ]"},
		want:  []string{"m.yml:11:67: columns[4].values: expected a mapping, found a list"},
	}, {
		name:  "a column that is a scalar",
		edits: []string{"{name: posted_at, type: timestamp, role: event_time}", "posted_at"},
		want: []string{
			"m.yml:7:3: columns: a movements feed needs a column with role event_time " +
				"or business_date",
			`m.yml:12:5: columns[5]: expected a mapping, found "posted_at"`,
		},
	}, {
		name:  "a word where a number belongs",
		edits: []string{"min_ratio: 0.999", "min_ratio: high"},
		want: []string{
			`m.yml:23:57: delivery.completeness.min_ratio: expected a number, found "high"`,
		},
	}, {
		name:  "a ratio above its maximum",
		edits: []string{"min_ratio: 0.999", "min_ratio: 1.5"},
		want: []string{"m.yml:23:57: delivery.completeness.min_ratio: 1.5 is above the " +
			"maximum 1"},
	}, {
		name:  "a ratio below its minimum",
		edits: []string{"min_ratio: 0.999", "min_ratio: -0.1"},
		want: []string{
			"m.yml:23:57: delivery.completeness.min_ratio: -0.1 is below the minimum 0",
		},
	}, {
		name:  "a null value",
		edits: []string{"owner: jane.doe@example.com", "owner:"},
		want:  []string{"m.yml:4:7: owner: missing value, expected a string"},
	}, {
		name:  "an empty string",
		edits: []string{"source: wms_moves", `source: ""`},
		want:  []string{"m.yml:1:9: source: the value is empty"},
	}, {
		name:  "an empty list",
		edits: []string{"notify: [producer, inventory-data-oncall]", "notify: []"},
		want:  []string{"m.yml:26:11: on_violation.notify: the list is empty"},
	}, {
		name:  "a missing required top-level key",
		edits: []string{"source: wms_moves\n", ""},
		want:  []string{`m.yml:1:1: file: missing required key "source"`},
	}, {
		name:  "a missing required nested key",
		edits: []string{"schema: wms, table: moves}", "schema: wms}"},
		want:  []string{`m.yml:5:11: relation: missing required key "table"`},
	}, {
		name:  "a missing column type",
		edits: []string{"{name: sku, type: varchar, role: sku}", "{name: sku, role: sku}"},
		want:  []string{`m.yml:8:5: columns[1]: missing required key "type"`},
	}, {
		name:  "a missing completeness control total",
		edits: []string{"control_totals: wms_totals, ", ""},
		want: []string{
			`m.yml:23:17: delivery.completeness: missing required key "control_totals"`,
		},
	}, {
		name:  "an unknown feed, reported once",
		edits: []string{"feed: movements", "feed: movement"},
		want: []string{
			`m.yml:3:7: feed: "movement" is not one of movements, positions, availability, ` +
				"refunds, dispositions, costs, uom_conversions, locations, cycle_counts, " +
				`control_totals (did you mean "movements"?)`,
		},
	}, {
		name:  "an unknown feed far from any",
		edits: []string{"feed: movements", "feed: banana"},
		want: []string{
			`m.yml:3:7: feed: "banana" is not one of movements, positions, availability, ` +
				"refunds, dispositions, costs, uom_conversions, locations, cycle_counts, " +
				"control_totals",
		},
	}, {
		name: "an unknown role",
		edits: []string{"{name: qty, type: \"decimal(18,3)\", role: quantity}",
			"{name: qty, type: \"decimal(18,3)\", role: qty}"},
		want: []string{
			"m.yml:7:3: columns: a movements feed needs a column with role quantity",
			"m.yml:10:46: columns[3].role: \"qty\" is not one of sku, location_id, channel, " +
				"quantity, movement_type, movement_id, refund_id, disposition, event_time, " +
				"business_date, loaded_at, uom, each_per_uom, unit_cost, valid_from, " +
				"location_class, row_count",
		},
	}, {
		name:  "a role in upper case",
		edits: []string{"role: sku}", "role: SKU}"},
		want: []string{
			"m.yml:7:3: columns: a movements feed needs a column with role sku",
			"m.yml:8:38: columns[1].role: \"SKU\" is not one of sku, location_id, channel, " +
				"quantity, movement_type, movement_id, refund_id, disposition, event_time, " +
				"business_date, loaded_at, uom, each_per_uom, unit_cost, valid_from, " +
				`location_class, row_count (did you mean "sku"?)`,
		},
	}, {
		name:  "an unknown grain",
		edits: []string{"per-transaction", "per_transaction"},
		want: []string{
			`m.yml:17:19: semantics.movement_grain: "per_transaction" is not one of ` +
				`per-transaction, per-day-summary (did you mean "per-transaction"?)`,
		},
	}, {
		name: "an event time basis in upper case",
		edits: []string{"  adjustment_sign: as_reported\n",
			"  adjustment_sign: as_reported\n  event_time_basis: UTC\n"},
		want: []string{
			`m.yml:21:21: semantics.event_time_basis: "UTC" is not one of local, utc ` +
				`(did you mean "utc"?)`,
		},
	}, {
		name:  "an unknown quantity unit",
		edits: []string{"quantity_uom: eaches", "quantity_uom: each"},
		want: []string{
			`m.yml:16:17: semantics.quantity_uom: "each" is not one of eaches, inners, ` +
				`cases, pallets (did you mean "eaches"?)`,
		},
	}, {
		name:  "a duplicate top-level key",
		edits: []string{"system: wms\n", "system: wms\nsystem: erp\n"},
		want:  []string{`m.yml:3:1: file: duplicate key "system" (first at line 2)`},
	}, {
		name:  "a duplicate key inside a column",
		edits: []string{"role: sku}", "role: sku, name: item}"},
		want:  []string{`m.yml:8:43: columns[1]: duplicate key "name" (first at line 8)`},
	}, {
		name:  "a duplicate code in a values map",
		edits: []string{"{GR: receipt, ADJ: adjustment}", "{GR: receipt, GR: adjustment}"},
		want:  []string{`m.yml:11:81: columns[4].values: duplicate key "GR" (first at line 11)`},
	}, {
		name:  "a key that is not a plain value",
		edits: []string{"owner: jane", "[a]: b\nowner: jane"},
		want:  []string{"m.yml:4:1: file: a key must be a plain value"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := parse(t, edit(t, movesYAML, tt.edits...))
			require.Equal(t, tt.want, got)
		})
	}
}

// TestParseDocument covers files that are not one YAML mapping.
func TestParseDocument(t *testing.T) {
	missing := func(keys ...string) []string {
		var out []string
		for _, k := range keys {
			out = append(out, `m.yml:1:1: file: missing required key "`+k+`"`)
		}
		return out
	}
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"empty", "", []string{"m.yml:1:1: the file is empty"}},
		{"blank lines", "\n\n  \n", []string{"m.yml:1:1: the file is empty"}},
		{"comments only", "# a contract, one day\n", []string{"m.yml:1:1: the file is empty"}},
		{"null document", "~\n", []string{"m.yml:1:1: file: missing value, expected a mapping"}},
		{"scalar document", "hello\n",
			[]string{`m.yml:1:1: file: expected a mapping, found "hello"`}},
		{"list document", "- source: x\n",
			[]string{"m.yml:1:1: file: expected a mapping, found a list"}},
		{"syntax error", "source: [\n",
			[]string{"m.yml:1:1: invalid YAML: did not find expected node content"}},
		{"tab indentation", "source: x\n\tsystem: y\n", []string{
			"m.yml:2:1: invalid YAML: found a tab character that violates indentation"}},
		{"unknown anchor", "source: *name\n",
			[]string{"m.yml:1:1: invalid YAML: unknown anchor 'name' referenced"}},
		{"empty first document", "---\n---\nsource: x\n", []string{
			"m.yml:2:1: a second YAML document: one contract per file",
			"m.yml:2:1: file: missing value, expected a mapping",
		}},
		{"alias as a key", "k: &k source\n*k : x\n", append(
			missing("columns", "feed", "owner", "relation", "system"),
			`m.yml:1:1: file: unknown key "k"`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, got := parse(t, tt.src)
			require.Nil(t, c)
			require.Equal(t, tt.want, got)
		})
	}
}

// TestParseSecondDocument: a second document is refused even when the first
// is a valid contract, and it does not hide problems in the first.
func TestParseSecondDocument(t *testing.T) {
	doc := "  notify: [producer, inventory-data-oncall]\n"
	_, got := parse(t, edit(t, movesYAML, doc, doc+"---\nsource: again\n"))
	require.Equal(t, []string{"m.yml:27:1: a second YAML document: one contract per file"}, got)

	_, got = parse(t, edit(t, movesYAML, doc, doc+"---\nsource: again\n",
		"owner: jane.doe@example.com", "owner: jane"))
	require.Equal(t, []string{
		`m.yml:4:8: owner: "jane" is not an email address: name a person who answers ` +
			"for the feed",
		"m.yml:27:1: a second YAML document: one contract per file",
	}, got)
}

// TestParseSyntaxError: a YAML error stops the file and points at the
// offending token, or at the bracket or quote left open, as PyYAML and
// yamllint do, although yaml.v3 prints neither that line nor any column.
func TestParseSyntaxError(t *testing.T) {
	tz := "  timezone: Europe/Berlin\n"
	relation := "relation: {database: raw, schema: wms, table: moves}"
	tests := []struct {
		name  string
		edits []string
		want  string
	}{
		{"a colon where no value may be", []string{tz, tz + "    bad: indent\n"},
			"m.yml:19:8: invalid YAML: mapping values are not allowed in this context"},
		{"two colons on a line", []string{"source: wms_moves", "source: wms: moves"},
			"m.yml:1:12: invalid YAML: mapping values are not allowed in this context"},
		{"an unclosed flow mapping", []string{relation, "relation: {schema: wms, table: moves"},
			"m.yml:5:11: invalid YAML: did not find expected ',' or '}'"},
		{"an unclosed flow mapping on the first line", []string{"source: wms_moves",
			"{source: wms_moves"},
			"m.yml:1:1: invalid YAML: did not find expected ',' or '}'"},
		{"an unclosed mapping in a list", []string{"role: sku}", "role: sku"},
			"m.yml:8:5: invalid YAML: did not find expected ',' or '}'"},
		{"an unclosed flow sequence", []string{"notify: [producer, inventory-data-oncall]",
			"notify: [producer, inventory-data-oncall"},
			"m.yml:26:11: invalid YAML: did not find expected ',' or ']'"},
		{"a tab indenting a key", []string{"system: wms\nfeed:", "system: wms\n\tfeed:"},
			"m.yml:3:1: invalid YAML: found a tab character that violates indentation"},
		{"a tab in a nested block", []string{tz, "\ttimezone: Europe/Berlin\n"},
			"m.yml:18:1: invalid YAML: found a tab character that violates indentation"},
		{"an unclosed quote", []string{"notify: [producer, inventory-data-oncall]",
			"notify: [producer, 'inventory-data-oncall]"},
			"m.yml:26:22: invalid YAML: found unexpected end of stream"},
		{"a key dedented into nothing", []string{tz, tz + " stray: key\n"},
			"m.yml:19:2: invalid YAML: did not find expected key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := parse(t, edit(t, movesYAML, tt.edits...))
			require.Equal(t, []string{tt.want}, got)
		})
	}
}

// TestParseValid checks what a valid contract decodes to.
func TestParseValid(t *testing.T) {
	c, got := parse(t, movesYAML)
	require.Empty(t, got)
	require.Equal(t, "m.yml", c.File)
	require.Equal(t, "wms_moves", c.Source)
	require.Equal(t, "raw", c.Relation.Database)
	require.Len(t, c.Columns, 7)
	require.Equal(t, []string{"movement_id", "warehouse"}, c.Semantics.IdempotencyKey)
	require.Equal(t, "wms_totals", c.Delivery.Completeness.ControlTotals)
	require.InDelta(t, 0.999, c.Delivery.Completeness.Ratio(), 1e-9)
	require.Equal(t, []string{"producer", "inventory-data-oncall"}, c.OnViolation.Notify)
}

// TestParseAliases: anchors and aliases are ordinary YAML and work, but a
// file of aliases to aliases cannot multiply the messages it produces.
func TestParseAliases(t *testing.T) {
	_, got := parse(t, edit(t, movesYAML,
		"{name: movement_id, type: varchar,", "{name: movement_id, type: &text varchar,",
		"{name: sku, type: varchar,", "{name: sku, type: *text,"))
	require.Empty(t, got)

	var b strings.Builder
	b.WriteString("x: &s 1\nv: &v {")
	for i := range 300 {
		fmt.Fprintf(&b, "k%d: *s, ", i)
	}
	b.WriteString("z: *s}\nc: &c {name: a, type: varchar, role: movement_type, values: *v}\n")
	b.WriteString("columns: [" + strings.Repeat("*c, ", 300) + "*c]\n")
	_, got = parse(t, b.String())
	require.NotEmpty(t, got)
	require.Less(t, len(got), 1000, "aliases multiplied the messages")
}

// TestParseAliasErrorsPointAtTheUse: a value that is wrong only where an
// alias puts it is reported there, not at the anchor, where it may be
// right (a description may read Mars/Olympus; a timezone may not), and so
// is what is wrong inside a mapping an alias repeats.
func TestParseAliasErrorsPointAtTheUse(t *testing.T) {
	_, got := parse(t, edit(t, movesYAML,
		"owner: jane.doe@example.com\n", "owner: jane.doe@example.com\n"+
			"description: &tz Mars/Olympus\n",
		"timezone: Europe/Berlin", "timezone: *tz",
		"- {name: movement_id,", "- &id {name: movement_id,",
		"role: loaded_at}\n", "role: loaded_at}\n  - *id\n"))
	require.Equal(t, []string{
		`m.yml:15:5: columns[7].name: column "movement_id" is declared twice ` +
			"(first at m.yml:8:16)",
		"m.yml:15:5: columns[7].role: role movement_id is already given to column " +
			`"movement_id"`,
		`m.yml:20:13: semantics.timezone: "Mars/Olympus" is not an IANA timezone name ` +
			"such as Europe/Berlin",
	}, got)
}
