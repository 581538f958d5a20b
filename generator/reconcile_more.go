package generator

import (
	"fmt"
	"slices"
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// parity is rec_erp_wms_parity: in each pair, the ERP's and the WMS's
// end-of-day on-hand must agree within the location class tolerance,
// wherever both report. With several pairs every row names its pair.
func parity(ch *checks) modelView {
	keys := parityKeys(ch)
	v := modelView{Header: header(""), About: parityAbout(ch.parity)}
	for _, side := range []string{"erp", "wms"} {
		var blocks []block
		for _, p := range ch.parity {
			blocks = append(blocks, paritySide(p, side, len(keys) > 0))
		}
		v.add(side, blocks...)
	}
	sharedSteps(&v, keys)
	v.add("compared", parityCompared(keys))
	v.add("valued", valuation(ch, "compared"))
	var cols []string
	for _, k := range keys {
		cols = append(cols, k+",")
	}
	cols = append(cols, "sku,", "location_id,", "location_class,", "business_date,",
		"erp_on_hand,", "wms_on_hand,", "wms_to_erp_ratio,")
	v.Final = breaks(CheckParity, cols, "abs(break_qty) > tolerance_qty")
	return v
}

// sharedSteps find the locations and dates both sides of a pair report,
// from their distinct values rather than a join of all their rows.
func sharedSteps(v *modelView, keys []string) {
	for _, col := range []string{"location_id", "business_date"} {
		for _, side := range []string{"erp", "wms"} {
			v.add(side+"_"+col+"s", block{
				Select: []string{"distinct " + strings.Join(append(slices.Clip(keys), col), ", ")},
				From:   side})
		}
	}
	v.addNoted("shared_locations", []string{"locations and dates both systems report"},
		sharedBlock(keys, "location_id"))
	v.add("shared_dates", sharedBlock(keys, "business_date"))
}

// parityKeys are the columns that say which pair a comparison belongs to:
// none for a single pair.
func parityKeys(ch *checks) []string {
	if len(ch.parity) < 2 {
		return nil
	}
	return []string{"erp_system", "wms_system"}
}

// parityAbout says what the parity model compares, naming the pairs.
func parityAbout(pairs []parityPair) []string {
	who := fmt.Sprintf("%s and %s", pairs[0].erp.system, pairs[0].wms.system)
	if len(pairs) > 1 {
		names := make([]string, len(pairs))
		for i, p := range pairs {
			names[i] = p.erp.system + " and " + p.wms.system
		}
		who = "in each pair (" + strings.Join(names, "; ") + ") both"
	}
	return wrap("ERP-WMS parity: "+who+" must report the same end-of-day on-hand, "+
		"within tolerance, at every location and date both report. A ratio equal to a "+
		"pack size points at a unit of measure drift.", 76)
}

// paritySide is one side's end-of-day on-hand in one pair.
func paritySide(p parityPair, side string, named bool) block {
	system := p.erp.system
	if side == "wms" {
		system = p.wms.system
	}
	var sel []string
	if named {
		sel = []string{sqlString(p.erp.system) + " as erp_system,",
			sqlString(p.wms.system) + " as wms_system,"}
	}
	return block{
		Select: append(sel, "sku,", "location_id,", "business_date,", "on_hand"),
		From:   ref("int_daily_positions"),
		Tail: []string{"where system = " + sqlString(system),
			"    and on_hand is not null"},
	}
}

// sharedBlock is the values of col both sides of a pair report.
func sharedBlock(keys []string, col string) block {
	erp, wms := "erp_"+col+"s", "wms_"+col+"s"
	var sel []string
	for _, k := range keys {
		sel = append(sel, erp+"."+k+",")
	}
	return block{Select: append(sel, erp+"."+col), From: erp,
		Tail: append([]string{"inner join " + wms}, joinOn(erp, wms, append(slices.Clip(keys),
			col))...)}
}

// joinOn is a join condition of equal columns, one per line.
func joinOn(a, b string, cols []string) []string {
	conds := make([]string, len(cols))
	for i, col := range cols {
		conds[i] = a + "." + col + " = " + b + "." + col
	}
	return onLines(conds)
}

// onLines lays conditions out as a join's on clause.
func onLines(conds []string) []string {
	out := make([]string, len(conds))
	for i, cond := range conds {
		word := "    and "
		if i == 0 {
			word = "    on "
		}
		out[i] = word + cond
	}
	return out
}

// parityCompared sets each side of a pair beside the other, at the
// locations and dates both report.
func parityCompared(keys []string) block {
	var sel []string
	for _, k := range keys {
		sel = append(sel, fmt.Sprintf("coalesce(erp.%s, wms.%s) as %s,", k, k, k))
	}
	sel = append(sel,
		"coalesce(erp.sku, wms.sku) as sku,",
		"coalesce(erp.location_id, wms.location_id) as location_id,",
		"coalesce(erp.business_date, wms.business_date) as business_date,",
		"erp.on_hand as erp_on_hand,",
		"wms.on_hand as wms_on_hand,",
		"case when erp.on_hand <> 0 then wms.on_hand / erp.on_hand end as wms_to_erp_ratio,",
		"coalesce(erp.on_hand, 0) as expected_qty,",
		"coalesce(wms.on_hand, 0) as actual_qty,",
		"coalesce(wms.on_hand, 0) - coalesce(erp.on_hand, 0) as break_qty",
	)
	tail := append([]string{"full outer join wms"}, joinOn("erp", "wms",
		append(slices.Clip(keys), "sku", "location_id", "business_date"))...)
	for _, shared := range []struct{ name, col string }{{"shared_locations", "location_id"},
		{"shared_dates", "business_date"}} {
		var conds []string
		for _, col := range append(slices.Clip(keys), shared.col) {
			conds = append(conds, fmt.Sprintf("%s.%s = coalesce(erp.%s, wms.%s)",
				shared.name, col, col, col))
		}
		tail = append(append(tail, "inner join "+shared.name), onLines(conds)...)
	}
	return block{Select: sel, From: "erp", Tail: tail}
}

// honesty is rec_storefront_honesty: what the storefront shows may not
// exceed the latest available-to-promise at or before the moment it showed
// it. The latest ATP is carried forward over one time-ordered scan.
func honesty(ch *checks) modelView {
	v := modelView{
		Header: header(""),
		About: []string{
			"Storefront honesty: availability shown must not exceed the latest",
			"available-to-promise at or before the moment it was shown. Every row is",
			"oversell exposure a customer can act on.",
		},
	}
	var events []block
	for _, p := range ch.honesty {
		events = append(events, shownEvents(p), promisedEvents(p))
	}
	v.addNoted("events", []string{"what was shown and what could be promised, in one " +
		"timeline"}, events...)
	const part = "partition by availability_source, atp_source, sku, location_id"
	v.addNoted("sequenced", []string{"each event numbered by the ATP snapshots before it; " +
		"an ATP at", "the same instant as a showing counts as before it"}, block{
		Select: []string{"events.*,", "sum(1 - is_shown) over (",
			"    " + part, "    order by event_at, is_shown",
			"    rows between unbounded preceding and current row",
			") as atp_sequence"},
		From: "events",
	})
	v.add("carried", block{
		Select: selectLines([][]string{{"sequenced.*"},
			windowed("max(atp_qty)", part+", atp_sequence", "latest_atp"),
			windowed("max(case when is_shown = 0 then event_at end)", part+", atp_sequence",
				"atp_at")}),
		From: "sequenced",
	})
	v.add("compared", block{
		Select: []string{"availability_source,", "atp_source,", "sku,", "location_id,",
			"business_date,", "event_at as shown_at,", "atp_at,",
			"coalesce(latest_atp, 0) as expected_qty,", "shown_qty as actual_qty,",
			"shown_qty - coalesce(latest_atp, 0) as break_qty"},
		From: "carried",
		Tail: []string{"where is_shown = 1"},
	})
	v.add("valued", valuation(ch, "compared"))
	v.Final = breaks(CheckHonesty, []string{"availability_source,", "atp_source,", "sku,",
		"location_id,", "location_class,", "business_date,", "shown_at,", "atp_at,"},
		"break_qty > tolerance_qty")
	return v
}

// timeColumn is the clock both sides of an honesty pair are compared on:
// UTC, unless the ATP feed states only business dates, in which case both
// use local time and the ATP counts from the start of its date.
func timeColumns(p honestyPair) (shown, promised string) {
	if p.atp.Has(c.RoleEventTime) {
		return "event_time_utc", "event_time_utc"
	}
	return "event_time", "cast(business_date as {{ dbt.type_timestamp() }})"
}

func shownEvents(p honestyPair) block {
	shown, _ := timeColumns(p)
	return block{
		Select: []string{sqlString(p.availability.Source) + " as availability_source,",
			sqlString(p.atp.Source) + " as atp_source,", "sku,", "location_id,",
			"business_date,", shown + " as event_at,", "1 as is_shown,",
			"quantity as shown_qty,", "cast(null as {{ dbt.type_numeric() }}) as atp_qty"},
		From: ref(stgName(p.availability.Source)),
	}
}

func promisedEvents(p honestyPair) block {
	_, promised := timeColumns(p)
	return block{
		Select: []string{sqlString(p.availability.Source) + " as availability_source,",
			sqlString(p.atp.Source) + " as atp_source,", "sku,", "location_id,",
			"business_date,", promised + " as event_at,", "0 as is_shown,",
			"cast(null as {{ dbt.type_numeric() }}) as shown_qty,", "quantity as atp_qty"},
		From: ref(stgName(p.atp.Source)),
	}
}

// returns is rec_returns_closure: every refunded unit must reach a
// disposition (restock, scrap or lost) within the grace period.
func returns(ch *checks) modelView {
	v := modelView{
		Header: header(""),
		About: []string{
			"Returns closure: every refunded unit must reach a disposition (restock,",
			"scrap or lost) within the grace period. A break is a refund past grace",
			"with units that no disposition accounts for: returns limbo.",
		},
	}
	var refunds, dispositions []block
	seen := map[*c.Contract]bool{}
	for _, p := range ch.returns {
		if !seen[p.refunds] {
			refunds = append(refunds, refundBlock(p))
			seen[p.refunds] = true
		}
		dispositions = append(dispositions, dispositionBlock(p))
	}
	v.add("refunds", refunds...)
	v.addNoted("dispositions", []string{"every disposition, beside the refunds it may close"},
		dispositions...)
	v.add("disposed", block{
		Select: []string{"refund_source,", "refund_id,", "sum(quantity) as disposed_qty"},
		From:   "dispositions",
		Tail:   []string{"group by refund_source, refund_id"},
	})
	v.add("compared", block{
		Select: []string{"refunds.*,",
			"coalesce(disposed.disposed_qty, 0) as disposed_qty,",
			"refunds.refunded_qty as expected_qty,",
			"coalesce(disposed.disposed_qty, 0) as actual_qty,",
			"refunds.refunded_qty - coalesce(disposed.disposed_qty, 0) as break_qty"},
		From: "refunds",
		Tail: append([]string{"left join disposed",
			"    on refunds.refund_source = disposed.refund_source",
			"    and refunds.refund_id = disposed.refund_id",
		}, jinjaCall("where refunds.business_date < ", "dbt.dateadd('day', "+
			"-1 * var('invgen_returns_grace_days'), invgen_as_of_date())", "")...),
	})
	v.add("valued", valuation(ch, "compared"))
	v.Final = breaks(CheckReturns, []string{"refund_source,", "refund_id,", "sku,",
		"location_id,", "location_class,", "business_date,", "refunded_at,", "refunded_qty,",
		"disposed_qty,"}, "break_qty > tolerance_qty")
	return v
}

func refundBlock(p returnsPair) block {
	loc := "cast(null as {{ dbt.type_string() }}) as location_id,"
	if p.refunds.Has(c.RoleLocationID) {
		loc = "location_id,"
	}
	return block{
		Select: []string{sqlString(p.refunds.Source) + " as refund_source,",
			"cast(refund_id as {{ dbt.type_string() }}) as refund_id,", "sku,", loc,
			"business_date,", "event_time_utc as refunded_at,", "quantity as refunded_qty"},
		From: ref(stgName(p.refunds.Source)),
	}
}

// dispositionBlock is every disposition of one pair, as its refunds
// source will be matched with it.
func dispositionBlock(p returnsPair) block {
	return block{
		Select: []string{sqlString(p.refunds.Source) + " as refund_source,",
			"cast(refund_id as {{ dbt.type_string() }}) as refund_id,", "quantity"},
		From: ref(stgName(p.dispositions.Source)),
	}
}

// controlTotals is rec_control_totals: each feed's rows per business date,
// counted once per idempotency key as the producer exported them, against
// the producer's own control total and the contract's minimum ratio.
func controlTotals(ch *checks) modelView {
	v := modelView{
		Header: header(""),
		About: []string{
			"Control totals: the rows received per business date, counted once per",
			"idempotency key, against the producer's own count. A shortfall below the",
			"contract's min_ratio is a partial extract.",
		},
	}
	v.add("received", block{Select: []string{"*"}, From: ref(rowCountsModel)})
	var compared []block
	for _, p := range ch.control {
		compared = append(compared, controlCompared(p))
	}
	v.add("compared", compared...)
	v.add("valued", block{
		Select: []string{"compared.*,", "cast(null as {{ dbt.type_string() }}) as location_class,",
			"expected_qty * (1 - min_ratio) as tolerance_qty,",
			"cast(null as {{ dbt.type_numeric() }}) as unit_cost,",
			"cast(null as {{ dbt.type_numeric() }}) as break_value"},
		From: "compared"})
	v.Final = breaks(CheckControlTotals, []string{"source_name,", "control_source,",
		"business_date,", "min_ratio,"}, "actual_qty < expected_qty * min_ratio")
	return v
}

func controlCompared(p controlPair) block {
	return block{
		Select: []string{sqlString(p.checked.Source) + " as source_name,",
			sqlString(p.control.Source) + " as control_source,",
			"controls.business_date,", formatNumber(p.ratio) + " as min_ratio,",
			"controls.row_count as expected_qty,",
			"coalesce(received.row_count, 0) as actual_qty,",
			"coalesce(received.row_count, 0) - controls.row_count as break_qty"},
		From: ref(stgName(p.control.Source)) + " as controls",
		Tail: []string{"left join received",
			"    on received.source_name = " + sqlString(p.checked.Source),
			"    and controls.business_date = received.business_date"},
	}
}

// rowCountsModel counts each dated feed's rows per business date.
const rowCountsModel = "int_daily_row_counts"

// dailyRowCounts is int_daily_row_counts: every raw row received per feed
// and business date, quarantined or not, counted once per idempotency key
// as the producer exported it. Control totals and the volume monitor read it.
func dailyRowCounts(e *c.Estate) modelView {
	v := modelView{
		Header: header(""),
		About: []string{
			"One row per dated feed and business date: the rows received, counted once",
			"per idempotency key, quarantined or not.",
		},
	}
	var counts []block
	for _, con := range datedFeeds(e) {
		keyed := "keys_" + con.Source
		v.add(keyed, block{Select: []string{"distinct " + receivedKey(con)},
			From: ref(baseName(con.Source)), Tail: []string{"where business_date is not null"}})
		counts = append(counts, block{
			Select: []string{sqlString(con.Source) + " as source_name,", "business_date,",
				"count(*) as row_count"},
			From: keyed, Tail: []string{"group by business_date"}})
	}
	v.add("counted", counts...)
	v.Final = block{Select: []string{"*"}, From: "counted"}
	return v
}

// datedFeeds are the contracts whose rows have a business date.
func datedFeeds(e *c.Estate) []*c.Contract {
	var out []*c.Contract
	for _, con := range e.Contracts {
		if con.Has(c.RoleEventTime) || con.Has(c.RoleBusinessDate) {
			out = append(out, con)
		}
	}
	return out
}

// receivedKey lists what makes a received row distinct: its idempotency
// key, or every column of the base model when it has none.
func receivedKey(con *c.Contract) string {
	if len(con.Semantics.IdempotencyKey) == 0 {
		return "*"
	}
	cols := []string{"business_date"}
	for _, k := range con.Semantics.IdempotencyKey {
		a := alias(con, columnNamed(con, k))
		if !slices.Contains(cols, a) {
			cols = append(cols, a)
		}
	}
	return strings.Join(cols, ", ")
}
