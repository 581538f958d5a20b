package generator

import (
	c "github.com/invgen/invgen/contracts"
)

// Check names, as break rows and tests carry them.
const (
	CheckConservation  = "movement_conservation"
	CheckParity        = "erp_wms_parity"
	CheckHonesty       = "storefront_honesty"
	CheckReturns       = "returns_closure"
	CheckControlTotals = "control_totals"
)

// recName is the model of a check.
func recName(check string) string { return "rec_" + check }

// breakColumns close every reconciliation's select list, in this order, so
// the ledger can union them.
var breakColumns = []string{"expected_qty,", "actual_qty,", "break_qty,", "tolerance_qty,",
	"unit_cost,", "break_value"}

// valuation adds to a compared step the location's class, the tolerance
// that applies there and the break's value at the cost of its own date.
// Every check takes the tolerance of the location's class, looked up as
// dim_locations has it; a row with no location, or an estate with no
// locations feed, takes the default.
func valuation(ch *checks, from string) block {
	sel := []string{from + ".*,"}
	var tail []string
	qty, pct := "defaults.tolerance_qty", "defaults.tolerance_pct"
	if ch.locations != nil {
		sel = append(sel, "locations.location_class,")
		tail = append(tail, "left join "+ref("dim_locations")+" as locations",
			"    on "+from+".location_id = locations.location_id")
		qty = "coalesce(locations.tolerance_qty, defaults.tolerance_qty)"
		pct = "coalesce(locations.tolerance_pct, defaults.tolerance_pct)"
	} else {
		sel = append(sel, "cast(null as {{ dbt.type_string() }}) as location_class,")
	}
	sel = append(sel, commaAfter(tolerance(qty, pct, from+".expected_qty"))...)
	tail = append(tail, "left join "+ref(tolerancesSeed)+" as defaults",
		"    on defaults.location_class = "+sqlString(c.DefaultTolerance))

	if ch.costs == nil {
		sel = append(sel, "cast(null as {{ dbt.type_numeric() }}) as unit_cost,",
			"cast(null as {{ dbt.type_numeric() }}) as break_value")
		return block{Select: sel, From: from, Tail: tail}
	}
	sel = append(sel, "costs.unit_cost,", from+".break_qty * costs.unit_cost as break_value")
	tail = append(tail, "left join "+ref("dim_sku_cost")+" as costs",
		"    on "+from+".sku = costs.sku",
		"    and "+from+".business_date >= costs.valid_from",
		"    and (costs.valid_to is null or "+from+".business_date < costs.valid_to)")
	return block{Select: sel, From: from, Tail: tail}
}

// breaks is the final select of a reconciliation: its own columns, then the
// break columns, for the rows outside tolerance.
func breaks(check string, columns []string, condition string) block {
	sel := append([]string{sqlString(check) + " as check_name,"}, columns...)
	return block{Select: append(sel, breakColumns...), From: "valued",
		Tail: []string{"where " + condition}}
}

// systemList renders systems as a SQL list.
func systemList(systems []*systemFeeds) string {
	out := ""
	for i, sf := range systems {
		if i > 0 {
			out += ", "
		}
		out += sqlString(sf.system)
	}
	return out
}

// conservation is rec_movement_conservation: each reported on-hand must
// equal the previous reported on-hand plus the movements booked since.
// It takes one scan with windows unless invgen.yml asks for the self-join
// on the previous date.
func conservation(ch *checks, selfJoin bool) modelView {
	v := modelView{
		Header: header(""),
		About: []string{
			"Movement conservation: yesterday's on-hand plus today's signed movements",
			"must equal today's on-hand, per system, SKU, location and business date.",
			"A lost movement or a double-post leaves a break of exactly its quantity.",
		},
	}
	if selfJoin {
		conservationSelfJoin(&v, ch)
	} else {
		conservationWindow(&v, ch)
	}
	v.add("valued", valuation(ch, "compared"))
	v.Final = breaks(CheckConservation, []string{"system,", "sku,", "location_id,",
		"location_class,", "business_date,", "previous_date,", "previous_on_hand,",
		"movements_since,"}, "abs(break_qty) > tolerance_qty")
	return v
}

const conservationPartition = "partition by system, sku, location_id order by business_date"

func conservationWindow(v *modelView, ch *checks) {
	v.add("daily", block{
		Select: []string{"system,", "sku,", "location_id,", "business_date,", "on_hand,",
			"sum(net_movement) over (",
			"    " + conservationPartition,
			"    rows between unbounded preceding and current row",
			") as cumulative_movement"},
		From: ref("int_daily_positions"),
		Tail: []string{"where system in (" + systemList(ch.conservation) + ")"},
	})
	v.addNoted("positioned", []string{"each reported on-hand beside the one before it " +
		"and the movements since"}, block{
		Select: selectLines([][]string{{"system"}, {"sku"}, {"location_id"},
			{"business_date"}, {"on_hand"},
			windowed("lag(business_date)", conservationPartition, "previous_date"),
			windowed("lag(on_hand)", conservationPartition, "previous_on_hand"),
			windowed("cumulative_movement - lag(cumulative_movement)", conservationPartition,
				"movements_since")}),
		From: "daily",
		Tail: []string{"where on_hand is not null"},
	})
	v.add("compared", comparedConservation("positioned"))
}

func comparedConservation(from string) block {
	return block{
		Select: []string{from + ".*,", "previous_on_hand + movements_since as expected_qty,",
			"on_hand as actual_qty,",
			"on_hand - (previous_on_hand + movements_since) as break_qty"},
		From: from,
		Tail: []string{"where previous_on_hand is not null"},
	}
}

func conservationSelfJoin(v *modelView, ch *checks) {
	v.add("positions", block{Select: []string{"*"}, From: ref("int_daily_positions"),
		Tail: []string{"where system in (" + systemList(ch.conservation) + ")",
			"    and on_hand is not null"}})
	v.addNoted("positioned", []string{"each on-hand beside the day before's"}, block{
		Select: []string{"today.system,", "today.sku,", "today.location_id,",
			"today.business_date,", "today.on_hand,", "yesterday.business_date as previous_date,",
			"yesterday.on_hand as previous_on_hand,", "today.net_movement as movements_since"},
		From: "positions as today",
		Tail: []string{"inner join positions as yesterday",
			"    on today.system = yesterday.system",
			"    and today.sku = yesterday.sku",
			"    and today.location_id = yesterday.location_id",
			"    and yesterday.business_date = " +
				"{{ dbt.dateadd('day', -1, 'today.business_date') }}"},
	})
	v.add("compared", comparedConservation("positioned"))
}
