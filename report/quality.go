package report

func accuracySection(d *Data) section {
	s := section{ID: "accuracy", Title: "Record accuracy by location class",
		About: "The share of counted SKU-locations whose record matches the count " +
			"within the class tolerance, against the target (the dashed line). The axis " +
			"runs from 0 to 100%, so each bar is in proportion; its label and the table " +
			"give the exact share."}
	if !d.HasAccuracy {
		s.Missing = noAccuracy
		return s
	}
	acc := series{Name: "record accuracy", Class: "s1"}
	var names []string
	t := table{Head: []cell{textCell("location class"), numCell("counted"),
		numCell("accurate"), numCell("record accuracy"), numCell("target"),
		textCell("status")}}
	for _, c := range d.Accuracy {
		names = append(names, className(c.Class))
		acc.Values = append(acc.Values, c.Accuracy)
		acc.Shown = append(acc.Shown, c.HasAccuracy)
		t.Rows = append(t.Rows, accuracyRow(c))
	}
	target, hasTarget := accuracyTarget(d.Accuracy)
	s.Chart = columns{name: "record-accuracy", title: s.Title, xTitle: "location class",
		categories: names, series: []series{acc}, target: target, hasTarget: hasTarget,
		labelled: true, y: axis{title: "record accuracy", tick: percent, value: percent}}.draw()
	s.Chart.Table = t
	return s
}

// className shows the overall row as such rather than as a class "all".
func className(class string) string {
	if class == "all" {
		return "overall"
	}
	return class
}

func accuracyRow(c ClassAccuracy) []cell {
	accuracy, target := "nothing counted", "none"
	if c.HasAccuracy {
		accuracy = percent(c.Accuracy)
	}
	if c.HasTarget {
		target = percent(c.Target)
	}
	return []cell{textCell(className(c.Class)), numCell(count(c.Counted)),
		numCell(count(c.Accurate)), numCell(accuracy), numCell(target), textCell(c.Status)}
}

// accuracyTarget is the overall row's target, else the first class's: the
// project sets one target, which every row repeats.
func accuracyTarget(rows []ClassAccuracy) (float64, bool) {
	var target float64
	found := false
	for _, c := range rows {
		if c.HasTarget && (!found || c.Class == "all") {
			target, found = c.Target, true
		}
	}
	return target, found
}

// monitorSection is the table of monitors' latest verdicts.
type monitorSection struct {
	Rows    []monitorRow
	Missing string
	Alerts  int
}

type monitorRow struct {
	Name, Date, Status, Alerts, Rows, Class string
}

func monitorsOf(ms []Monitor) monitorSection {
	if len(ms) == 0 {
		return monitorSection{Missing: "This database has no monitors (no main.mon_ " +
			"tables): the estate has no feed they judge."}
	}
	var out monitorSection
	for _, m := range ms {
		r := monitorRow{Name: m.Name, Date: m.BusinessDate, Status: m.Status,
			Alerts: count(m.Alerts), Rows: count(m.Rows)}
		if r.Date == "" && m.Rows > 0 {
			r.Date = "current" // it judges the present, as the quarantine SLA does
		} else if r.Date == "" {
			r.Date = "none"
		}
		switch m.Status {
		case statusAlert:
			r.Class = "alert"
			out.Alerts++
		case statusInsufficient:
			r.Class = "insufficient"
		}
		out.Rows = append(out.Rows, r)
	}
	return out
}
