package report

// Why a section is empty, naming the table the estate did not produce.
const (
	noLedger = "This database has no breaks ledger (main.breaks_ledger is missing): " +
		"the estate has no reconciliation whose breaks could be recorded."
	noReportCard = "This database has no report card (main.rpt_breaks_report_card is " +
		"missing): the estate has no breaks ledger to summarise by week."
	noAccuracy = "This database has no record accuracy report " +
		"(main.rpt_inventory_record_accuracy is missing): the estate has no " +
		"cycle_counts feed to measure it from."
)

func checkSection(d *Data) section {
	s := section{ID: "by-check", Title: "Open break value by check",
		About: "What the open breaks of each reconciliation are worth, as abs(break_value). " +
			"A check whose breaks have no value (control totals count rows) draws no bar " +
			"and says so."}
	if d.Ledger == nil {
		s.Missing = noLedger
		return s
	}
	s.Chart = amountChart("break-value-by-check", s.Title, "check", d.Ledger.ByCheck,
		d.Currency)
	return s
}

func locationSection(d *Data) section {
	s := section{ID: "by-location", Title: "Open break value by location (top 10)",
		About: "The ten locations whose open breaks are worth most."}
	if d.Ledger == nil {
		s.Missing = noLedger
		return s
	}
	s.Chart = amountChart("break-value-by-location", s.Title, "location",
		d.Ledger.ByLocation, d.Currency)
	return s
}

// amountChart draws open value per label as horizontal bars, with the
// breaks behind each value in its table. A bar's label says what it is
// worth, unknown included, so an empty bar never reads as zero.
func amountChart(name, title, what string, amounts []Amount, currency string) *chart {
	p := rows{name: name, title: title, yTitle: what,
		x: axis{title: "open break value (" + currencyOr(currency) + ")", tick: compact}}
	t := table{Head: []cell{textCell(what), numCell("open breaks"), numCell("open value")}}
	for _, a := range amounts {
		p.labels = append(p.labels, a.Label)
		p.values = append(p.values, a.Value)
		p.shown = append(p.shown, worth(currency, a))
		t.Rows = append(t.Rows, []cell{textCell(a.Label), numCell(count(a.Breaks)),
			numCell(worth(currency, a))})
	}
	c := p.draw()
	c.Table = t
	return c
}

func currencyOr(currency string) string {
	if currency == "" {
		return "value"
	}
	return currency
}

func weeklySection(d *Data) section {
	s := section{ID: "per-week", Title: "Breaks created and resolved per week",
		About: "Breaks created in each week, by the date a run first detected them, and " +
			"breaks resolved in each week, by the date of their resolution: a break " +
			"resolved this week may have been created weeks before."}
	if !d.HasReportCard {
		s.Missing = noReportCard
		return s
	}
	created := series{Name: "created", Class: "s1"}
	resolved := series{Name: "resolved", Class: "s2"}
	t := table{Head: []cell{textCell("week"), numCell("created"), numCell("value created"),
		numCell("resolved")}}
	for _, w := range d.Weeks {
		created.Values = append(created.Values, float64(w.Created))
		resolved.Values = append(resolved.Values, float64(w.Resolved))
		t.Rows = append(t.Rows, []cell{textCell(w.Week), numCell(count(w.Created)),
			numCell(maybeMoney(d.Currency, w.ValueCreated, w.HasValueCreated)),
			numCell(count(w.Resolved))})
	}
	s.Chart = columns{name: "breaks-per-week", title: s.Title, xTitle: "week",
		categories: weekNames(d.Weeks), series: []series{created, resolved},
		y: axis{title: "breaks", tick: compact, value: wholeNumber, minStep: 1}}.draw()
	s.Chart.Table = t
	return s
}

func openValueSection(d *Data) section {
	s := section{ID: "open-value", Title: "Open value at the end of each week",
		About: "What every break open at the end of each week is worth, whenever it was " +
			"detected: detected by then, not resolved by then, and seen by a run on or " +
			"after that day. The current week ends on the as-of date. A week whose open " +
			"breaks have no value has no point."}
	if !d.HasReportCard {
		s.Missing = noReportCard
		return s
	}
	p := trend{name: "open-value-per-week", title: s.Title, xTitle: "week",
		categories: weekNames(d.Weeks),
		y: axis{title: "open value (" + currencyOr(d.Currency) + ")", tick: compact,
			value: func(v float64) string { return money(d.Currency, v) }}}
	t := table{Head: []cell{textCell("week"), numCell("open value at its end")}}
	for _, w := range d.Weeks {
		p.values = append(p.values, w.OpenValue)
		p.known = append(p.known, w.HasOpenValue)
		t.Rows = append(t.Rows, []cell{textCell(w.Week),
			numCell(maybeMoney(d.Currency, w.OpenValue, w.HasOpenValue))})
	}
	s.Chart = p.draw()
	s.Chart.Table = t
	return s
}

func resolutionSection(d *Data) section {
	s := section{ID: "resolution", Title: "Time to resolution per week",
		About: "Median days from first detection to resolution of the breaks resolved in " +
			"each week, by the date of their resolution; a week with nothing resolved has " +
			"no bar."}
	if !d.HasReportCard {
		s.Missing = noReportCard
		return s
	}
	median := series{Name: "median days", Class: "s1"}
	t := table{Head: []cell{textCell("week"), numCell("resolved"),
		numCell("median days to resolution")}}
	for _, w := range d.Weeks {
		median.Values = append(median.Values, w.MedianDays)
		median.Shown = append(median.Shown, w.HasMedianDays)
		shown := "none resolved"
		if w.HasMedianDays {
			shown = days(w.MedianDays)
		}
		t.Rows = append(t.Rows, []cell{textCell(w.Week), numCell(count(w.Resolved)),
			numCell(shown)})
	}
	s.Chart = columns{name: "time-to-resolution", title: s.Title, xTitle: "week",
		categories: weekNames(d.Weeks), series: []series{median},
		y: axis{title: "median days to resolution", tick: days, value: days, minStep: 1}}.draw()
	s.Chart.Table = t
	return s
}

func weekNames(weeks []Week) []string {
	out := make([]string, len(weeks))
	for i, w := range weeks {
		out[i] = w.Week
	}
	return out
}

func wholeNumber(v float64) string { return plain(roundTo(v, 0)) }
