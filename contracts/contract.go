package contracts

import (
	"sort"
	"strconv"
)

// Contract freezes one source interface: what a row is, what each column
// means, and what the producer promises about delivery.
type Contract struct {
	// File is the contract's path, as given to the loader, for messages and
	// for the lineage the generated project carries.
	File string `yaml:"-"`

	Source      string      `yaml:"source"`
	System      string      `yaml:"system"`
	Feed        Feed        `yaml:"feed"`
	Owner       string      `yaml:"owner"`
	Description string      `yaml:"description"`
	Relation    Relation    `yaml:"relation"`
	Columns     []Column    `yaml:"columns"`
	Semantics   Semantics   `yaml:"semantics"`
	Delivery    Delivery    `yaml:"delivery"`
	OnViolation OnViolation `yaml:"on_violation"`

	pos map[string]Pos
}

// Relation is where the raw table lives in the warehouse.
type Relation struct {
	Database string `yaml:"database"`
	Schema   string `yaml:"schema"`
	Table    string `yaml:"table"`
}

// Column is one raw column and, where it has one, its canonical role.
type Column struct {
	Name        string            `yaml:"name"`
	Type        string            `yaml:"type"`
	Role        Role              `yaml:"role"`
	Values      map[string]string `yaml:"values"`
	Description string            `yaml:"description"`
}

// Semantics answers the questions that cause phantom stock when guessed.
type Semantics struct {
	QuantityField  string   `yaml:"quantity_field"`
	QuantityUOM    string   `yaml:"quantity_uom"`
	MovementGrain  string   `yaml:"movement_grain"`
	Timezone       string   `yaml:"timezone"`
	EventTimeBasis string   `yaml:"event_time_basis"`
	IdempotencyKey []string `yaml:"idempotency_key"`
	AdjustmentSign string   `yaml:"adjustment_sign"`
}

// Delivery is what the producer promises about arrival.
type Delivery struct {
	FreshnessSLA string        `yaml:"freshness_sla"`
	Completeness *Completeness `yaml:"completeness"`
}

// Completeness compares the feed's daily row count with the producer's own
// control total.
type Completeness struct {
	ControlTotals string  `yaml:"control_totals"`
	MinRatio      float64 `yaml:"min_ratio"`
}

// OnViolation says what happens to rows that break the contract.
type OnViolation struct {
	Quarantine *bool    `yaml:"quarantine"`
	Notify     []string `yaml:"notify"`
}

// Pos returns where the value at path (such as "semantics.timezone" or
// "columns[2].name") sits in the contract file. For an absent value it
// returns the position of its nearest present parent, so that a message
// about a missing key still carries a line and column.
func (c *Contract) Pos(path string) Pos {
	return nearest(c.pos, c.File, path)
}

// Column returns the column with the given role, or false.
func (c *Contract) Column(r Role) (Column, bool) {
	for _, col := range c.Columns {
		if col.Role == r {
			return col, true
		}
	}
	return Column{}, false
}

// Has reports whether a column carries role r.
func (c *Contract) Has(r Role) bool {
	_, ok := c.Column(r)
	return ok
}

// States reports whether the movement type column can yield a movement of
// a kind: it maps a code to the kind, or passes codes through unmapped.
func (c *Contract) States(kind string) bool {
	col, ok := c.Column(RoleMovementType)
	if !ok {
		return false
	}
	if len(col.Values) == 0 {
		return true
	}
	for _, v := range col.Values {
		if v == kind {
			return true
		}
	}
	return false
}

// Quarantines reports whether violating rows are held in quarantine; the
// default is yes, because dropping rows silently is how phantom stock hides.
func (c *Contract) Quarantines() bool {
	return c.OnViolation.Quarantine == nil || *c.OnViolation.Quarantine
}

// UOM returns the unit the contract's quantities are stated in, or "" when a
// column with role uom says it row by row.
func (c *Contract) UOM() string {
	if c.Has(RoleUOM) {
		return ""
	}
	return c.Semantics.QuantityUOM
}

// Basis returns how event times are stated: local wall-clock time in the
// source timezone (the default) or UTC.
func (c *Contract) Basis() string {
	if c.Semantics.EventTimeBasis == "" {
		return BasisLocal
	}
	return c.Semantics.EventTimeBasis
}

// QuantityField returns the stock number the quantity means; movements
// change on-hand unless they say otherwise.
func (c *Contract) QuantityField() string {
	if c.Semantics.QuantityField == "" && c.Feed == FeedMovements {
		return QuantityOnHand
	}
	return c.Semantics.QuantityField
}

// HoldsFractions reports whether the quantity column can state a fraction
// of a unit: a decimal with a scale, or a float.
func (c *Contract) HoldsFractions() bool {
	col, ok := c.Column(RoleQuantity)
	if !ok {
		return false
	}
	t, err := ParseType(col.Type)
	return err == nil && (t.Base == "decimal" && t.Scale > 0 || t.Base == "float")
}

// Ratio returns the completeness ratio, 1 when the contract states none.
func (c *Completeness) Ratio() float64 {
	if c.MinRatio == 0 {
		return 1
	}
	return c.MinRatio
}

// Codes returns a column's code map as sorted pairs, so generated SQL lists
// codes in a stable order.
func (col Column) Codes() []Code {
	codes := make([]Code, 0, len(col.Values))
	for k, v := range col.Values {
		codes = append(codes, Code{Code: k, Value: v})
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i].Code < codes[j].Code })
	return codes
}

// Code is one entry of a column's values map.
type Code struct {
	Code  string
	Value string
}

// contractSpec is the contract format. Its docs are the contract reference.
var contractSpec = object("An invgen source contract: one file per source.",
	req("source", str("Unique name of the source: the dbt source and the stg_ model; at "+
		"most "+strconv.Itoa(maxSourceLength())+" characters, so that every model named "+
		"from it is a SQL name.").matching(namePattern).refusing(notReserved()).
		atMost(maxSourceLength()).eg("wms_eu_movements")),
	req("system", str("The system of record: erp, wms, storefront, oms, ...").
		matching(namePattern).refusing(notReserved()).eg("wms")),
	req("feed", str("What one row is; decides the roles the contract must map.").
		oneOf(feedNames()...)),
	req("owner", str("The email address of a person who answers for the feed.").
		matching(emailPattern).eg("jane.doe@company.com")),
	opt("description", str("What the feed is, for the generated documentation. dbt "+
		"renders it as Jinja, so it may not hold {{, {% or {#.")),
	req("relation", object("Where the raw table lives.",
		opt("database", str("The database or catalog; omit for the target's own.").
			matching(namePattern).refusing(notReserved()).atMost(MaxNameLength)),
		req("schema", str("The schema.").matching(namePattern).refusing(notReserved()).
			atMost(MaxNameLength)),
		req("table", str("The table.").matching(namePattern).refusing(notReserved()).
			atMost(MaxNameLength)),
	)),
	req("columns", list("Every raw column the staging model reads.", columnSpec)),
	opt("semantics", semanticsSpec),
	opt("delivery", deliverySpec),
	opt("on_violation", object("What happens to rows that break the contract.",
		opt("quarantine", boolean("Hold violating rows in quarantine_<source> "+
			"(true), or also fail the build on any (false).").defaults("true")),
		opt("notify", list("Who hears about violations: producer (the owner), or a "+
			"named rota or address.", str("").matching(notifyPattern)).
			eg("[producer, inventory-data-oncall]")),
	)),
)

var columnSpec = object("A raw column.",
	req("name", str("The column's name in the raw table; not one a staging model "+
		"derives, unless the column has a role.").matching(columnPattern).
		refusing(notReservedAnyCase()).atMost(MaxNameLength)),
	req("type", str("The type the staging model casts to: "+knownTypes+".").
		matching(typeSchemaPattern())),
	opt("role", str("The canonical meaning; the staging model renames the column to it.").
		oneOf(roleNames()...)),
	opt("values", mapOf("Producer codes mapped to canonical values, for the roles "+
		"movement_type, disposition, uom and location_class. A code is text, not empty "+
		"or null, without a backslash, a control character, {{, {% or {#.",
		str("")).keysChecked(codeProblem)),
	opt("description", str("What the column holds; like the contract's, without {{, "+
		"{% or {#.")),
).ruled(columnRules)

var semanticsSpec = object("The meaning of the numbers.",
	opt("quantity_field", str("Which stock number the quantity is. Positions need it; "+
		"movements change on_hand.").oneOf(QuantityOnHand, QuantityATP, QuantityInTransit)),
	opt("quantity_uom", str("The unit of every quantity, unless a column has role uom.").
		oneOf(UOMs...)),
	opt("movement_grain", str("Movements only: one row per transaction or a daily "+
		"summary.").oneOf(GrainTransaction, GrainDaySummary)),
	opt("timezone", str("IANA name of the source's business timezone; business dates "+
		"derive from it.").eg("Europe/Berlin")),
	opt("event_time_basis", str("Whether event_time is local wall-clock time in the "+
		"timezone or UTC.").oneOf(BasisLocal, BasisUTC).defaults(BasisLocal)),
	opt("idempotency_key", list("Columns that identify a row; later rows with the same "+
		"key are quarantined as duplicates.", str(""))),
	opt("adjustment_sign", str("How adjustment quantities are signed: as_reported (a "+
		"positive quantity adds stock) or inverted (a positive quantity is a loss).").
		oneOf(SignAsReported, SignInverted)),
)

var deliverySpec = object("What the producer promises about arrival.",
	opt("freshness_sla", str("The newest row is never older than this: 15m, 2h, 1d, 1h30m.").
		matching(slaSchemaPattern()).refusing(slaZeroPattern()).eg("15m")),
	opt("completeness", object("Daily row counts against the producer's control total.",
		req("control_totals", str("The control_totals source to compare with.").
			matching(namePattern)),
		opt("min_ratio", number("Rows received over rows the producer reports, at least.").
			between(0, 1).defaults("1")),
	)),
)

// namePattern and columnPattern are what invgen accepts as SQL names without
// quoting: names it creates must be lower case to mean the same on every
// warehouse; raw column names may be upper case as producers spell them.
const (
	namePattern   = `^[a-z_][a-z0-9_]*$`
	columnPattern = `^[A-Za-z_][A-Za-z0-9_]*$`
)
