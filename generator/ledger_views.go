package generator

// ledgerView is breaks_ledger: one row per break, from its observations and
// the resolutions the team records in the invgen_resolutions seed.
func ledgerView() modelView {
	v := modelView{Header: header(""), About: []string{
		"The breaks ledger: one row per break ever observed, with when it was first",
		"and last seen, how long it has been open, its latest quantity, value, tier",
		"and root-cause hint, and the resolution recorded in invgen_resolutions.",
		"A break no run sees any more without a resolution is cleared, not resolved.",
	}}
	v.add("observations", block{
		Select: []string{"observed.*,", "row_number() over (",
			"    partition by break_key order by observed_at desc", ") as recency"},
		From: ref(observedModel) + " as observed"})
	v.add("spans", block{
		Select: []string{"break_key,", "min(observed_on) as first_detected,",
			"max(observed_on) as last_seen"},
		From: ref(observedModel), Tail: []string{"group by break_key"}})
	v.add("resolutions", block{
		Select: []string{"cast(break_key as {{ dbt.type_string() }}) as break_key,",
			"cast(root_cause as {{ dbt.type_string() }}) as root_cause,",
			"cast(resolution as {{ dbt.type_string() }}) as resolution,",
			"cast(cast(resolved_at as {{ dbt.type_string() }}) as date) as resolved_at"},
		From: ref(resolutionsSeed)})
	v.add("latest", block{
		Select: []string{"observations.*,", "spans.first_detected,", "spans.last_seen,",
			"resolutions.root_cause,", "resolutions.resolution,", "resolutions.resolved_at"},
		From: "observations",
		Tail: []string{"inner join spans on observations.break_key = spans.break_key",
			"left join resolutions on observations.break_key = resolutions.break_key",
			"where observations.recency = 1"},
	})
	v.Final = block{
		Select: []string{"check_name,", "break_key,", "sku,", "location_id,", "business_date,",
			"first_detected,", "last_seen,",
			"{{ dbt.datediff('first_detected', 'coalesce(resolved_at, ' ~ " +
				"invgen_as_of_date() ~ ')', 'day') }} as days_open,",
			"break_qty,", "break_value,", "alert_tier,", "owner,", "root_cause_hint,",
			"root_cause,", "resolution,", "resolved_at,",
			"case",
			"    when resolved_at is not null then 'resolved'",
			"    when last_seen >= {{ invgen_as_of_date() }} then 'open'",
			"    else 'cleared'",
			"end as status"},
		From: "latest",
	}
	return v
}

// reportCardView is rpt_breaks_report_card: the program's report card per
// week, overall, by owner and by location.
func reportCardView() modelView {
	v := modelView{Header: header(""), About: []string{
		"The breaks report card, per week of first detection: breaks and value created,",
		"breaks resolved, median days to resolution and value still open; overall, by",
		"owner and by location.",
	}}
	v.add("ledger", block{
		Select: []string{"breaks.*,",
			"cast({{ dbt.date_trunc('week', 'first_detected') }} as date) as week,",
			"case when status = 'resolved' then days_open end as days_to_resolution"},
		From: ref(ledgerModel) + " as breaks"})
	dims := []struct{ name, expr string }{
		{"all", "'all'"}, {"owner", "owner"}, {"location", "location_id"}}
	var blocks []block
	for _, d := range dims {
		group := "group by week, " + d.expr
		if d.name == "all" {
			group = "group by week"
		}
		blocks = append(blocks, block{
			Select: []string{"week,", sqlString(d.name) + " as dimension,",
				"coalesce(cast(" + d.expr + " as {{ dbt.type_string() }}), 'none') " +
					"as dimension_value,",
				"count(*) as breaks_created,",
				"sum(abs(break_value)) as value_created,",
				"sum(case when status = 'resolved' then 1 else 0 end) as breaks_resolved,",
				"{{ invgen_percentile('days_to_resolution', 0.5) }} " +
					"as median_days_to_resolution,",
				"sum(case when status = 'open' then abs(break_value) else 0 end) as open_value"},
			From: "ledger",
			Tail: []string{group},
		})
	}
	v.add("card", blocks...)
	v.Final = block{Select: []string{"*"}, From: "card"}
	return v
}

func ledgerDocs() docModelsView {
	return docModelsView{Header: header(""), Models: []docModel{
		{Name: observedModel, Description: yamlScalar("Every break every run observed, " +
			"appended: the ledger's history.")},
		{Name: ledgerModel, Description: yamlScalar("One row per break: first detected, " +
			"last seen, days open, value, tier, owner, root-cause hint, resolution, status."),
			Columns: docs("check_name", "The check that found the break.",
				"break_key", "The break's stable key: the check and its key columns.",
				"first_detected", "The first as-of date a run saw the break.",
				"last_seen", "The latest as-of date a run saw it.",
				"days_open", "Days from first detection to resolution, or to today.",
				"break_qty", "The latest break quantity.",
				"break_value", "The latest break value.",
				"alert_tier", "page, ticket or digest.",
				"owner", "Who answers for the check's feed.",
				"root_cause_hint", "What the break's signature suggests.",
				"root_cause", "The root cause the team recorded.",
				"resolution", "What the team did.",
				"resolved_at", "When the team resolved it.",
				"status", "open, cleared (gone, unresolved) or resolved.")},
		{Name: reportCardModel, Description: yamlScalar("The breaks program's weekly " +
			"report card, overall, by owner and by location.")},
	}}
}
