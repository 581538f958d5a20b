package generator

// ledgerView is breaks_ledger: one row per break, from the observations of
// the latest run of each as-of date up to this one, and the resolutions the
// team records in the invgen_resolutions seed by then. A rerun of a past
// date therefore judges that date as it was: nothing observed after it
// counts, and what an earlier run of a date saw but its rerun did not was
// not seen.
func ledgerView() modelView {
	v := modelView{Header: header(""), About: []string{
		"The breaks ledger as of the as-of date: one row per break observed by then,",
		"with when it was first and last seen, how long it has been open, its latest",
		"quantity, value, tier and root-cause hint, and the resolution recorded in",
		"invgen_resolutions. Of several runs of one as-of date the latest is what that",
		"date saw. A break no run sees any more without a resolution is cleared, not",
		"resolved; one seen again after its resolution is reopened.",
	}}
	asOf := "{{ invgen_as_of_date() }}"
	v.addNoted("runs", []string{"the latest run of each as-of date up to this one"}, block{
		Select: []string{"observed_on,", "max(observed_at) as observed_at"},
		From:   ref(runsModel),
		Tail:   []string{"where observed_on <= " + asOf, "group by observed_on"}})
	v.addNoted("seen", []string{"the breaks those runs saw"}, block{
		Select: []string{"observed.*"},
		From:   ref(observedModel) + " as observed",
		Tail: []string{"inner join runs", "    on observed.observed_on = runs.observed_on",
			"    and observed.observed_at = runs.observed_at"}})
	v.add("observations", block{
		Select: []string{"seen.*,", "row_number() over (",
			"    partition by break_key order by observed_on desc", ") as recency"},
		From: "seen"})
	v.add("spans", block{
		Select: []string{"break_key,", "min(observed_on) as first_detected,",
			"max(observed_on) as last_seen"},
		From: "seen", Tail: []string{"group by break_key"}})
	v.add("resolutions", block{
		Select: []string{"cast(break_key as {{ dbt.type_string() }}) as break_key,",
			"cast(root_cause as {{ dbt.type_string() }}) as root_cause,",
			"cast(resolution as {{ dbt.type_string() }}) as resolution,",
			"cast(cast(resolved_at as {{ dbt.type_string() }}) as date) as resolved_at"},
		From: ref(resolutionsSeed)})
	v.addNoted("latest", []string{"a break is open until resolved, or until the last run " +
		"that saw it;", "seen after its resolution, it is open again"}, block{
		Select: append([]string{"observations.*,", "spans.first_detected,", "spans.last_seen,",
			"resolutions.root_cause,", "resolutions.resolution,", "resolutions.resolved_at,"},
			caseLines([]when{{[]string{"resolutions.resolved_at >= spans.last_seen"},
				"resolutions.resolved_at"},
				{[]string{"spans.last_seen = " + asOf}, asOf}},
				"spans.last_seen", "open_until")...),
		From: "observations",
		Tail: []string{"inner join spans on observations.break_key = spans.break_key",
			"left join resolutions",
			"    on observations.break_key = resolutions.break_key",
			"    and resolutions.resolved_at <= " + asOf,
			"where observations.recency = 1"},
	})
	v.Final = block{
		Select: selectLines([][]string{{"check_name"}, {"break_key"}, {"sku"},
			{"location_id"}, {"business_date"}, {"first_detected"}, {"last_seen"},
			jinjaCall("", "dbt.datediff('first_detected', 'open_until', 'day')", " as days_open"),
			{"break_qty"}, {"break_value"}, {"alert_tier"}, {"owner"}, {"root_cause_hint"},
			{"root_cause"}, {"resolution"}, {"resolved_at"}, statusLines(asOf)}),
		From: "latest",
	}
	return v
}

// statusLines say where a break stands as of the as-of date. The ledger's
// statuses, which the docs and the README list:
//   - resolved: the team resolved it and no run has seen it since;
//   - reopened: resolved, but the run of the as-of date still sees it;
//   - open: unresolved, and the run of the as-of date sees it;
//   - cleared: the run of the as-of date no longer sees it and no
//     resolution covers its last sighting.
func statusLines(asOf string) []string {
	return caseLines([]when{
		{[]string{"resolved_at >= last_seen"}, "'resolved'"},
		{[]string{"last_seen = " + asOf, "and resolved_at is not null"}, "'reopened'"},
		{[]string{"last_seen = " + asOf}, "'open'"}},
		"'cleared'", "status")
}

// reportCardView is rpt_breaks_report_card: the program's report card per
// week, overall, by owner and by location. Each measure counts in the week
// its event happened: a break is created in the week it was first detected,
// resolved in the week it was resolved, and open at the end of every week
// between.
func reportCardView() modelView {
	v := modelView{Header: header(""), About: wrap("The breaks report card, per week: "+
		"breaks and value created (in the week of first detection), breaks resolved and "+
		"the median days they took (in the week of resolution), and the value still open "+
		"at the end of the week; overall, by owner and by location. A week has rows once a "+
		"run observed a break in it or a break was resolved in it.", 76)}
	v.add("ledger", block{
		Select: []string{"breaks.*,",
			"cast({{ dbt.date_trunc('week', 'first_detected') }} as date) as created_week,",
			"cast({{ dbt.date_trunc('week', 'resolved_at') }} as date) as resolved_week,",
			"case when status = 'resolved' then days_open end as days_to_resolution"},
		From: ref(ledgerModel) + " as breaks"})
	v.addNoted("dimensioned", []string{"every break once overall, once under its owner and " +
		"once under its location"}, dimensionBlocks()...)
	reportCardWeeks(&v)
	reportCardMeasures(&v)
	v.Final = reportCardFinal()
	return v
}

// dimensionBlocks repeat the ledger under each dimension of the card.
func dimensionBlocks() []block {
	var blocks []block
	for _, d := range []struct{ name, value string }{
		{"all", "cast('all' as {{ dbt.type_string() }})"},
		{"owner", "coalesce(cast(owner as {{ dbt.type_string() }}), 'none')"},
		{"location", "coalesce(cast(location_id as {{ dbt.type_string() }}), 'none')"}} {
		blocks = append(blocks, block{
			Select: []string{sqlString(d.name) + " as dimension,",
				d.value + " as dimension_value,", "ledger.*"},
			From: "ledger"})
	}
	return blocks
}

// reportCardWeeks are the weeks the card has rows for, each with the date
// its open value is taken on: its last day, or the as-of date for the week
// in progress.
func reportCardWeeks(v *modelView) {
	v.addUnion("weeks", []string{"the weeks a run observed a break in or a break was " +
		"resolved in"}, block{
		Select: []string{"cast({{ dbt.date_trunc('week', 'observed_on') }} as date) as week"},
		From:   ref(observedModel),
	}, block{
		Select: []string{"resolved_week as week"},
		From:   "ledger",
		Tail:   []string{"where resolved_week is not null"},
	})
	v.add("week_ends", block{
		Select: []string{"week,", "least(",
			"    cast({{ dbt.dateadd('day', 6, 'week') }} as date),",
			"    {{ invgen_as_of_date() }}",
			") as week_end"},
		From: "weeks",
		Tail: []string{"where week <= {{ invgen_as_of_date() }}"},
	})
}

// reportCardMeasures count what was created, resolved and still open, each
// in its own week.
func reportCardMeasures(v *modelView) {
	v.add("created", block{
		Select: []string{"created_week as week,", "dimension,", "dimension_value,",
			"count(*) as breaks_created,", "sum(abs(break_value)) as value_created"},
		From: "dimensioned",
		Tail: []string{"group by created_week, dimension, dimension_value"},
	})
	v.add("resolved", block{
		Select: []string{"resolved_week as week,", "dimension,", "dimension_value,",
			"count(*) as breaks_resolved,",
			"{{ invgen_percentile('days_to_resolution', 0.5) }} as median_days_to_resolution"},
		From: "dimensioned",
		Tail: []string{"where status = 'resolved'",
			"group by resolved_week, dimension, dimension_value"},
	})
	v.addNoted("still_open", []string{"breaks open at the end of each week: detected by " +
		"then, not resolved", "by then (or seen again since), and seen by a run on or " +
		"after it"}, block{
		Select: []string{"week_ends.week,", "dimensioned.dimension,",
			"dimensioned.dimension_value,",
			"sum(abs(dimensioned.break_value)) as open_value"},
		From: "week_ends",
		Tail: []string{"inner join dimensioned",
			"    on dimensioned.first_detected <= week_ends.week_end",
			"    and dimensioned.last_seen >= week_ends.week_end",
			"    and (",
			"        dimensioned.resolved_at is null",
			"        or dimensioned.resolved_at > week_ends.week_end",
			"        or dimensioned.last_seen > dimensioned.resolved_at",
			"    )",
			"group by week_ends.week, dimensioned.dimension, dimensioned.dimension_value"},
	})
	var cells []block
	for _, m := range []string{"created", "resolved", "still_open"} {
		cells = append(cells, block{Select: []string{"week,", "dimension,",
			"dimension_value"}, From: m})
	}
	v.addUnion("cells", []string{"every week and dimension value with something to report"},
		cells...)
}

// reportCardFinal sets each cell's measures side by side; a measure with
// nothing to count in a cell is zero.
func reportCardFinal() block {
	sel := []string{"cells.week,", "cells.dimension,", "cells.dimension_value,",
		"coalesce(created.breaks_created, 0) as breaks_created,"}
	sel = append(sel, commaAfter(caseLines([]when{{[]string{"created.week is null"}, "0"}},
		"created.value_created", "value_created"))...)
	sel = append(sel, "coalesce(resolved.breaks_resolved, 0) as breaks_resolved,",
		"resolved.median_days_to_resolution,")
	sel = append(sel, caseLines([]when{{[]string{"still_open.week is null"}, "0"}},
		"still_open.open_value", "open_value")...)
	var tail []string
	for _, m := range []string{"created", "resolved", "still_open"} {
		tail = append(append(tail, "left join "+m), joinOn(m, "cells",
			[]string{"week", "dimension", "dimension_value"})...)
	}
	return block{Select: sel, From: "cells", Tail: tail}
}

func ledgerDocs() docModelsView {
	return docModelsView{Header: header(""), Models: []docModel{
		{Name: observedModel, Description: yamlScalar("Every break every run observed, " +
			"appended: the ledger's history.")},
		{Name: runsModel, Description: yamlScalar("Every run that stored its " +
			"observations, appended: the ledger reads the latest of each as-of date.")},
		{Name: ledgerModel, Description: yamlScalar("One row per break: first detected, " +
			"last seen, days open, value, tier, owner, root-cause hint, resolution, status."),
			Columns: docs("check_name", "The check that found the break.",
				"break_key", "The break's stable key: the check and its key columns.",
				"first_detected", "The first as-of date a run saw the break.",
				"last_seen", "The latest as-of date, up to this one, a run saw it.",
				"days_open", "Days from first detection to resolution, to the last run "+
					"that saw it if it cleared, or to the as-of date if open or reopened.",
				"break_qty", "The latest break quantity.",
				"break_value", "The latest break value.",
				"alert_tier", "page, ticket or digest.",
				"owner", "Who answers for the break: the owner of the feed its "+
					"signature blames, at its SKU-location.",
				"root_cause_hint", "What the break's signature suggests.",
				"root_cause", "The root cause the team recorded.",
				"resolution", "What the team did.",
				"resolved_at", "When the team resolved it.",
				"status", "open (seen as of the as-of date), reopened (seen again after "+
					"its resolution), cleared (gone, unresolved) or resolved.")},
		{Name: reportCardModel, Description: yamlScalar("The breaks program's weekly " +
			"report card, overall, by owner and by location.")},
	}}
}
