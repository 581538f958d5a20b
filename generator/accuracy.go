package generator

import (
	"slices"

	c "github.com/invgen/invgen/contracts"
)

// accuracyReport is the record accuracy report's model name.
const accuracyReport = "rpt_inventory_record_accuracy"

// accuracy renders rpt_inventory_record_accuracy when the estate has cycle
// counts and on-hand records of the counting system to hold them against.
func (r *renderer) accuracy(ch *checks) {
	counts := r.estate.ByFeed(c.FeedCycleCounts)
	if len(counts) == 0 {
		r.note("record accuracy: no cycle_counts feed, so no record accuracy report")
		return
	}
	var usable []countedFeed
	for _, con := range counts {
		book, ok := ch.bookOf(con.System)
		switch {
		case !ok:
			r.note("record accuracy: %s counts %s stock, whose on-hand no check reads",
				con.Source, con.System)
			continue
		case book != con.System:
			r.note("record accuracy: %s counts %s stock, held to the on-hand of %s",
				con.Source, con.System, book)
		}
		usable = append(usable, countedFeed{con, book})
	}
	if len(usable) == 0 {
		return
	}
	r.render("models/reports/"+accuracyReport+".sql", "model.sql", accuracyView(ch, usable))
	feeds := make([]*c.Contract, len(usable))
	for i, u := range usable {
		feeds[i] = u.counts
	}
	alerts := r.estate.Project.Monitors.IRATarget > 0
	r.render("models/reports/_reports__models.yml", "reconciliation_models.yml",
		r.accuracyDocs(feeds, records(ch, usable), alerts))
	if !alerts {
		r.note("record accuracy: monitors.ira_target is 0, which no accuracy can fall "+
			"below, so %s measures accuracy but raises no alert", accuracyReport)
		return
	}
	r.monitorList = append(r.monitorList, Monitor{Name: "inventory_record_accuracy",
		Model: accuracyReport, Target: feeds[0].Source})
}

// accuracyKeys are what a count is of: a SKU-location of a book on a date.
var accuracyKeys = []string{"system", "sku", "location_id", "business_date"}

// countedFeed is a cycle counts feed and the name int_daily_positions holds
// the counted system's on-hand under.
type countedFeed struct {
	counts *c.Contract
	book   string
}

func accuracyView(ch *checks, counts []countedFeed) modelView {
	v := modelView{Header: header(""), About: wrap("Inventory record accuracy: the share "+
		"of counted SKU-locations whose on-hand record matched the physical count within "+
		"the location class tolerance, per class and overall, over the baseline window, "+
		"beside the target. Each count is held to the latest on-hand the book it audits "+
		"reported at or before the count's business date: the day's own where there is "+
		"one, else the last before it. A count of a SKU-location the book had never "+
		"reported by then has no record to match and is inaccurate: the book does not "+
		"know the stock on the shelf. unrecorded_counts says how many those are.", 80)}
	var blocks []block
	for _, cf := range counts {
		blocks = append(blocks, block{
			Select: []string{sqlString(cf.book) + " as system,", "sku,", "location_id,",
				"business_date,", "quantity as counted_qty"},
			From: ref(stgName(cf.counts.Source)),
			Tail: []string{"where business_date >= " + window,
				"    and business_date <= " + evaluated},
		})
	}
	v.add("counts", blocks...)
	v.add("records", block{
		Select: []string{"system,", "sku,", "location_id,", "business_date,", "on_hand"},
		From:   ref("int_daily_positions"),
		Tail:   []string{"where on_hand is not null"}})
	v.addNoted("record_dates", []string{"the date of each count's record: the latest on " +
		"or before the count's date"}, block{
		Select: []string{"counts.system,", "counts.sku,", "counts.location_id,",
			"counts.business_date,", "max(records.business_date) as recorded_date"},
		From: "counts",
		Tail: append(append([]string{"inner join records"}, joinOn("counts", "records",
			stockKeys)...), "    and records.business_date <= counts.business_date",
			"group by counts.system, counts.sku, counts.location_id, counts.business_date"),
	})
	v.add("compared", accuracyCompared(ch))
	v.add("judged", block{
		Select: append([]string{"compared.*,"}, caseLines([]when{{cond: []string{
			"recorded_qty is not null", "and abs(counted_qty - recorded_qty) <= tolerance_qty"},
			then: "1"}}, "0", "accurate")...),
		From: "compared"})
	v.add("levels", block{
		Select: []string{"coalesce(location_class, 'unclassified') as location_class,",
			"count(*) as counted,", "sum(accurate) as accurate_counts,",
			unrecorded, "max(tolerance_qty) as tolerance_qty"},
		From: "judged",
		Tail: []string{"group by coalesce(location_class, 'unclassified')"},
	}, block{
		Select: []string{"'all' as location_class,", "count(*) as counted,",
			"sum(accurate) as accurate_counts,", unrecorded,
			"cast(null as {{ dbt.type_numeric() }}) as tolerance_qty"},
		From: "judged",
	})
	v.add("measured", block{
		Select: []string{"levels.*,",
			"case when counted > 0 then 1.0 * accurate_counts / counted end as record_accuracy,",
			"{{ var('invgen_ira_target') }} as target"},
		From: "levels"})
	v.Final = block{
		Select: append([]string{"location_class,", "counted,", "accurate_counts,",
			"unrecorded_counts,", "tolerance_qty,", "record_accuracy,", "target,",
			"coalesce(record_accuracy >= target, false) as meets_target,"},
			caseLines([]when{{[]string{"counted = 0"}, statusInsufficient},
				{[]string{"record_accuracy < target"}, statusAlert}}, statusOK, "status")...),
		From: "measured",
	}
	return v
}

// unrecorded counts the counts with no record at or before them.
const unrecorded = "sum(case when recorded_qty is null then 1 else 0 end) as unrecorded_counts,"

func accuracyCompared(ch *checks) block {
	sel := []string{"counts.*,", "record_dates.recorded_date,",
		"records.on_hand as recorded_qty,"}
	tail := append(append(append([]string{"left join record_dates"},
		joinOn("counts", "record_dates", accuracyKeys)...), "left join records"),
		joinOn("record_dates", "records", stockKeys)...)
	tail = append(tail, "    and record_dates.recorded_date = records.business_date")
	qty, pct := "defaults.tolerance_qty", "defaults.tolerance_pct"
	if ch.locations != nil {
		sel = append(sel, "locations.location_class,")
		tail = append(tail, "left join "+ref("dim_locations")+" as locations",
			"    on counts.location_id = locations.location_id")
		qty = "coalesce(locations.tolerance_qty, defaults.tolerance_qty)"
		pct = "coalesce(locations.tolerance_pct, defaults.tolerance_pct)"
	} else {
		sel = append(sel, "cast(null as {{ dbt.type_string() }}) as location_class,")
	}
	sel = append(sel, tolerance(qty, pct, "counts.counted_qty")...)
	tail = append(tail, "left join "+ref(tolerancesSeed)+" as defaults",
		"    on defaults.location_class = "+sqlString(c.DefaultTolerance))
	return block{Select: sel, From: "counts", Tail: tail}
}

// records are the on-hand feeds of the books the counts are held to: the
// other side of every comparison the report makes, for its lineage.
func records(ch *checks, counts []countedFeed) []*c.Contract {
	var out []*c.Contract
	for _, cf := range counts {
		for _, b := range ch.systems() {
			if b.system != cf.book {
				continue
			}
			out = appendUnique(out, b.positions...)
		}
	}
	return out
}

// accuracyDocs documents the report; its lineage leads to the counts and
// to the stock records they were compared with, the counts' owner first.
// Without alerts (a target of 0) it has no below-target test: a test that
// cannot fail is no test.
func (r *renderer) accuracyDocs(counts, records []*c.Contract, alerts bool) docModelsView {
	feeds := append(slices.Clip(counts), records...)
	meta := r.feedMeta("inventory_record_accuracy", feeds, []string{accuracyReport,
		"int_daily_positions"})
	tier := append([]keyValue{{"alert_tier", TierDigest}}, meta...)
	var tests []docTest
	if alerts {
		tests = append(tests, docTest{Generic: "invgen_monitor_alerts",
			Name: accuracyReport + "__below_target", Severity: "warn", Meta: tier})
	}
	tests = append(tests, docTest{Generic: "invgen_insufficient_history",
		Name: accuracyReport + "__no_counts", Severity: "warn", Meta: tier})
	return docModelsView{Header: header(""), Models: []docModel{{
		Name: accuracyReport,
		Description: yamlScalar("Inventory record accuracy per location class and overall, " +
			"with the tolerance per class and the target beside the measured value."),
		Meta:  meta,
		Tests: tests,
		Columns: docs("location_class", "The location class, or all.",
			"counted", "SKU-locations counted in the window.",
			"accurate_counts", "Counts whose record matched within tolerance.",
			"unrecorded_counts", "Counts of a SKU-location the book had not reported by the "+
				"count's date: inaccurate, with no record to match.",
			"tolerance_qty", "The class tolerance applied, in eaches.",
			"record_accuracy", "accurate_counts over counted.",
			"target", "The accuracy to meet.",
			"meets_target", "Whether record_accuracy meets the target.",
			"status", "ok, alert (below target) or insufficient history (no counts)."),
	}}}
}
