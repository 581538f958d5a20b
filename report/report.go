// Package report turns a run's DuckDB state into one self-contained HTML
// page: the breaks ledger, its weekly report card, record accuracy and the
// monitors, as charts with their numbers beside them. It exists because the
// ledger is the program's report card and finance reads it in a browser,
// not in a terminal, often offline or from an attachment, so the page loads
// nothing from the network.
//
// Reading and rendering are separate: Read queries the database into plain
// structs, and Render is a pure function of them, so the same data always
// gives the same bytes and tests need no database to check the page.
package report

// Data is everything the page shows. A nil section means the estate has no
// table for it (no feed produces it), which the page says rather than hides.
type Data struct {
	// Currency labels break values; the database does not record it.
	Currency string
	// AsOf is the date the latest run judged, YYYY-MM-DD; empty when the
	// database holds no run.
	AsOf string
	// Ledger is main.breaks_ledger summarised; nil when the table is absent.
	Ledger *Ledger
	// Weeks is the overall rows of main.rpt_breaks_report_card, oldest first;
	// nil when the table is absent.
	Weeks []Week
	// HasReportCard tells an absent report card from an empty one.
	HasReportCard bool
	// Accuracy is main.rpt_inventory_record_accuracy, classes by name and the
	// overall row last; nil when the table is absent.
	Accuracy []ClassAccuracy
	// HasAccuracy tells an absent accuracy report from an empty one.
	HasAccuracy bool
	// Monitors is the latest status of every main.mon_ table, by name.
	Monitors []Monitor
}

// Ledger is what the breaks ledger holds: open breaks are the money at
// stake now, so the totals and charts count those.
type Ledger struct {
	// Open totals the open breaks (value as abs(break_value)).
	Open Amount
	// Tiers holds page, ticket and digest first, then any other tier by name.
	Tiers []Amount
	// Statuses counts every break by status: open, cleared, resolved, then
	// any other by name.
	Statuses []Amount
	// Unvalued counts the breaks of every status that have no value.
	Unvalued int64
	// ByCheck is open value per check, largest first, unknown values last.
	ByCheck []Amount
	// ByLocation is open value per location, ordered so, at most ten.
	ByLocation []Amount
}

// Amount is a number of breaks and what they are worth under one label.
// A break without a value (a row count has none, and a check whose SKU has
// no unit cost has none) is counted in Unvalued and adds nothing to Value,
// so that an unknown value is never shown as zero.
type Amount struct {
	Label    string
	Breaks   int64
	Value    float64
	Unvalued int64
}

// Week is one week of the report card. Each figure counts by the date it
// is about: breaks created by their first detection, breaks resolved and
// their median days by the date of resolution, and the open value at the
// week's end (or on the as-of date, for the week holding it).
type Week struct {
	// Week is the Monday starting it, YYYY-MM-DD.
	Week            string
	Created         int64
	ValueCreated    float64
	HasValueCreated bool // false when no break created that week has a value
	Resolved        int64
	MedianDays      float64
	HasMedianDays   bool // false when nothing was resolved that week
	OpenValue       float64
	HasOpenValue    bool // false when no break open at the week's end has a value
}

// ClassAccuracy is inventory record accuracy for one location class, or
// overall when Class is "all".
type ClassAccuracy struct {
	Class       string
	Counted     int64
	Accurate    int64
	Accuracy    float64 // a share, 0 to 1
	HasAccuracy bool    // false when nothing was counted
	Target      float64 // a share, 0 to 1
	HasTarget   bool
	MeetsTarget bool
	Status      string
}

// Monitor is a monitor's verdict on the latest business date it judged.
type Monitor struct {
	Name string
	// BusinessDate is the latest judged date; empty when the monitor has
	// no business_date column (it judges the present, as the quarantine
	// SLA does) or no rows.
	BusinessDate string
	// Status is "alert" when any row alerts, else "insufficient history"
	// when any row lacks history, else "ok"; "no rows" when it judged none.
	Status       string
	Rows         int64
	Alerts       int64
	Insufficient int64
}
