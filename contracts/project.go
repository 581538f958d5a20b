package contracts

// Project is invgen.yml: the settings that are not any one producer's to
// state. Every field has a default, so a folder of contracts with no project
// file still builds.
type Project struct {
	// File is the project file's path, or "" when defaults are in use.
	File string `yaml:"-"`

	Name       string               `yaml:"project"`
	Profile    string               `yaml:"profile"`
	Output     string               `yaml:"output"`
	Fixtures   string               `yaml:"fixtures"`
	Currency   string               `yaml:"currency"`
	Targets    []string             `yaml:"targets"`
	Tolerances map[string]Tolerance `yaml:"tolerances"`
	Alerts     Alerts               `yaml:"alerts"`
	Grace      Grace                `yaml:"grace"`
	Monitors   Monitors             `yaml:"monitors"`
	Quarantine QuarantineSettings   `yaml:"quarantine"`
	Checks     CheckPairs           `yaml:"checks"`

	pos map[string]Pos
}

// Tolerance is how far two numbers may disagree at one location class before
// it is a break. Kit builds and repacks make legitimate sub-unit noise;
// tolerance zero everywhere teaches people to ignore alerts.
type Tolerance struct {
	Qty float64 `yaml:"qty"`
	Pct float64 `yaml:"pct"`
}

// Alerts sets the money thresholds of the alert tiers.
type Alerts struct {
	TicketValue float64 `yaml:"ticket_value"`
}

// Grace holds how long a process may legitimately take before it is a break.
type Grace struct {
	ReturnsDays int `yaml:"returns_days"`
}

// Monitors configures the distributional monitors' baselines.
type Monitors struct {
	BaselineDays   int     `yaml:"baseline_days"`
	MinHistoryDays int     `yaml:"min_history_days"`
	Sigma          float64 `yaml:"sigma"`
	FlatlineDays   int     `yaml:"flatline_days"`
	DriftDays      int     `yaml:"drift_days"`
	IRATarget      float64 `yaml:"ira_target"`
}

// QuarantineSettings sets how long rows may sit in quarantine.
type QuarantineSettings struct {
	SLADays int `yaml:"sla_days"`
}

// CheckPairs names the sources of each check explicitly, for estates where
// inference from system, feed and quantity_field is not wanted. A check
// with any pair listed uses exactly those pairs.
type CheckPairs struct {
	// ConservationForm is how movement conservation is written: one
	// windowed scan (the default, which also checks across days with no
	// snapshot) or a self-join on the previous date (faster on DuckDB, but
	// a day without a snapshot silently skips the next day's check).
	ConservationForm string `yaml:"conservation_form"`

	Conservation []ConservationPair `yaml:"conservation"`
	Parity       []ParityPair       `yaml:"parity"`
	Honesty      []HonestyPair      `yaml:"honesty"`
	Returns      []ReturnsPair      `yaml:"returns"`
}

// ConservationPair is one system's on-hand positions and the movements that
// should explain their changes.
type ConservationPair struct {
	Positions string   `yaml:"positions"`
	Movements []string `yaml:"movements"`
}

// ParityPair is two on-hand position feeds that must agree.
type ParityPair struct {
	ERP string `yaml:"erp"`
	WMS string `yaml:"wms"`
}

// HonestyPair is a storefront availability feed and the ATP it must not
// exceed.
type HonestyPair struct {
	Availability string `yaml:"availability"`
	ATP          string `yaml:"atp"`
}

// ReturnsPair is a refunds feed and the dispositions that must close it.
type ReturnsPair struct {
	Refunds      string `yaml:"refunds"`
	Dispositions string `yaml:"dispositions"`
}

// Conservation forms.
const (
	ConservationWindow   = "window"
	ConservationSelfJoin = "self_join"
)

// Targets invgen can emit dispatched macros for.
var Targets = []string{"duckdb", "postgres", "snowflake", "bigquery", "spark"}

// minBaselineDays is the shortest baseline window invgen.yml accepts.
const minBaselineDays = 7

// DefaultTolerance is the location class whose tolerance applies to classes
// the project does not list.
const DefaultTolerance = "default"

// DefaultProject returns the settings used where invgen.yml is silent.
func DefaultProject() Project {
	return Project{
		Name:       "inventory_reconciliation",
		Profile:    "inventory_reconciliation",
		Output:     "dbt",
		Currency:   "USD",
		Targets:    append([]string(nil), Targets...),
		Tolerances: map[string]Tolerance{DefaultTolerance: {}},
		Alerts:     Alerts{TicketValue: 5000},
		Grace:      Grace{ReturnsDays: 14},
		Monitors: Monitors{
			BaselineDays: 90, MinHistoryDays: 28, Sigma: 3, FlatlineDays: 30,
			DriftDays: 7, IRATarget: 0.997,
		},
		Quarantine: QuarantineSettings{SLADays: 7},
	}
}

// Pos returns where the value at path sits in the project file.
func (p *Project) Pos(path string) Pos {
	return nearest(p.pos, p.File, path)
}

// ToleranceFor returns the tolerance of a location class, falling back to
// the default class.
func (p *Project) ToleranceFor(class string) Tolerance {
	if t, ok := p.Tolerances[class]; ok {
		return t
	}
	return p.Tolerances[DefaultTolerance]
}

var toleranceSpec = object("How far numbers may disagree at one location class.",
	opt("qty", number("Absolute tolerance in eaches.").atLeast(0).defaults("0")),
	opt("pct", number("Relative tolerance, as a fraction of the expected quantity; below "+
		"1, which would excuse any shortfall: an on-hand stated in cases, or a receipt "+
		"posted twice, could never break it.").under(0, 1).defaults("0")),
)

var projectSpec = object("invgen.yml: the project settings beside the contracts.",
	opt("project", str("The dbt project name.").matching(namePattern).
		defaults("inventory_reconciliation")),
	opt("profile", str("The dbt profile the project uses.").matching(namePattern).
		defaults("the project name")),
	opt("output", str("Where `invgen build` writes the dbt project, relative to this "+
		"file.").defaults("dbt")),
	opt("fixtures", str("A folder of <source>.csv files to validate the generated "+
		"models against; without it invgen synthesises data from the contracts.")),
	opt("currency", str("The currency of unit costs and break values.").defaults("USD")),
	opt("targets", list("The warehouses the project must build on.",
		str("").oneOf(Targets...))),
	opt("tolerances", mapOf("Tolerance per location class; `default` applies to "+
		"classes not listed, and everywhere when no locations feed gives locations "+
		"their class.", toleranceSpec).keysMatching(namePattern)),
	opt("alerts", object("Alert tiers by money.",
		opt("ticket_value", number("A break worth at least this much opens a ticket.").
			atLeast(0).defaults("5000")),
	)),
	opt("grace", object("How long a process may legitimately take.",
		opt("returns_days", integer("Days a refund may wait for its disposition.").
			atLeast(0).defaults("14")),
	)),
	opt("monitors", object("Distributional monitor baselines, computed from history.",
		opt("baseline_days", integer("Days of history a baseline is computed over.").
			atLeast(minBaselineDays).defaults("90")),
		opt("min_history_days", integer("Fewer days than this is insufficient history; "+
			"at most baseline_days, which the history is counted in.").
			atLeast(1).defaults("28")),
		opt("sigma", number("A mean outside mean ± sigma·σ is an alert.").
			atLeast(0).defaults("3")),
		opt("flatline_days", integer("An on-hand unchanged for longer than this while "+
			"stock ships is a flatline.").atLeast(1).defaults("30")),
		opt("drift_days", integer("Days over which sub-tolerance breaks must net out; "+
			"more than the tolerance accumulated is drift.").atLeast(1).defaults("7")),
		opt("ira_target", number("The inventory record accuracy to meet: the share of "+
			"counted SKU-locations whose record matches the count within tolerance.").
			between(0, 1).defaults("0.997")),
	)),
	opt("quarantine", object("Quarantine service level.",
		opt("sla_days", integer("Quarantined rows older than this escalate.").
			atLeast(1).defaults("7")),
	)),
	opt("checks", object("Explicit check pairs; a check with pairs listed here compares "+
		"exactly those and is not inferred.",
		opt("conservation_form", str("How conservation is written: one windowed scan, "+
			"which also checks across days with no snapshot, or a self-join on the previous "+
			"date, faster on DuckDB but blind after a missing snapshot.").
			oneOf(ConservationWindow, ConservationSelfJoin).defaults(ConservationWindow)),
		opt("conservation", list("On-hand positions and the movements that explain them.",
			object("", req("positions", str("A positions source holding on-hand, whose "+
				"day-to-day changes the movements must explain.").matching(namePattern)),
				req("movements", list("The movements sources that book those changes; "+
					"pairs naming the same positions add their movements up.",
					str("").matching(namePattern)))))),
		opt("parity", list("ERP and WMS on-hand positions that must agree.",
			object("", req("erp", str("The positions source holding the ERP's on-hand: "+
				"the expected side.").matching(namePattern)),
				req("wms", str("The positions source holding the WMS's on-hand, compared "+
					"with that ERP source only.").matching(namePattern))))),
		opt("honesty", list("Storefront availability and the ATP it must not exceed.",
			object("", req("availability", str("An availability source: what the "+
				"storefront showed.").matching(namePattern)),
				req("atp", str("The positions source holding the available-to-promise "+
					"that availability may not exceed.").matching(namePattern))))),
		opt("returns", list("Refunds and the dispositions that must close them.",
			object("", req("refunds", str("A refunds source: the refunded return lines "+
				"that must reach a disposition.").matching(namePattern)),
				req("dispositions", str("The dispositions source whose restocks, scraps and "+
					"losses close them.").matching(namePattern))))),
	)),
)
