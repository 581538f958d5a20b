package generator

import (
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// Monitor names, as their models and tests carry them.
const (
	MonitorVolume          = "feed_volume"
	MonitorAdjustmentMean  = "adjustment_mean"
	MonitorZeroAdjustments = "zero_adjustments"
	MonitorShrinkage       = "shrinkage_drift"
	MonitorFlatline        = "flatline"
	MonitorStale           = "stale_availability"
	MonitorToleranceDrift  = "tolerance_drift"
	MonitorQuarantineSLA   = "quarantine_sla"
)

func monName(monitor string) string { return "mon_" + monitor }

// monitor is one generated distributional monitor.
type monitor struct {
	name   string
	view   modelView
	about  string
	tier   string
	feeds  []*c.Contract
	target string // where a proof plants the pattern

	// intermediate, when set, names an intermediate model that holds the
	// monitor's rows, which the monitor then selects: for monitors whose
	// rows the ledger reads.
	intermediate string
}

// Status values every monitor row carries.
const (
	statusOK           = "'ok'"
	statusAlert        = "'alert'"
	statusInsufficient = "'insufficient history'"
)

// monitors renders the monitors the estate supports and their YAML, and
// returns which it rendered.
func (r *renderer) monitors(ch *checks, compares map[string]bool) map[string]bool {
	ms := r.provableMonitors(ch, compares)
	for _, m := range ms {
		view := m.view
		if m.intermediate != "" {
			r.render("models/intermediate/"+m.intermediate+".sql", "model.sql", view)
			view = modelView{Header: view.Header, About: view.About,
				Final: block{Select: []string{"*"}, From: ref(m.intermediate)}}
		}
		r.render("models/monitors/"+monName(m.name)+".sql", "model.sql", view)
		r.monitorList = append(r.monitorList, Monitor{Name: m.name, Model: monName(m.name),
			Target: m.target})
	}
	if len(ms) > 0 {
		r.render("models/monitors/_monitors__models.yml", "reconciliation_models.yml",
			r.monitorDocs(ms))
	}
	rendered := map[string]bool{}
	for _, m := range ms {
		rendered[m.name] = true
	}
	return rendered
}

// provableMonitors builds the monitors whose pattern a synthesised history
// of this estate can carry, each with the feed a proof plants it in, and
// notes why it leaves out the others: a monitor nothing can make fire is
// no monitor, and invgen writes none it has not proven both ways.
func (r *renderer) provableMonitors(ch *checks, compares map[string]bool) []monitor {
	var ms []monitor
	add := func(m *monitor) {
		if m != nil {
			ms = append(ms, *m)
		}
	}
	moves := r.estate.ByFeed(c.FeedMovements)
	add(r.volumeMonitor(moves))
	if adjusting := stating(moves, c.MoveAdjustment); len(adjusting) > 0 {
		add(adjustmentMeanMonitor(adjusting))
		add(zeroAdjustmentsMonitor(adjusting))
		add(shrinkageMonitor(ch, adjusting))
	} else {
		r.notSupported([]string{MonitorAdjustmentMean, MonitorZeroAdjustments,
			MonitorShrinkage}, "no movements feed states adjustments")
	}
	add(r.flatlineMonitor(ch))
	add(r.staleMonitor(ch, compares))
	add(r.toleranceDriftMonitor(ch, compares))
	add(r.quarantineMonitor())
	return ms
}

// notSupported notes monitors left out and why.
func (r *renderer) notSupported(monitors []string, why string) {
	if len(monitors) == 1 {
		r.note("monitor %s not generated: %s", monitors[0], why)
		return
	}
	r.note("monitors %s not generated: %s", strings.Join(monitors, ", "), why)
}

// stating lists the movement feeds that can state a kind of movement.
func stating(moves []*c.Contract, kinds ...string) []*c.Contract {
	var out []*c.Contract
	for _, m := range moves {
		for _, kind := range kinds {
			if m.States(kind) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

func monitorView(about ...string) modelView {
	return modelView{Header: header(""), About: about}
}

// baselineStatus judges a value against history: too little history is
// said, not guessed at. alert holds the alert condition's lines.
func baselineStatus(history string, alert ...string) []string {
	return caseLines([]when{
		{[]string{"coalesce(" + history + ", 0) < {{ var('invgen_min_history_days') }}"},
			statusInsufficient},
		{alert, statusAlert},
	}, statusOK, "status")
}

// trainingNote says, in the models that judge a mean against mean ±
// sigma·σ, what trains the baseline: every day of the window, the days
// that alerted too, which is the simple reading the README states. A past
// spike stays in σ until it leaves the window.
const trainingNote = "Every day of the window before the evaluated date trains the " +
	"baseline, days that alerted too: one past day d standard deviations out widens the " +
	"standard deviation about sqrt(1+d*d/n) times over a window of n days (one day 10 " +
	"out, over 90 days: 1.45 times) until it leaves the window. Only days with " +
	"adjustments have a mean, so a day without any is in no baseline."

const (
	evaluated = "{{ invgen_evaluated_date() }}"
	window    = "{{ invgen_window_start(var('invgen_baseline_days')) }}"
)

// inBaseline restricts a step to the baseline window: the baseline days
// before the evaluated date, which is never part of its own baseline.
func inBaseline(col string) []string {
	return []string{"where " + col + " >= " + window, "    and " + col + " < " + evaluated}
}

// volumeMonitor is mon_feed_volume: each dated feed's rows on the evaluated
// date against the p05-p99 band of its own history. It is proven on a
// movements feed, whose day of shipments a proof drops.
func (r *renderer) volumeMonitor(moves []*c.Contract) *monitor {
	feeds := datedFeeds(r.estate)
	target := stating(moves, c.MoveReceipt, c.MoveShipment, c.MoveReturnRestock)
	if len(feeds) == 0 || len(target) == 0 {
		r.notSupported([]string{MonitorVolume}, "no movements feed states receipts, "+
			"shipments or restocks, the rows a volume drop would lose")
		return nil
	}
	v := monitorView(wrap("Feed volume: each feed's rows on the evaluated business date "+
		"against the p05-p99 band of its own daily rows over the baseline window. A day "+
		"outside the band is an outage, a partial extract or a replay storm. A feed's "+
		"history runs from the first day it delivered, and a day it delivered nothing "+
		"counts as zero: a feed quiet every Sunday has Sundays of zero in its band. The "+
		"calendar is every date any feed delivered on; a date on which no feed delivered "+
		"anything is left out of every history rather than counted as zero. Every day of "+
		"the window trains the band, days that alerted too: p05 stays among ordinary days "+
		"while fewer than a twentieth of the window's days (five in ninety) are outages, "+
		"and one spike in ninety days lifts p99 by a ninth of its excess.", 80)...)
	v.add("feeds", block{
		Select: []string{"source_name,", "min(business_date) as first_delivered_date"},
		From:   ref(rowCountsModel), Tail: []string{"group by source_name"}})
	v.add("calendar", block{Select: []string{"distinct business_date"},
		From: ref(rowCountsModel)})
	v.addNoted("history", []string{"each feed's days since its first delivery, rows or none"},
		block{
			Select: []string{"feeds.source_name,", "calendar.business_date,",
				"coalesce(counts.row_count, 0) as row_count"},
			From: "feeds",
			Tail: []string{
				"inner join calendar on calendar.business_date >= feeds.first_delivered_date",
				"left join " + ref(rowCountsModel) + " as counts",
				"    on feeds.source_name = counts.source_name",
				"    and calendar.business_date = counts.business_date"},
		})
	v.add("today", block{Select: []string{"source_name,", "row_count"}, From: ref(rowCountsModel),
		Tail: []string{"where business_date = " + evaluated}})
	v.add("baseline", block{
		Select: []string{"source_name,", "count(*) as history_days,",
			"{{ invgen_percentile('row_count', 0.05) }} as p05,",
			"{{ invgen_percentile('row_count', 0.99) }} as p99"},
		From: "history",
		Tail: append(inBaseline("business_date"), "group by source_name"),
	})
	v.Final = block{
		Select: append([]string{"feeds.source_name,", evaluated + " as business_date,",
			"coalesce(today.row_count, 0) as row_count,", "baseline.p05,", "baseline.p99,",
			"coalesce(baseline.history_days, 0) as history_days,"},
			baselineStatus("baseline.history_days", "coalesce(today.row_count, 0) < "+
				"baseline.p05", "or coalesce(today.row_count, 0) > baseline.p99")...),
		From: "feeds",
		Tail: []string{"left join today on feeds.source_name = today.source_name",
			"left join baseline on feeds.source_name = baseline.source_name"},
	}
	return &monitor{name: MonitorVolume, view: v, tier: TierDigest, feeds: feeds,
		target: target[0].Source,
		about:  "Daily rows per feed against the p05-p99 band of its history."}
}

// adjustmentsCTE gathers every adjustment of the movement feeds.
func adjustmentsCTE(v *modelView, moves []*c.Contract) {
	var blocks []block
	for _, m := range moves {
		blocks = append(blocks, block{
			Select: []string{sqlString(m.Source) + " as source_name,", "sku,", "location_id,",
				"business_date,", "on_hand_effect"},
			From: ref(stgName(m.Source)),
			Tail: []string{"where movement_type = 'adjustment'"},
		})
	}
	v.add("adjustments", blocks...)
}

// adjustmentMeanMonitor is mon_adjustment_mean: the mean size of each
// feed's adjustments at each location on the evaluated date against mean ±
// sigma standard deviations of its daily means. Means are rounded to a
// millionth: on a steady history σ is zero, and the last digit of a
// floating-point average must not read as a shift.
func adjustmentMeanMonitor(moves []*c.Contract) *monitor {
	v := monitorView(wrap("Adjustment mean: the mean size of a feed's adjustments at a "+
		"location on the evaluated date against the mean plus or minus sigma standard "+
		"deviations of its daily means over the baseline window. Shrinkage doubling shows "+
		"here first. "+trainingNote, 80)...)
	adjustmentsCTE(&v, moves)
	v.add("daily", block{
		Select: []string{"source_name,", "location_id,", "business_date,",
			"round(avg(abs(on_hand_effect)), 6) as mean_qty"},
		From: "adjustments",
		Tail: []string{"group by source_name, location_id, business_date"},
	})
	v.add("baseline", block{
		Select: []string{"source_name,", "location_id,", "count(*) as history_days,",
			"round(avg(mean_qty), 6) as baseline_mean,",
			"coalesce(stddev_samp(mean_qty), 0) as baseline_stddev"},
		From: "daily",
		Tail: append(inBaseline("business_date"), "group by source_name, location_id"),
	})
	v.Final = block{
		Select: append([]string{"daily.source_name,", "daily.location_id,",
			"daily.business_date,", "daily.mean_qty,", "baseline.baseline_mean,",
			"baseline.baseline_stddev,", "coalesce(baseline.history_days, 0) as history_days,"},
			baselineStatus("baseline.history_days",
				"abs(daily.mean_qty - baseline.baseline_mean)",
				"> {{ var('invgen_sigma') }} * baseline.baseline_stddev")...),
		From: "daily",
		Tail: []string{"left join baseline",
			"    on daily.source_name = baseline.source_name",
			"    and daily.location_id = baseline.location_id",
			"where daily.business_date = " + evaluated},
	}
	return &monitor{name: MonitorAdjustmentMean, view: v, tier: TierDigest,
		feeds: moves, target: moves[0].Source,
		about: "Mean adjustment size per feed and location against mean ± sigma·σ of its " +
			"history."}
}

// zeroAdjustmentsMonitor is mon_zero_adjustments: a feed that reports no
// adjustment on a day when its history says it always reports some.
func zeroAdjustmentsMonitor(moves []*c.Contract) *monitor {
	v := monitorView("Zero adjustments: a movement feed that reports rows but no adjustment on",
		"the evaluated date, when every day of its history had some.")
	adjustmentsCTE(&v, moves)
	v.add("adjusted_days", block{
		Select: []string{"source_name,", "business_date,", "count(*) as adjustments"},
		From:   "adjustments", Tail: []string{"group by source_name, business_date"}})
	v.add("days", block{
		Select: []string{"counts.source_name,", "counts.business_date,",
			"coalesce(adjusted_days.adjustments, 0) as adjustments"},
		From: ref(rowCountsModel) + " as counts",
		Tail: []string{"left join adjusted_days",
			"    on counts.source_name = adjusted_days.source_name",
			"    and counts.business_date = adjusted_days.business_date",
			"where counts.source_name in (" + sourceList(moves) + ")"},
	})
	v.add("baseline", block{
		Select: []string{"source_name,", "count(*) as history_days,",
			"sum(case when adjustments > 0 then 1 else 0 end) as adjusted_days"},
		From: "days",
		Tail: append(inBaseline("business_date"), "group by source_name"),
	})
	v.Final = block{
		Select: append([]string{"days.source_name,", "days.business_date,",
			"days.adjustments,", "coalesce(baseline.adjusted_days, 0) as adjusted_days,",
			"coalesce(baseline.history_days, 0) as history_days,"},
			baselineStatus("baseline.history_days", "days.adjustments = 0",
				"and baseline.adjusted_days = baseline.history_days")...),
		From: "days",
		Tail: []string{"left join baseline on days.source_name = baseline.source_name",
			"where days.business_date = " + evaluated},
	}
	return &monitor{name: MonitorZeroAdjustments, view: v, tier: TierDigest,
		feeds: moves, target: moves[0].Source,
		about: "Days with no adjustment from feeds that always report some."}
}

func sourceList(cs []*c.Contract) string {
	names := make([]string, len(cs))
	for i, con := range cs {
		names[i] = sqlString(con.Source)
	}
	return strings.Join(names, ", ")
}
