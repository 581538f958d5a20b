package generator

import (
	"fmt"
	"sort"
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// intermediate renders the models the reconciliations share: daily positions
// per system, the cost valid on each date, and each location's class with
// its tolerance.
func (r *renderer) intermediate(ch *checks) {
	if len(datedFeeds(r.estate)) > 0 {
		r.render("models/intermediate/"+rowCountsModel+".sql", "model.sql",
			dailyRowCounts(r.estate))
	}
	if systems := ch.systems(); len(systems) > 0 {
		r.render("models/intermediate/int_daily_positions.sql", "model.sql",
			dailyPositions(systems))
	}
	if ch.costs != nil {
		r.render("models/intermediate/dim_sku_cost.sql", "model.sql", skuCost(ch.costs))
	}
	if ch.locations != nil {
		r.render("models/intermediate/dim_locations.sql", "model.sql",
			locationsDim(ch.locations))
	}
}

// dailyPositions is int_daily_positions: the last on-hand each system
// reported per business date beside the movements it booked that day.
func dailyPositions(systems []*systemFeeds) modelView {
	v := modelView{
		Header: header(""),
		About: []string{
			"One row per system, SKU, location and business date: the on-hand the",
			"system reported at the end of the day and the movements it booked that",
			"day, in eaches, signed by their effect on on-hand.",
		},
	}

	var snapshots, moves []block
	for _, sf := range systems {
		for _, p := range sf.positions {
			snapshots = append(snapshots, snapshotBlock(sf.system, p))
		}
		for _, m := range sf.movements {
			moves = append(moves, movementBlock(sf.system, m))
		}
	}
	v.addNoted("snapshots", []string{"on-hand as each system reports it"}, snapshots...)
	v.add("ranked_snapshots", block{
		Select: []string{"snapshots.*,", "row_number() over (",
			"    partition by system, sku, location_id, business_date",
			"    order by reported_at desc",
			") as recency"},
		From: "snapshots",
	})
	v.addNoted("end_of_day", []string{"the last snapshot of each business date"}, block{
		Select: []string{"system,", "sku,", "location_id,", "business_date,", "on_hand"},
		From:   "ranked_snapshots",
		Tail:   []string{"where recency = 1"},
	})
	if len(moves) == 0 {
		v.Final = block{Select: append(keyColumns("end_of_day", ""), noMovements()...),
			From: "end_of_day"}
		return v
	}
	v.addNoted("movements", []string{"every movement of each system, in eaches"}, moves...)
	v.add("daily_movements", dailyMovementsBlock())
	v.Final = positionsJoin()
	return v
}

func snapshotBlock(system string, p *c.Contract) block {
	reportedAt := "cast(null as {{ dbt.type_timestamp() }}) as reported_at"
	if p.Has(c.RoleEventTime) {
		reportedAt = "event_time_utc as reported_at"
	}
	return block{
		Select: []string{sqlString(system) + " as system,", "sku,", "location_id,",
			"business_date,", "quantity as on_hand,", reportedAt},
		From: ref(stgName(p.Source)),
	}
}

func movementBlock(system string, m *c.Contract) block {
	return block{
		Select: []string{sqlString(system) + " as system,", "sku,", "location_id,",
			"business_date,", "movement_type,", "on_hand_effect"},
		From: ref(stgName(m.Source)),
	}
}

// movementColumns are the daily sums of int_daily_positions: receipts and
// shipments as positive quantities, adjustments and restocks signed.
var movementColumns = []struct {
	name, types, expr string
}{
	{"receipts", "'receipt', 'transfer_in'", "on_hand_effect"},
	{"shipments", "'shipment', 'transfer_out'", "-on_hand_effect"},
	{"adjustments", "'adjustment'", "on_hand_effect"},
	{"restocks", "'return_restock'", "on_hand_effect"},
}

func dailyMovementsBlock() block {
	sel := []string{"system,", "sku,", "location_id,", "business_date,"}
	for _, mc := range movementColumns {
		sum := summed("movement_type in ("+mc.types+")", mc.expr, mc.name)
		sel = append(sel, commaAfter(sum)...)
	}
	sel = append(sel, "sum(on_hand_effect) as net_movement,", "count(*) as movement_count")
	return block{Select: sel, From: "movements",
		Tail: []string{"group by system, sku, location_id, business_date"}}
}

func keyColumns(a, b string) []string {
	var out []string
	for _, k := range []string{"system", "sku", "location_id", "business_date"} {
		if b == "" {
			out = append(out, a+"."+k+",")
			continue
		}
		out = append(out, fmt.Sprintf("coalesce(%s.%s, %s.%s) as %s,", a, k, b, k, k))
	}
	return out
}

func noMovements() []string {
	out := []string{"on_hand,"}
	for _, mc := range movementColumns {
		out = append(out, "0 as "+mc.name+",")
	}
	return append(out, "0 as net_movement,", "0 as movement_count")
}

func positionsJoin() block {
	sel := keyColumns("end_of_day", "daily_movements")
	sel = append(sel, "end_of_day.on_hand,")
	for _, mc := range movementColumns {
		sel = append(sel, fmt.Sprintf("coalesce(daily_movements.%s, 0) as %s,", mc.name, mc.name))
	}
	sel = append(sel, "coalesce(daily_movements.net_movement, 0) as net_movement,",
		"coalesce(daily_movements.movement_count, 0) as movement_count")
	return block{Select: sel, From: "end_of_day", Tail: []string{
		"full outer join daily_movements",
		"    on end_of_day.system = daily_movements.system",
		"    and end_of_day.sku = daily_movements.sku",
		"    and end_of_day.location_id = daily_movements.location_id",
		"    and end_of_day.business_date = daily_movements.business_date",
	}}
}

// skuCost is dim_sku_cost: each cost with the dates it is valid for, so a
// break is valued at the cost of its own date.
func skuCost(costs *c.Contract) modelView {
	validFrom := "valid_from"
	if !costs.Has(c.RoleValidFrom) {
		validFrom = "cast('1900-01-01' as date)"
	}
	v := modelView{
		Header: header(""),
		About: []string{"One row per SKU and cost period: the unit cost of one each, valid " +
			"from", "valid_from up to the day before valid_to (open-ended when null)."},
	}
	v.add("costs", block{Select: []string{"sku,", "unit_cost,", validFrom + " as valid_from"},
		From: ref(stgName(costs.Source))})
	v.Final = block{Select: []string{"sku,", "unit_cost,", "valid_from,",
		"lead(valid_from) over (partition by sku order by valid_from) as valid_to"},
		From: "costs"}
	return v
}

// locationsDim is dim_locations: each location's class and the tolerance
// invgen.yml sets for it, falling back to the default class.
func locationsDim(locs *c.Contract) modelView {
	v := modelView{
		Header: header(""),
		About: []string{"One row per location: its class and the tolerance that applies " +
			"there,", "from invgen.yml through the invgen_tolerances seed."},
	}
	v.add("locations", block{Select: []string{"location_id,", "location_class"},
		From: ref(stgName(locs.Source))})
	v.add("tolerances", block{Select: []string{"*"}, From: ref(tolerancesSeed)})
	v.Final = block{
		Select: []string{"locations.location_id,", "locations.location_class,",
			"coalesce(classes.tolerance_qty, defaults.tolerance_qty) as tolerance_qty,",
			"coalesce(classes.tolerance_pct, defaults.tolerance_pct) as tolerance_pct"},
		From: "locations",
		Tail: []string{
			"left join tolerances as classes",
			"    on locations.location_class = classes.location_class",
			"left join tolerances as defaults",
			"    on defaults.location_class = " + sqlString(c.DefaultTolerance),
		},
	}
	return v
}

// tolerancesSeed holds invgen.yml's tolerances per location class.
const tolerancesSeed = "invgen_tolerances"

// tolerancesCSV renders the tolerances seed, classes sorted.
func tolerancesCSV(p c.Project) []byte {
	var b strings.Builder
	b.WriteString("location_class,tolerance_qty,tolerance_pct\n")
	for _, class := range sortedClasses(p) {
		t := p.Tolerances[class]
		fmt.Fprintf(&b, "%s,%s,%s\n", class, formatNumber(t.Qty), formatNumber(t.Pct))
	}
	return []byte(b.String())
}

func sortedClasses(p c.Project) []string {
	classes := make([]string, 0, len(p.Tolerances))
	for class := range p.Tolerances {
		classes = append(classes, class)
	}
	sort.Strings(classes)
	return classes
}
