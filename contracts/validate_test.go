package contracts_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

// notSafe is the tail of every unsafe-name message for names invgen creates.
const notSafe = "use lower-case letters, digits and underscores, not starting with a digit"

// TestValidateContract covers the checks one contract can answer by itself,
// each asserted as the exact line a producer would read.
func TestValidateContract(t *testing.T) {
	tests := []struct {
		name  string
		base  string
		edits []string
		want  []string
	}{{
		name:  "a movements feed without location_id",
		edits: keyless("  - {name: warehouse, type: varchar, role: location_id}\n", ""),
		want: []string{"m.yml:7:3: columns: a movements feed needs a column with role " +
			"location_id"},
	}, {
		name: "a movements feed without event_time or business_date",
		edits: []string{"  - {name: posted_at, type: timestamp, role: event_time}\n", "",
			"  timezone: Europe/Berlin\n", ""},
		want: []string{"m.yml:7:3: columns: a movements feed needs a column with role " +
			"event_time or business_date"},
	}, {
		name:  "a role that has no meaning in the feed",
		edits: addColumn("{name: cost, type: double, role: unit_cost}"),
		want: []string{"m.yml:13:38: columns[6].role: role unit_cost has no meaning in a " +
			"movements feed"},
	}, {
		name:  "a role given to two columns",
		edits: keyless("role: location_id}", "role: sku}"),
		want: []string{
			"m.yml:7:3: columns: a movements feed needs a column with role location_id",
			`m.yml:9:44: columns[2].role: role sku is already given to column "sku"`,
		},
	}, {
		name:  "a column declared twice, case-insensitively",
		edits: keyless("name: warehouse", "name: SKU"),
		want: []string{`m.yml:9:12: columns[2].name: column "SKU" is declared twice ` +
			"(first at m.yml:8:12)"},
	}, {
		name:  "an unsafe column name",
		edits: keyless("name: warehouse", "name: ware house"),
		want: []string{`m.yml:9:12: columns[2].name: "ware house" is not a safe SQL name: ` +
			"use letters, digits and underscores, not starting with a digit"},
	}, {
		name:  "a column name starting with a digit",
		edits: keyless("name: warehouse", "name: 2nd_wh"),
		want: []string{`m.yml:9:12: columns[2].name: "2nd_wh" is not a safe SQL name: ` +
			"use letters, digits and underscores, not starting with a digit"},
	}, {
		name:  "a column name that is a reserved word, in any case",
		edits: keyless("name: warehouse", "name: Order"),
		want:  []string{`m.yml:9:12: columns[2].name: "Order" is a reserved SQL word`},
	}, {
		name: "an upper-case column name is a producer's spelling, and fine",
		edits: []string{"name: warehouse", "name: WERKS", "[movement_id, warehouse]",
			"[movement_id, WERKS]"},
	}, {
		name:  "an unsafe source name",
		edits: []string{"source: wms_moves", "source: WMS-Moves"},
		want:  []string{`m.yml:1:9: source: "WMS-Moves" is not a safe SQL name: ` + notSafe},
	}, {
		name:  "a source name that is a reserved word",
		edits: []string{"source: wms_moves", "source: select"},
		want:  []string{`m.yml:1:9: source: "select" is a reserved SQL word`},
	}, {
		name:  "a system name that is a reserved word",
		edits: []string{"system: wms", "system: user"},
		want:  []string{`m.yml:2:9: system: "user" is a reserved SQL word`},
	}, {
		name:  "an unsafe database",
		edits: []string{"database: raw", "database: Raw"},
		want:  []string{`m.yml:5:22: relation.database: "Raw" is not a safe SQL name: ` + notSafe},
	}, {
		name:  "a schema that is a reserved word",
		edits: []string{"schema: wms", "schema: group"},
		want:  []string{`m.yml:5:35: relation.schema: "group" is a reserved SQL word`},
	}, {
		name:  "a table starting with a digit",
		edits: []string{"table: moves", "table: 1moves"},
		want:  []string{`m.yml:5:47: relation.table: "1moves" is not a safe SQL name: ` + notSafe},
	}, {
		name:  "an unknown type",
		edits: []string{`type: "decimal(18,3)"`, "type: money"},
		want: []string{`m.yml:10:23: columns[3].type: unknown type "money" (known: varchar, ` +
			"text, char(n), integer, bigint, decimal(p,s), double, boolean, date, timestamp)"},
	}, {
		name: "a zoned timestamp is refused: the zone is stated once, in semantics",
		edits: []string{"{name: posted_at, type: timestamp",
			"{name: posted_at, type: timestamptz"},
		want: []string{`m.yml:12:29: columns[5].type: unknown type "timestamptz" (known: ` +
			"varchar, text, char(n), integer, bigint, decimal(p,s), double, boolean, date, " +
			"timestamp)"},
	}, {
		name:  "a decimal precision out of range",
		edits: []string{`type: "decimal(18,3)"`, `type: "decimal(40,3)"`},
		want: []string{`m.yml:10:23: columns[3].type: type "decimal(40,3)" needs ` +
			"1 <= precision <= 38 and scale <= precision"},
	}, {
		name:  "a precision on a type that takes none",
		edits: []string{`type: "decimal(18,3)"`, `type: "integer(4)"`},
		want:  []string{`m.yml:10:23: columns[3].type: type "integer(4)" takes no precision`},
	}, {
		name:  "an event_time that is a date",
		edits: []string{"{name: posted_at, type: timestamp", "{name: posted_at, type: date"},
		want: []string{`m.yml:12:29: columns[5].type: column "posted_at" has role event_time, ` +
			"which needs timestamp, not date"},
	}, {
		name:  "a quantity that is text",
		edits: []string{`type: "decimal(18,3)"`, "type: varchar"},
		want: []string{`m.yml:10:23: columns[3].type: column "qty" has role quantity, ` +
			"which needs a numeric type, not varchar"},
	}, {
		name:  "a movement id that is a decimal",
		edits: []string{"{name: movement_id, type: varchar", "{name: movement_id, type: double"},
		want: []string{`m.yml:7:31: columns[0].type: column "movement_id" has role ` +
			"movement_id, which needs a string or integer type, not double"},
	}, {
		name:  "a sku that is an integer",
		edits: []string{"{name: sku, type: varchar", "{name: sku, type: bigint"},
		want: []string{`m.yml:8:23: columns[1].type: column "sku" has role sku, which ` +
			"needs a string type, not bigint"},
	}, {
		name:  "a values map on a column without a role",
		edits: addColumn("{name: plant, type: varchar, values: {A: b}}"),
		want: []string{"m.yml:13:42: columns[6].values: a values map needs role movement_type, " +
			"disposition, uom or location_class, not a column without a role"},
	}, {
		name:  "a values map on a role that uses none",
		edits: []string{"role: location_id}", "role: location_id, values: {A: b}}"},
		want: []string{"m.yml:9:65: columns[2].values: a values map needs role movement_type, " +
			"disposition, uom or location_class, not role location_id"},
	}, {
		name:  "a code mapped to no canonical movement type",
		edits: []string{"GR: receipt", "GR: reciept"},
		want: []string{`m.yml:11:72: columns[4].values.GR: "reciept" is not a movement_type ` +
			"(one of receipt, return_restock, transfer_in, shipment, transfer_out, " +
			`adjustment); did you mean "receipt"?`},
	}, {
		name:  "a location class that is not a safe name",
		base:  locationsYAML,
		edits: []string{"K: kit_build", "K: Kit Build"},
		want: []string{`m.yml:8:77: columns[1].values.K: "Kit Build" is not a safe ` +
			"location_class name"},
	}, {
		name:  "location classes are the estate's own names",
		base:  locationsYAML,
		edits: []string{"K: kit_build", "K: repack_cell"},
	}, {
		name:  "a column without a role that takes a derived name",
		edits: addColumn("{name: business_date, type: date}"),
		want: []string{`m.yml:13:12: columns[6].name: column "business_date" has no role but ` +
			"its name is one the staging model derives; give it that role or rename it"},
	}, {
		name:  "a column without a role that takes a role's name",
		edits: append(addColumn("{name: SKU, type: varchar}"), "name: sku,", "name: item,"),
		want: []string{`m.yml:13:12: columns[6].name: column "SKU" has no role but its name ` +
			"is one the staging model derives; give it that role or rename it"},
	}, {
		name:  "an owner that is a team, not an email",
		edits: []string{"jane.doe@example.com", "inventory-team"},
		want: []string{`m.yml:4:8: owner: "inventory-team" is not an email address: name a ` +
			"person who answers for the feed"},
	}, {
		name:  "an owner without a domain",
		edits: []string{"jane.doe@example.com", "jane.doe@example"},
		want: []string{`m.yml:4:8: owner: "jane.doe@example" is not an email address: name a ` +
			"person who answers for the feed"},
	}, {
		name:  "a notify entry that is neither producer, an address nor a rota",
		edits: []string{"inventory-data-oncall", "Inventory Team"},
		want: []string{`m.yml:26:22: on_violation.notify[1]: "Inventory Team" is not ` +
			"producer, an email address or a rota name"},
	}, {
		name:  "notify accepts an email address",
		edits: []string{"inventory-data-oncall", "ops@example.com"},
	}, {
		name:  "a positions feed that does not say which stock number",
		base:  stockYAML,
		edits: []string{"  quantity_field: on_hand\n", ""},
		want: []string{"m.yml:12:3: semantics.quantity_field: a positions feed must say " +
			"which stock number it holds (on_hand, available_to_promise or in_transit)"},
	}, {
		name:  "a quantity_field on a feed that has none",
		base:  totalsYAML,
		edits: appendTo("role: row_count}\n", "semantics: {quantity_field: on_hand}\n"),
		want: []string{"m.yml:9:29: semantics.quantity_field: has no meaning for a " +
			"control_totals feed"},
	}, {
		name:  "a quantity_uom on a feed without quantities",
		base:  totalsYAML,
		edits: appendTo("role: row_count}\n", "semantics: {quantity_uom: cases}\n"),
		want: []string{"m.yml:9:27: semantics.quantity_uom: a control_totals feed has no " +
			"quantity"},
	}, {
		name:  "a quantity whose unit is not stated",
		edits: []string{"  quantity_uom: eaches\n", ""},
		want: []string{"m.yml:15:3: semantics.quantity_uom: the quantity's unit is not " +
			"stated; give quantity_uom or a column with role uom"},
	}, {
		name:  "a quantity_uom beside a uom column",
		edits: addColumn("{name: unit, type: varchar, role: uom, values: {EA: eaches}}"),
		want: []string{"m.yml:17:17: semantics.quantity_uom: the column with role uom " +
			"already states the unit row by row"},
	}, {
		name: "movement semantics on a positions feed",
		base: stockYAML,
		edits: appendTo("  quantity_uom: eaches\n",
			"  movement_grain: per-day-summary\n  adjustment_sign: inverted\n"),
		want: []string{
			"m.yml:14:19: semantics.movement_grain: only movements have one",
			"m.yml:15:20: semantics.adjustment_sign: only movements have one",
		},
	}, {
		name:  "movements without a grain",
		edits: []string{"  movement_grain: per-transaction\n", ""},
		want: []string{"m.yml:15:3: semantics.movement_grain: movements must say whether a " +
			"row is one transaction (per-transaction) or a daily summary (per-day-summary)"},
	}, {
		name:  "movements that can adjust without a sign convention",
		edits: []string{"  adjustment_sign: as_reported\n", ""},
		want: []string{"m.yml:15:3: semantics.adjustment_sign: this feed can carry " +
			"adjustments, so it must say how they are signed (as_reported or inverted)"},
	}, {
		name:  "movements that map no code to adjustment need no sign convention",
		edits: []string{"ADJ: adjustment", "GI: shipment", "  adjustment_sign: as_reported\n", ""},
	}, {
		name:  "movements without an idempotency key",
		edits: []string{"  idempotency_key: [movement_id, warehouse]\n", ""},
		want: []string{"m.yml:15:3: semantics.idempotency_key: movements need one; without it " +
			"a replayed feed double-counts stock silently"},
	}, {
		name:  "an idempotency key naming an undeclared column",
		edits: []string{"[movement_id, warehouse]", "[movement_id, warehous]"},
		want: []string{`m.yml:19:34: semantics.idempotency_key[1]: "warehous" is not a ` +
			`declared column (did you mean "warehouse"?)`},
	}, {
		name:  "an idempotency key in the wrong case",
		edits: []string{"[movement_id, warehouse]", "[MOVEMENT_ID, warehouse]"},
		want: []string{`m.yml:19:21: semantics.idempotency_key[0]: "MOVEMENT_ID" is not a ` +
			`declared column (did you mean "movement_id"?)`},
	}, {
		name:  "an idempotency key far from any column",
		edits: []string{"[movement_id, warehouse]", "[movement_id, batch_no]"},
		want: []string{`m.yml:19:34: semantics.idempotency_key[1]: "batch_no" is not a ` +
			"declared column"},
	}, {
		name:  "an event_time without a timezone",
		edits: []string{"  timezone: Europe/Berlin\n", ""},
		want: []string{"m.yml:15:3: semantics.timezone: the feed has an event_time, so it " +
			"must name its timezone; business dates derive from it"},
	}, {
		name:  "a timezone that does not exist",
		edits: []string{"Europe/Berlin", "Mars/Olympus"},
		want: []string{`m.yml:18:13: semantics.timezone: "Mars/Olympus" is not an IANA ` +
			"timezone name such as Europe/Berlin"},
	}, {
		name:  "a timezone abbreviation",
		edits: []string{"Europe/Berlin", "CET"},
		want: []string{`m.yml:18:13: semantics.timezone: "CET" is not an IANA timezone name ` +
			"such as Europe/Berlin"},
	}, {
		name:  "the machine's local timezone",
		edits: []string{"Europe/Berlin", "Local"},
		want: []string{`m.yml:18:13: semantics.timezone: "Local" is not an IANA timezone ` +
			"name such as Europe/Berlin"},
	}, {
		name:  "a fixed offset",
		edits: []string{"Europe/Berlin", `"+01:00"`},
		want: []string{`m.yml:18:13: semantics.timezone: "+01:00" is not an IANA timezone ` +
			"name such as Europe/Berlin"},
	}, {
		name:  "UTC is a timezone",
		edits: []string{"Europe/Berlin", "UTC"},
	}, {
		name:  "a three-part IANA name",
		edits: []string{"Europe/Berlin", "America/Argentina/Buenos_Aires"},
	}, {
		name:  "an event_time_basis without an event_time",
		base:  stockYAML,
		edits: appendTo("  quantity_uom: eaches\n", "  event_time_basis: utc\n"),
		want: []string{"m.yml:14:21: semantics.event_time_basis: the feed has no column " +
			"with role event_time"},
	}, {
		name:  "a freshness SLA that is not a duration",
		edits: []string{"freshness_sla: 15m", "freshness_sla: 15 minutes"},
		want: []string{`m.yml:22:18: delivery.freshness_sla: "15 minutes" is not a duration ` +
			"such as 15m, 2h, 1d or 1h30m"},
	}, {
		name:  "a freshness SLA of zero",
		edits: []string{"freshness_sla: 15m", "freshness_sla: 0h"},
		want: []string{`m.yml:22:18: delivery.freshness_sla: "0h" is zero: a feed cannot ` +
			"promise to be that fresh"},
	}, {
		name:  "a freshness SLA without a loaded_at column",
		edits: []string{"  - {name: _loaded_at, type: timestamp, role: loaded_at}\n", ""},
		want: []string{"m.yml:21:18: delivery.freshness_sla: freshness is measured on a " +
			"column with role loaded_at, and the feed has none"},
	}, {
		name: "completeness on the control_totals feed itself",
		base: totalsYAML,
		edits: appendTo("role: row_count}\n",
			"delivery:\n  completeness: {control_totals: wms_totals}\n"),
		want: []string{"m.yml:10:17: delivery.completeness: a control_totals feed is the " +
			"control, not the checked feed"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base
			if base == "" {
				base = movesYAML
			}
			_, got := parse(t, edit(t, base, tt.edits...))
			require.Equal(t, tt.want, got)
		})
	}
}

// locationsYAML is a locations feed whose classes are mapped from codes.
const locationsYAML = `source: sites
system: erp
feed: locations
owner: ana.ruiz@example.com
relation: {schema: erp, table: sites}
columns:
  - {name: site, type: varchar, role: location_id}
  - {name: kind, type: varchar, role: location_class, values: {S: store, K: kit_build}}
`

// addColumn edits movesYAML to carry one more column, on line 13, before
// _loaded_at.
func addColumn(col string) []string {
	return []string{"  - {name: _loaded_at", "  - " + col + "\n  - {name: _loaded_at"}
}

// appendTo edits a base to carry text after the line at.
func appendTo(at, text string) []string { return []string{at, at + text} }

// keyless applies edits to movesYAML's warehouse column and drops it from
// the idempotency key, so that only the edit itself is reported.
func keyless(edits ...string) []string {
	return append(edits, "[movement_id, warehouse]", "[movement_id]")
}

// TestValidateFeedRoles holds the role table of DOMAIN.md against the
// validator: each feed is valid with one column per required role, and
// dropping any required role is reported as exactly one line.
func TestValidateFeedRoles(t *testing.T) {
	feeds := []struct {
		feed     string
		required [][]string
	}{
		{"movements", groups("sku", "location_id", "quantity", "movement_type",
			"event_time|business_date")},
		{"positions", groups("sku", "location_id", "quantity", "event_time|business_date")},
		{"availability", groups("sku", "location_id|channel", "quantity", "event_time")},
		{"refunds", groups("refund_id", "sku", "quantity", "event_time")},
		{"dispositions", groups("refund_id", "disposition", "quantity", "event_time")},
		{"costs", groups("sku", "unit_cost")},
		{"uom_conversions", groups("sku", "uom", "each_per_uom")},
		{"locations", groups("location_id", "location_class")},
		{"cycle_counts", groups("sku", "location_id", "quantity", "event_time|business_date")},
		{"control_totals", groups("business_date", "row_count")},
	}
	for _, f := range feeds {
		t.Run(f.feed, func(t *testing.T) {
			var all []string
			for _, g := range f.required {
				all = append(all, g[0])
			}
			_, got := parse(t, feedContract(f.feed, all))
			require.Empty(t, got)
			require.Len(t, contracts.RequiredRoles(contracts.Feed(f.feed)), len(f.required))

			article := "a" // an availability feed; a uom_conversions feed, said "you"
			if f.feed == "availability" {
				article = "an"
			}
			for i, g := range f.required {
				without := append(append([]string(nil), all[:i]...), all[i+1:]...)
				_, got := parse(t, feedContract(f.feed, without))
				require.Equal(t, []string{fmt.Sprintf("m.yml:7:3: columns: %s %s feed needs "+
					"a column with role %s", article, f.feed, strings.Join(g, " or "))}, got)
			}
		})
	}
}

func groups(gs ...string) [][]string {
	out := make([][]string, len(gs))
	for i, g := range gs {
		out[i] = strings.Split(g, "|")
	}
	return out
}

// feedContract writes a contract of feed with one column per role and the
// semantics those roles call for, so that only role checks can fail.
func feedContract(feed string, roles []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "source: s\nsystem: sys\nfeed: %s\nowner: a.b@example.com\n", feed)
	b.WriteString("relation: {schema: raw, table: t}\ncolumns:\n")
	has := map[string]bool{}
	for _, r := range roles {
		has[r] = true
		fmt.Fprintf(&b, "  - {name: c_%s, type: %q, role: %s}\n", r, roleType(r), r)
	}

	var sem []string
	if has["quantity"] {
		sem = append(sem, "quantity_uom: eaches")
	}
	if has["event_time"] {
		sem = append(sem, "timezone: UTC")
	}
	if feed == "positions" {
		sem = append(sem, "quantity_field: on_hand")
	}
	if feed == "movements" {
		sem = append(sem, "movement_grain: per-transaction",
			"idempotency_key: [c_"+roles[0]+"]")
	}
	if has["movement_type"] {
		sem = append(sem, "adjustment_sign: as_reported")
	}
	if len(sem) > 0 {
		b.WriteString("semantics: {" + strings.Join(sem, ", ") + "}\n")
	}
	return b.String()
}

func roleType(role string) string {
	switch role {
	case "quantity", "each_per_uom", "unit_cost", "row_count":
		return "decimal(18,3)"
	case "event_time", "loaded_at":
		return "timestamp"
	case "business_date", "valid_from":
		return "date"
	}
	return "varchar"
}

// TestValidateRoleTypes: each role accepts the type family it needs and
// refuses the others.
func TestValidateRoleTypes(t *testing.T) {
	tests := []struct {
		base, column, ok, bad, family string
	}{
		{movesYAML, "{name: sku, type: %s, role: sku}", "text", "integer", "a string type"},
		{movesYAML, "{name: movement_id, type: %s, role: movement_id}", "bigint", "date",
			"a string or integer type"},
		{movesYAML, "{name: qty, type: %s, role: quantity}", `"numeric(10,2)"`, "text",
			"a numeric type"},
		{movesYAML, "{name: posted_at, type: %s, role: event_time}", "timestamp", "date",
			"timestamp"},
		{movesYAML, "{name: _loaded_at, type: %s, role: loaded_at}", "timestamp", "varchar",
			"timestamp"},
		{stockYAML, "{name: snap_date, type: %s, role: business_date}", "date", "timestamp",
			"date"},
		{convYAML, "{name: per, type: %s, role: each_per_uom}", "double", "bool",
			"a numeric type"},
	}
	for _, tt := range tests {
		t.Run(tt.column, func(t *testing.T) {
			var orig string
			for _, typ := range []string{"varchar", "timestamp", "date", "integer",
				`"decimal(18,3)"`} {
				if c := fmt.Sprintf(tt.column, typ); strings.Contains(tt.base, c) {
					orig = c
				}
			}
			require.NotEmpty(t, orig)

			_, got := parse(t, edit(t, tt.base, orig, fmt.Sprintf(tt.column, tt.ok)))
			require.Empty(t, got)

			_, got = parse(t, edit(t, tt.base, orig, fmt.Sprintf(tt.column, tt.bad)))
			require.Len(t, got, 1)
			require.Contains(t, got[0], fmt.Sprintf("which needs %s, not %s", tt.family,
				tt.bad))
		})
	}
}
