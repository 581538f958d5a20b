package generator

import (
	"fmt"
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// stagingPlan is what a contract's staging models compute, decided once and
// shared by the base, staging and quarantine models and their YAML.
type stagingPlan struct {
	contract   *c.Contract
	renamed    [][]string // select items: each item is one or more lines
	mapped     [][]string
	conversion *conversionView
	derived    [][]string
	checks     []checkView
	effect     []string // the on-hand effect item, for movements
	key        []string // idempotency key, as canonical names
	order      []string // the tie-break order among duplicates
	columns    []stagedColumn
}

type conversionView struct {
	Ref      string
	Factor   string
	UOMMatch string
}

type checkView struct {
	Condition string
	Reason    string
}

// stagedColumn is one column of the staging model, with its documentation.
type stagedColumn struct {
	name string
	doc  string
}

func planStaging(e *c.Estate, con *c.Contract) *stagingPlan {
	p := &stagingPlan{contract: con}
	p.rename()
	p.mapCodes()
	p.convert(e)
	p.derive()
	p.check()
	p.dedupe()
	p.columns = stagedColumns(con, p.conversion != nil)
	return p
}

// alias is the name a raw column takes in the staging models.
func alias(con *c.Contract, col c.Column) string {
	switch {
	case col.Role == "":
		return strings.ToLower(col.Name)
	case col.Role == c.RoleQuantity:
		return "quantity_reported"
	case col.Role.Coded():
		return string(col.Role) + "_code"
	case col.Role == c.RoleEventTime && con.Basis() == c.BasisUTC:
		return "event_time_utc"
	}
	return string(col.Role)
}

func (p *stagingPlan) rename() {
	for _, col := range p.contract.Columns {
		t, _ := c.ParseType(col.Type) // validated by contracts.Load
		expr := fmt.Sprintf("cast(%s as %s) as %s", rawColumn(col.Name), castType(t),
			alias(p.contract, col))
		p.renamed = append(p.renamed, []string{expr})
	}
}

// rawColumn names a raw column in SQL. A name with upper-case letters was
// created quoted by its loader, so it is quoted the adapter's way: unquoted,
// PostgreSQL folds it to lower case and Snowflake to upper case.
func rawColumn(name string) string {
	if strings.ToLower(name) == name {
		return name
	}
	return "{{ adapter.quote(" + jinjaString(name) + ") }}"
}

// castType is the portable spelling of a contract type: dbt's cross-database
// type macros where they exist, and the SQL-standard name elsewhere.
func castType(t c.Type) string {
	switch t.Base {
	case "string":
		return "{{ dbt.type_string() }}"
	case "integer":
		return "{{ dbt.type_int() }}"
	case "bigint":
		return "{{ dbt.type_bigint() }}"
	case "decimal":
		if t.Precision == 0 {
			return "{{ dbt.type_numeric() }}"
		}
		return fmt.Sprintf("decimal(%d, %d)", t.Precision, t.Scale)
	case "float":
		return "{{ invgen_type_double() }}"
	case "boolean":
		return "{{ dbt.type_boolean() }}"
	case "timestamp":
		return "{{ dbt.type_timestamp() }}"
	}
	return t.Base
}

func (p *stagingPlan) mapCodes() {
	con := p.contract
	for _, col := range con.Columns {
		if col.Role.Coded() {
			p.mapped = append(p.mapped, codeMap(col))
		}
	}
	if con.Has(c.RoleQuantity) && con.UOM() != "" {
		p.mapped = append(p.mapped, []string{sqlString(con.UOM()) + " as uom"})
	}
	if item := timeConversion(con); item != "" {
		p.mapped = append(p.mapped, []string{item})
	}
}

// codeMap translates producer codes to canonical values; a code the contract
// does not list maps to null, which the checks quarantine.
func codeMap(col c.Column) []string {
	name := string(col.Role)
	if len(col.Values) == 0 {
		return []string{name + "_code as " + name}
	}
	lines := []string{"case " + name + "_code"}
	for _, code := range col.Codes() {
		lines = append(lines, fmt.Sprintf("    when %s then %s", sqlString(code.Code),
			sqlString(code.Value)))
	}
	return append(lines, "end as "+name)
}

// timeConversion derives whichever of local time and UTC the producer does
// not state, through the dispatched timezone macros.
func timeConversion(con *c.Contract) string {
	if !con.Has(c.RoleEventTime) {
		return ""
	}
	tz := con.Semantics.Timezone
	if con.Basis() == c.BasisUTC {
		if tz == "UTC" {
			return "event_time_utc as event_time"
		}
		return call("invgen_local_time", "event_time_utc", tz) + " as event_time"
	}
	if tz == "UTC" {
		return "event_time as event_time_utc"
	}
	return call("invgen_utc_time", "event_time", tz) + " as event_time_utc"
}

// convert joins the per-SKU pack sizes when quantities can arrive in a unit
// other than eaches.
func (p *stagingPlan) convert(e *c.Estate) {
	con := p.contract
	if !con.Has(c.RoleQuantity) || con.UOM() == c.UOMEaches {
		return
	}
	convs := e.ByFeed(c.FeedUOMConversions)
	if len(convs) == 0 {
		return // contracts.Load refuses this estate
	}

	view := &conversionView{Ref: ref(stgName(convs[0].Source))}
	if con.UOM() != "" {
		view.Factor = "conversions.each_per_uom"
		view.UOMMatch = "conversions.uom = " + sqlString(con.UOM())
	} else {
		view.Factor = "case when mapped.uom = 'eaches' then 1 else conversions.each_per_uom end"
		view.UOMMatch = "mapped.uom = conversions.uom"
	}
	p.conversion = view
}

func (p *stagingPlan) derive() {
	con := p.contract
	if con.Has(c.RoleQuantity) {
		q := "quantity_reported as quantity"
		if p.conversion != nil {
			q = "quantity_reported * each_per_uom as quantity"
		}
		p.derived = append(p.derived, []string{q})
	}

	if con.Has(c.RoleEventTime) && !con.Has(c.RoleBusinessDate) {
		p.derived = append(p.derived, []string{businessDate(con) + " as business_date"})
	}

	if con.Feed == c.FeedMovements {
		p.effect = onHandEffect(con)
	}
}

// businessDate is the local calendar date of the event.
func businessDate(con *c.Contract) string {
	if con.Basis() == c.BasisLocal || con.Semantics.Timezone == "UTC" {
		return "cast(event_time as date)"
	}
	return call("invgen_business_date", "event_time_utc", con.Semantics.Timezone)
}

// onHandEffect signs each movement's quantity by what it does to on-hand:
// receipts and restocks add, shipments subtract, adjustments carry the sign
// the contract says the producer uses.
func onHandEffect(con *c.Contract) []string {
	lines := []string{"case movement_type"}
	for _, mt := range producedMovementTypes(con) {
		sign := c.MovementEffect(mt)
		if mt == c.MoveAdjustment {
			sign = 1
			if con.Semantics.AdjustmentSign == c.SignInverted {
				sign = -1
			}
		}
		lines = append(lines, fmt.Sprintf("    when %s then %d", sqlString(mt), sign))
	}
	return append(lines, "end * quantity as on_hand_effect")
}

// producedMovementTypes lists the canonical types the contract can yield, in
// the canonical order.
func producedMovementTypes(con *c.Contract) []string {
	col, _ := con.Column(c.RoleMovementType)
	if len(col.Values) == 0 {
		return c.MovementTypes()
	}
	var out []string
	for _, mt := range c.MovementTypes() {
		for _, v := range col.Values {
			if v == mt {
				out = append(out, mt)
				break
			}
		}
	}
	return out
}
