package generator

import (
	c "github.com/invgen/invgen/contracts"
)

// shrinkageMonitor is mon_shrinkage_drift: each location's losses by
// adjustment on the evaluated date against mean + sigma standard deviations
// of its daily losses. It judges quantity, in eaches: every loss counts,
// whether or not its SKU has a cost, and a repricing does not read as a
// shift. Where the estate has costs, the losses are valued beside it, with
// the quantity no cost values said apart, so that no loss drops out of the
// value unseen. The mean is rounded as mon_adjustment_mean's is.
func shrinkageMonitor(ch *checks, moves []*c.Contract) *monitor {
	about := "Shrinkage drift: each location's losses booked as adjustments on the " +
		"evaluated date, in eaches, against the mean plus sigma standard deviations of " +
		"its daily losses over the baseline window. Only a rise alerts."
	if ch.costs != nil {
		about += " shrinkage_value values the losses at the cost valid on the day; " +
			"uncosted_qty is the part of shrinkage_qty whose SKU has no cost then, which " +
			"the value leaves out."
	}
	v := monitorView(wrap(about+" "+trainingNote, 80)...)
	adjustmentsCTE(&v, moves)
	sums := [][]string{{"adjustments.location_id"}, {"adjustments.business_date"},
		summed("on_hand_effect < 0", "-on_hand_effect", "shrinkage_qty")}
	var tail, valued []string
	if ch.costs != nil {
		sums = append(sums, summed("on_hand_effect < 0", "-on_hand_effect * costs.unit_cost",
			"shrinkage_value"), summed("on_hand_effect < 0 and costs.unit_cost is null",
			"-on_hand_effect", "uncosted_qty"))
		tail = []string{"left join " + ref("dim_sku_cost") + " as costs",
			"    on adjustments.sku = costs.sku",
			"    and adjustments.business_date >= costs.valid_from",
			"    and (costs.valid_to is null or adjustments.business_date < costs.valid_to)"}
		valued = []string{"daily.shrinkage_value,", "daily.uncosted_qty,"}
	}
	v.add("daily", block{
		Select: selectLines(sums),
		From:   "adjustments",
		Tail:   append(tail, "group by adjustments.location_id, adjustments.business_date"),
	})
	v.add("baseline", block{
		Select: []string{"location_id,", "count(*) as history_days,",
			"round(avg(shrinkage_qty), 6) as baseline_mean,",
			"coalesce(stddev_samp(shrinkage_qty), 0) as baseline_stddev"},
		From: "daily",
		Tail: append(inBaseline("business_date"), "group by location_id"),
	})
	v.Final = block{
		Select: append(append(append([]string{"daily.location_id,", "daily.business_date,",
			"daily.shrinkage_qty,"}, valued...), "baseline.baseline_mean,",
			"baseline.baseline_stddev,", "coalesce(baseline.history_days, 0) as history_days,"),
			baselineStatus("baseline.history_days", "daily.shrinkage_qty",
				"> baseline.baseline_mean"+
					" + {{ var('invgen_sigma') }} * baseline.baseline_stddev")...),
		From: "daily",
		Tail: []string{"left join baseline on daily.location_id = baseline.location_id",
			"where daily.business_date = " + evaluated},
	}
	return &monitor{name: MonitorShrinkage, view: v, tier: TierDigest,
		feeds: moves, target: moves[0].Source,
		about: "Daily shrinkage per location, in eaches, against mean + sigma·σ of its " +
			"history."}
}

// flatlineModel holds the flatline monitor's rows. mon_flatline selects
// them; the ledger reads this model, which no failing test stands above.
const flatlineModel = "int_on_hand_flatlines"

// flatlineMonitor is mon_flatline: an on-hand unchanged since a date more
// than flatline_days before the evaluated date while any system ships that
// SKU from that location. It looks healthy everywhere else, which makes it
// the deadliest pattern. The run of equal values may skip days the system
// did not report: a frozen feed that also misses a day is still frozen.
func (r *renderer) flatlineMonitor(ch *checks) *monitor {
	frozen := frozenCandidate(ch)
	if frozen == nil {
		r.notSupported([]string{MonitorFlatline}, "no system's on-hand is reconciled")
		return nil
	}
	var moves []*c.Contract
	for _, sf := range ch.systems() {
		moves = append(moves, sf.movements...)
	}
	if len(stating(moves, c.MoveShipment)) == 0 {
		r.notSupported([]string{MonitorFlatline}, "no movements feed of a reconciled "+
			"system states shipments, and an on-hand nothing ships from is idle, not frozen")
		return nil
	}
	v := monitorView("Flatline: an on-hand a system has reported unchanged since a date more",
		"than flatline_days before the evaluated date (a day it did not report does not",
		"end the run) while any system shipped that SKU from that location in the",
		"flatline_days days ending on the evaluated date: the ERP frozen while the WMS ships.")
	flatlineRuns(&v)
	v.add("shipped", block{
		Select: []string{"sku,", "location_id,", "sum(shipments) as shipped_qty"},
		From:   ref("int_daily_positions"),
		Tail: []string{"where business_date > " + flatlineStart,
			"    and business_date <= " + evaluated, "group by sku, location_id"}})
	v.add("coverage", block{
		Select: []string{"system,", "min(business_date) as first_reported_date"},
		From:   "reported", Tail: []string{"group by system"}})
	v.Final = block{
		Select: append([]string{"latest.system,", "latest.sku,", "latest.location_id,",
			evaluated + " as business_date,", "latest.on_hand,", "runs.unchanged_since,",
			"latest.last_reported_date,", "shipped.shipped_qty,",
			"coverage.first_reported_date,"}, flatlineStatus()...),
		From: "latest",
		Tail: append(append([]string{"inner join runs"}, joinOn("latest", "runs",
			stockKeys)...), "inner join coverage on latest.system = coverage.system",
			"left join shipped", "    on latest.sku = shipped.sku",
			"    and latest.location_id = shipped.location_id",
			"where latest.last_reported_date >= "+flatlineStart),
	}
	var feeds []*c.Contract
	for _, sf := range ch.systems() {
		feeds = append(append(feeds, sf.positions...), sf.movements...)
	}
	return &monitor{name: MonitorFlatline, view: v, tier: TierTicket, feeds: feeds,
		intermediate: flatlineModel,
		target:       frozen.Source,
		about:        "On-hand unchanged for more than flatline_days while the SKU ships."}
}

// flatlineStart is flatline_days before the evaluated date: an on-hand
// unchanged since a date before it has been unchanged for more than
// flatline_days, and the shipments after it are those of the flatline_days
// days ending on the evaluated date.
const flatlineStart = "{{ invgen_window_start(var('invgen_flatline_days')) }}"

// stockKeys name a SKU-location of one book, as int_daily_positions keys it.
var stockKeys = []string{"system", "sku", "location_id"}

// flatlineRuns adds the steps that find since when each reported on-hand
// has been what it is: the last report, the last report of another value,
// and the first report after that. Plain aggregates, no windows, so that
// every warehouse runs it alike.
func flatlineRuns(v *modelView) {
	v.add("reported", block{
		Select: []string{"system,", "sku,", "location_id,", "business_date,", "on_hand"},
		From:   ref("int_daily_positions"),
		Tail:   []string{"where on_hand is not null", "    and business_date <= " + evaluated}})
	v.add("last_reports", block{
		Select: []string{"system,", "sku,", "location_id,",
			"max(business_date) as last_reported_date"},
		From: "reported", Tail: []string{"group by system, sku, location_id"}})
	v.addNoted("latest", []string{"the on-hand judged: each SKU-location's last report"},
		block{
			Select: []string{"reported.*,", "last_reports.last_reported_date"},
			From:   "reported",
			Tail: append(append([]string{"inner join last_reports"}, joinOn("reported",
				"last_reports", stockKeys)...),
				"    and reported.business_date = last_reports.last_reported_date"),
		})
	v.add("changes", block{
		Select: append(append([]string{"latest.system,", "latest.sku,", "latest.location_id,",
			"max("}, indent(caseLines([]when{{cond: []string{"reported.on_hand <> latest.on_hand"},
			then: "reported.business_date"}}, "", ""))...), ") as last_other_date"),
		From: "latest",
		Tail: append(append([]string{"inner join reported"}, joinOn("latest", "reported",
			stockKeys)...), "group by latest.system, latest.sku, latest.location_id"),
	})
	v.addNoted("runs", []string{"the first report of the value judged since another " +
		"was last reported"}, block{
		Select: []string{"changes.system,", "changes.sku,", "changes.location_id,",
			"min(reported.business_date) as unchanged_since"},
		From: "changes",
		Tail: append(append([]string{"inner join reported"}, joinOn("changes", "reported",
			stockKeys)...),
			"where changes.last_other_date is null",
			"    or reported.business_date > changes.last_other_date",
			"group by changes.system, changes.sku, changes.location_id"),
	})
}

// flatlineStatus judges a SKU-location's on-hand: too short a history of
// its system to tell, or unchanged since before the window while the SKU
// ships.
func flatlineStatus() []string {
	return caseLines([]when{
		{[]string{"coverage.first_reported_date >= " + flatlineStart}, statusInsufficient},
		{[]string{"runs.unchanged_since < " + flatlineStart,
			"and shipped.shipped_qty > 0"}, statusAlert},
	}, statusOK, "status")
}

// staleMonitor is mon_stale_availability: storefront showings on the
// evaluated date promised from an available-to-promise older than the
// availability contract's freshness SLA. Only an ATP stated with its time
// has an age; one stated by date only is not judged.
func (r *renderer) staleMonitor(ch *checks, compares map[string]bool) *monitor {
	if !compares["int_availability_against_atp"] {
		r.notSupported([]string{MonitorStale}, "no storefront availability is held to "+
			"an available-to-promise")
		return nil
	}
	timed := timedHonesty(ch)
	if len(timed) == 0 {
		r.notSupported([]string{MonitorStale}, "no availability feed held to an "+
			"available-to-promise stated with its time has a freshness SLA")
		return nil
	}
	var whens []string
	for _, av := range availabilitySLAs(ch) {
		whens = append(whens, "    when "+sqlString(av.source)+" then "+fmtInt(av.minutes))
	}
	var feeds, atps []*c.Contract
	for _, p := range timed {
		feeds = appendUnique(feeds, p.availability, p.atp)
		atps = appendUnique(atps, p.atp)
	}
	filter := []string{"where business_date = " + evaluated}
	if len(timed) < len(ch.honesty) {
		filter = append(filter, "    and atp_source in ("+sourceList(atps)+")")
	}
	v := monitorView("Stale availability: storefront showings on the evaluated date whose",
		"latest available-to-promise was older than the availability feed's freshness",
		"SLA: a cache promising from old numbers.")
	sla := append(append([]string{"case availability_source"}, whens...), "end as sla_minutes")
	v.add("showings", block{
		Select: selectLines([][]string{{"availability_source"}, {"atp_source"}, {"sku"},
			{"location_id"}, {"business_date"}, {"shown_at"}, {"atp_at"},
			{"{{ dbt.datediff('atp_at', 'shown_at', 'minute') }} as atp_age_minutes"}, sla}),
		From: ref("int_availability_against_atp"),
		Tail: filter,
	})
	v.Final = block{
		Select: append([]string{"*,"}, caseLines([]when{{cond: []string{
			"atp_at is null or atp_age_minutes > sla_minutes"}, then: statusAlert}},
			statusOK, "status")...),
		From: "showings",
	}
	return &monitor{name: MonitorStale, view: v, tier: TierDigest, feeds: feeds,
		target: timed[0].atp.Source,
		about:  "Showings promised from available-to-promise older than the SLA."}
}

// timedHonesty are the honesty pairs whose showings have a freshness SLA
// and whose available-to-promise states its time, so that a promise's age
// can be measured against the SLA.
func timedHonesty(ch *checks) []honestyPair {
	var out []honestyPair
	for _, p := range ch.honesty {
		_, err := c.ParseSLA(p.availability.Delivery.FreshnessSLA)
		if err == nil && p.atp.Has(c.RoleEventTime) {
			out = append(out, p)
		}
	}
	return out
}

// toleranceDriftMonitor is mon_tolerance_drift: conservation breaks within
// tolerance that do not net out. Kit-build noise goes up and down; a
// location whose sub-tolerance breaks add up past the tolerance is
// drifting, not noisy.
//
// Only conservation drifts this way: its break is a flow, the day's change
// of on-hand that the movements do not explain, and flows add up. A parity
// break is a level, the gap between two on-hands on the day: a steady gap
// of 0.1 is the same 0.1 every day, not 0.7 over a week, and a gap that
// grows past the tolerance breaks parity by itself.
func (r *renderer) toleranceDriftMonitor(ch *checks, compares map[string]bool) *monitor {
	if !r.estate.AbsoluteToleranceApplies() {
		r.notSupported([]string{MonitorToleranceDrift}, "no location takes an absolute "+
			"tolerance (qty) above zero for breaks to drift within; invgen proves drift "+
			"within an absolute tolerance only")
		return nil
	}
	if !compares["int_conservation_compared"] {
		r.notSupported([]string{MonitorToleranceDrift}, "conservation is not checked, and "+
			"only its breaks are flows that add up; a parity gap is a level, which parity "+
			"judges by itself")
		return nil
	}
	v := monitorView(wrap("Tolerance drift: conservation breaks within tolerance, per "+
		"location, summed over the drift_days days ending on the evaluated date. Each "+
		"break is a day's change of on-hand that the movements do not explain; noise "+
		"nets out, and a sum beyond the tolerance is drift. Parity is not summed: its "+
		"break is the gap between two on-hands, a level that is the same gap however "+
		"many days it lasts.", 80)...)
	v.add("within_tolerance", block{
		Select: []string{"location_id,", "location_class,", "business_date,", "break_qty,",
			"tolerance_qty"},
		From: ref("int_conservation_compared"),
		Tail: []string{"where break_qty <> 0", "    and abs(break_qty) <= tolerance_qty",
			"    and business_date > {{ invgen_window_start(var('invgen_drift_days')) }}",
			"    and business_date <= " + evaluated},
	})
	v.add("accumulated", block{
		Select: []string{sqlString(CheckConservation) + " as check_name,", "location_id,",
			"location_class,", "count(*) as sub_tolerance_breaks,",
			"sum(break_qty) as accumulated_qty,", "max(tolerance_qty) as tolerance_qty"},
		From: "within_tolerance",
		Tail: []string{"group by location_id, location_class"},
	})
	v.Final = block{
		Select: append([]string{"*,", evaluated + " as business_date,"},
			caseLines([]when{{cond: []string{"abs(accumulated_qty) > tolerance_qty"},
				then: statusAlert}}, statusOK, "status")...),
		From: "accumulated",
	}
	var feeds []*c.Contract
	for _, sf := range ch.conservation {
		feeds = append(append(feeds, sf.positions...), sf.movements...)
	}
	return &monitor{name: MonitorToleranceDrift, view: v, tier: TierDigest, feeds: feeds,
		target: driftTarget(ch).Source,
		about:  "Conservation breaks within tolerance that accumulate instead of netting out."}
}

// quarantineMonitor is mon_quarantine_sla: rows held longer than the
// quarantine SLA escalate. Exact replays are already resolved by keeping the
// first copy, so they do not. Only a source with a loaded_at column says
// when a row landed; the rows of the others have no age to judge.
func (r *renderer) quarantineMonitor() *monitor {
	e := r.estate
	var unaged []*c.Contract
	for _, con := range e.Contracts {
		if !con.Has(c.RoleLoadedAt) {
			unaged = append(unaged, con)
		}
	}
	if len(unaged) > 0 {
		verb := "have"
		if len(unaged) == 1 {
			verb = "has"
		}
		r.note("quarantine: %s %s no loaded_at column, so how long their rows have been "+
			"held cannot be measured and the quarantine SLA cannot escalate them",
			sources(unaged), verb)
	}
	target := ""
	for _, con := range e.ByFeed(c.FeedMovements) {
		if con.Has(c.RoleLoadedAt) && len(con.Semantics.IdempotencyKey) > 0 {
			target = con.Source
			break
		}
	}
	if target == "" {
		r.notSupported([]string{MonitorQuarantineSLA}, "no movements feed has both an "+
			"idempotency key and a loaded_at column, so no held duplicate has an age "+
			"to prove it on")
		return nil
	}
	var blocks []block
	var feeds []*c.Contract
	for _, con := range e.Contracts {
		if !con.Has(c.RoleLoadedAt) {
			continue
		}
		feeds = append(feeds, con)
		blocks = append(blocks, block{
			Select: []string{sqlString(con.Source) + " as source_name,", "quarantine_reason,",
				"quarantined_at"},
			From: ref(quarantineName(con.Source)),
			Tail: []string{"where quarantine_reason <> 'exact replay'"},
		})
	}
	v := monitorView("Quarantine SLA: rows held in quarantine longer than the SLA, per source",
		"and reason. Exact replays are resolved by keeping the first copy and do not count.",
		"Sources without a loaded_at column are left out: their held rows have no age.")
	v.add("held", blocks...)
	v.Final = block{
		Select: []string{"source_name,", "quarantine_reason,", "count(*) as held_rows,",
			"min(quarantined_at) as oldest_quarantined_at,", statusAlert + " as status"},
		From: "held",
		Tail: append(jinjaCall("where quarantined_at < ", "dbt.dateadd('day', "+
			"-1 * var('invgen_quarantine_sla_days'), invgen_as_of_date())", ""),
			"group by source_name, quarantine_reason"),
	}
	return &monitor{name: MonitorQuarantineSLA, view: v, tier: TierTicket, feeds: feeds,
		target: target, about: "Quarantined rows older than the quarantine SLA."}
}

// driftTarget is the on-hand feed a drift proof plants its pattern in: one
// whose conservation is checked, and one that can state the fractions of a
// unit a sub-tolerance break may be, where one can.
func driftTarget(ch *checks) *c.Contract {
	var candidates []*c.Contract
	for _, sf := range ch.conservation {
		candidates = append(candidates, sf.positions...)
	}
	for _, f := range candidates {
		if f.HoldsFractions() {
			return f
		}
	}
	return candidates[0]
}

func fmtInt(n int) string { return formatNumber(float64(n)) }

// frozenCandidate is the on-hand feed a flatline proof freezes: one whose
// system books no movements, as an ERP frozen while the WMS ships.
func frozenCandidate(ch *checks) *c.Contract {
	systems := ch.systems()
	for _, sf := range systems {
		if len(sf.movements) == 0 && len(sf.positions) > 0 {
			return sf.positions[0]
		}
	}
	for _, sf := range systems {
		if len(sf.positions) > 0 {
			return sf.positions[0]
		}
	}
	return nil
}
