package proof

import (
	"fmt"
	"sort"
	"strings"
	"time"

	c "github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
)

// The traps: rows a clean estate holds that look like breaks to a careless
// check and must leave every check silent.
const (
	TrapMidnight = "movements near local midnight"
	TrapUnits    = "quantities converted to eaches"
	TrapReplay   = "exact replays"
	TrapNoise    = "sub-tolerance noise"
	TrapGrace    = "refunds in grace"
	TrapEdge     = "refunds on grace's last day"
	TrapShort    = "days short within min_ratio"
)

// Trap is one trap the estate's contracts make possible, counted on the
// clean estate. A check silent on a clean estate that holds none of a trap
// has proven nothing about it, so each count must be above zero.
type Trap struct {
	Kind  string // one of the Trap constants
	Where string // the feed, or the location class of TrapNoise
	Zone  string // the feed's timezone, for TrapMidnight
	Model string // the model counted, or models separated by ", "
	Rows  int

	source string // the feed it is counted in; empty for TrapNoise
	query  string

	// room, when set, counts what the clean estate needs for the trap to be
	// possible at all: the trap is not required where it counts none.
	room string
}

// TrapError is a trap the contracts make possible that the clean estate
// does not hold: a gap in the synthesised estate, not in the user's input.
type TrapError struct {
	Trap Trap
}

// Error names the trap and where it was looked for, which is what must be
// fixed in the synthesised estate.
func (e *TrapError) Error() string {
	return fmt.Sprintf("the clean estate holds no %s in %s (%s), so the checks' silence "+
		"on it proves nothing: a gap in invgen's synthesised estate", e.Trap.Kind,
		e.Trap.Place(), e.Trap.Model)
}

// Place says where a trap was counted: the feed, with its timezone for
// TrapMidnight, or the location class.
func (t Trap) Place() string {
	if t.Zone != "" {
		return t.Where + ", " + t.Zone
	}
	return t.Where
}

// holdTraps counts every trap on the clean estate of a workbench and fails
// on the first that it does not hold. It returns the traps held and, apart,
// the feeds whose traps could not be counted because the clean estate
// delivers no rows in them.
func holdTraps(wb *workbench, res *generator.Result) ([]Trap, []string, error) {
	traps, idle, err := countTraps(wb, res)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range traps {
		if t.Rows == 0 {
			return nil, nil, &TrapError{Trap: t}
		}
	}
	return traps, idle, nil
}

// countTraps counts, on the clean estate of a workbench, each trap the
// contracts make possible in a feed that has rows. The feeds with none are
// idle: the synthesised estate splits a system's few locations between its
// movements feeds, so where a system has more movements feeds than
// locations, some book nothing.
func countTraps(wb *workbench, res *generator.Result) ([]Trap, []string, error) {
	asOf, _ := wb.vars["invgen_as_of_date"].(string)
	feeds := feedRows{}
	var traps []Trap
	for _, t := range possibleTraps(wb.e, res, asOf) {
		ok, err := feeds.delivered(wb, t.source)
		if err != nil {
			return nil, nil, err
		}
		if ok && t.room != "" {
			ok, err = some(wb, t.room)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("counting the room for %s in %s: %w", t.Kind,
				t.Model, err)
		}
		if !ok {
			continue
		}
		if t.Rows, err = count(wb, t.query); err != nil {
			return nil, nil, fmt.Errorf("counting %s in %s: %w", t.Kind, t.Model, err)
		}
		traps = append(traps, t)
	}
	return traps, feeds.idle(), nil
}

// feedRows are the raw rows of each feed asked about, counted once.
type feedRows map[string]int

// delivered reports whether the clean estate has rows in a feed; a trap
// counted in no feed always has somewhere to be.
func (f feedRows) delivered(wb *workbench, source string) (bool, error) {
	if source == "" {
		return true, nil
	}
	if _, counted := f[source]; !counted {
		n, err := count(wb, countWhere("base_"+source, "true"))
		if err != nil {
			return false, fmt.Errorf("counting the rows of %s: %w", source, err)
		}
		f[source] = n
	}
	return f[source] > 0, nil
}

// idle lists, sorted, the feeds with no rows.
func (f feedRows) idle() []string {
	var out []string
	for source, n := range f {
		if n == 0 {
			out = append(out, source)
		}
	}
	sort.Strings(out)
	return out
}

func count(wb *workbench, query string) (n int, err error) {
	err = wb.db.QueryRowContext(wb.ctx, query).Scan(&n)
	return n, err
}

func some(wb *workbench, query string) (bool, error) {
	n, err := count(wb, query)
	return n > 0, err
}

// possibleTraps lists the traps the contracts make possible, each with the
// query that counts it, in a fixed order: by kind, then by contract.
func possibleTraps(e *c.Estate, res *generator.Result, asOf string) []Trap {
	var out []Trap
	out = append(out, midnightTraps(e)...)
	out = append(out, unitTraps(e)...)
	out = append(out, replayTraps(e)...)
	out = append(out, noiseTraps(e, res)...)
	out = append(out, graceTraps(e, asOf)...)
	return append(out, shortTraps(e, res)...)
}

// midnightTraps: each movements feed that books single movements at a time
// in a timezone away from UTC holds movements within an hour of local
// midnight whose business date is not the UTC date of the instant, so that
// a careless UTC date moves them to the next or previous day. Only one side
// of midnight crosses the UTC date in a zone: just after it east of UTC,
// just before it west. Staging states event_time as local time.
func midnightTraps(e *c.Estate) []Trap {
	var out []Trap
	for _, con := range e.ByFeed(c.FeedMovements) {
		if !transactional(con) || !con.Has(c.RoleEventTime) ||
			keepsUTC(con.Semantics.Timezone) {
			continue
		}
		model := "stg_" + con.Source
		out = append(out, Trap{Kind: TrapMidnight, Where: con.Source,
			Zone: con.Semantics.Timezone, Model: model, source: con.Source,
			query: countWhere(model, "extract(hour from event_time) in (23, 0) and "+
				"business_date <> cast(event_time_utc as date)")})
	}
	return out
}

// unitTraps: each feed whose quantities can arrive in a unit other than
// eaches holds rows converted per SKU.
func unitTraps(e *c.Estate) []Trap {
	var out []Trap
	for _, con := range e.Contracts {
		if !con.Has(c.RoleQuantity) || !otherUnits(con) {
			continue
		}
		model := "stg_" + con.Source
		out = append(out, Trap{Kind: TrapUnits, Where: con.Source, Model: model,
			source: con.Source, query: countWhere(model, "uom <> "+sqlText(c.UOMEaches))})
	}
	return out
}

// otherUnits reports whether a feed can state a quantity in a unit other
// than eaches: its constant unit, or one its uom column maps a code to or
// passes through.
func otherUnits(con *c.Contract) bool {
	if u := con.UOM(); u != "" {
		return u != c.UOMEaches
	}
	col, _ := con.Column(c.RoleUOM)
	if len(col.Values) == 0 {
		return true
	}
	for _, v := range col.Values {
		if v != c.UOMEaches {
			return true
		}
	}
	return false
}

// replayTraps: each movements feed that books single movements holds the
// same row delivered twice under its idempotency key, which quarantine
// holds as an exact replay rather than counting it twice.
func replayTraps(e *c.Estate) []Trap {
	var out []Trap
	for _, con := range e.ByFeed(c.FeedMovements) {
		if !transactional(con) || len(con.Semantics.IdempotencyKey) == 0 {
			continue
		}
		model := "quarantine_" + con.Source
		out = append(out, Trap{Kind: TrapReplay, Where: con.Source, Model: model,
			source: con.Source, query: countWhere(model, "quarantine_reason = 'exact replay'")})
	}
	return out
}

// noiseTraps: where conservation or parity compares on-hand that can hold
// fractions, each location class with an absolute tolerance of its own
// holds sub-unit breaks inside it; failing any, the default tolerance
// does: where every class the locations feed names has its own, at a
// location the feed does not list.
func noiseTraps(e *c.Estate, res *generator.Result) []Trap {
	models := comparisonModels(res)
	if len(models) == 0 || !fractionalOnHand(e) {
		return nil
	}
	var selects []string
	for _, m := range models {
		selects = append(selects, "select location_class, break_qty, tolerance_qty "+
			"from main.\""+m+"\"")
	}
	within := "select count(*) from (" + strings.Join(selects, " union all ") +
		") as compared where break_qty <> 0 and abs(break_qty) <= tolerance_qty"
	model := strings.Join(models, ", ")

	var out []Trap
	for _, class := range e.AbsoluteToleranceClasses() {
		out = append(out, Trap{Kind: TrapNoise, Where: class, Model: model,
			query: within + " and location_class = " + sqlText(class)})
	}
	if len(out) == 0 && e.Project.Tolerances[c.DefaultTolerance].Qty > 0 {
		out = append(out, Trap{Kind: TrapNoise, Where: "the default tolerance",
			Model: model, query: within})
	}
	return out
}

// comparisonModels are the models holding every comparison, within
// tolerance or not, of the checks that apply a tolerance to on-hand.
func comparisonModels(res *generator.Result) []string {
	var out []string
	for _, ch := range res.Checks {
		switch ch.Name {
		case generator.CheckConservation:
			out = append(out, "int_conservation_compared")
		case generator.CheckParity:
			out = append(out, "int_parity_compared")
		}
	}
	return out
}

// fractionalOnHand reports whether some feed reports on-hand in a column
// that can hold a fraction of a unit, where sub-unit noise can show.
func fractionalOnHand(e *c.Estate) bool {
	for _, con := range e.ByFeed(c.FeedPositions) {
		if con.QuantityField() == c.QuantityOnHand && con.HoldsFractions() {
			return true
		}
	}
	return false
}

// graceTraps: where dispositions close refunds, each refunds feed holds
// refunds still inside the grace period with no disposition yet, which the
// returns check must not report, and among them refunds on the last day of
// grace, exactly grace days before the as-of date, which a check that
// counts grace a day shorter would.
func graceTraps(e *c.Estate, asOf string) []Trap {
	dispositions := e.ByFeed(c.FeedDispositions)
	grace := e.Project.Grace.ReturnsDays
	if len(dispositions) == 0 || grace == 0 || asOf == "" {
		return nil
	}
	open := ""
	for _, d := range dispositions {
		open += " and cast(refund_id as varchar) not in (select cast(refund_id as " +
			"varchar) from main.\"stg_" + d.Source + "\" where refund_id is not null)"
	}
	edge := fmt.Sprintf("date '%s' - interval %d day", asOf, grace)
	var in, on []Trap
	for _, con := range e.ByFeed(c.FeedRefunds) {
		model := "stg_" + con.Source
		in = append(in, Trap{Kind: TrapGrace, Where: con.Source, Model: model,
			source: con.Source, query: countWhere(model, "business_date >= "+edge+open)})
		on = append(on, Trap{Kind: TrapEdge, Where: con.Source, Model: model,
			source: con.Source, query: countWhere(model, "business_date = "+edge+open)})
	}
	return append(in, on...)
}

// shortTraps: each feed checked against a control total holds a day short
// of it by as many rows as min_ratio tolerates, which the control totals
// check must not report. It is possible only where the ratio leaves room
// for a row on some day of the clean estate: a day of n rows received
// could have been counted as n + 1 and still met it.
func shortTraps(e *c.Estate, res *generator.Result) []Trap {
	if !hasCheck(res, generator.CheckControlTotals) {
		return nil
	}
	const model = "int_rows_against_control_totals"
	var out []Trap
	for _, con := range e.Contracts {
		comp := con.Delivery.Completeness
		if comp == nil || comp.Ratio() >= 1 {
			continue
		}
		fed := "source_name = " + sqlText(con.Source)
		out = append(out, Trap{Kind: TrapShort, Where: con.Source, Model: model,
			source: con.Source,
			query: countWhere(model, fed+" and actual_qty < expected_qty and "+
				"actual_qty >= expected_qty * min_ratio"),
			room: countWhere(model, fed+" and (actual_qty + 1) * min_ratio <= actual_qty")})
	}
	return out
}

func hasCheck(res *generator.Result, name string) bool {
	for _, ch := range res.Checks {
		if ch.Name == name {
			return true
		}
	}
	return false
}

// transactional reports whether a movements feed books one row per movement
// rather than a daily summary.
func transactional(con *c.Contract) bool {
	return con.Semantics.MovementGrain != c.GrainDaySummary
}

// keepsUTC reports whether a timezone is UTC all year, where local midnight
// is UTC midnight and a movement near it is no trap.
func keepsUTC(tz string) bool {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return true
	}
	for _, m := range []time.Month{time.January, time.July} {
		if _, offset := time.Date(2026, m, 1, 0, 0, 0, 0, loc).Zone(); offset != 0 {
			return false
		}
	}
	return true
}

func countWhere(model, cond string) string {
	return `select count(*) from main."` + model + `" where ` + cond
}

func sqlText(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// readModels are the models a proof reads: the checks', the monitors', the
// ones its traps are counted in, and every feed's staging. Nothing else
// need be built on a workbench.
func readModels(e *c.Estate, res *generator.Result, asOf string) []string {
	var out []string
	for _, ch := range res.Checks {
		out = append(out, ch.Model)
	}
	for _, m := range res.Monitors {
		out = append(out, m.Model)
	}
	for _, t := range possibleTraps(e, res, asOf) {
		out = append(out, strings.Split(t.Model, ", ")...)
	}
	for _, con := range e.Contracts {
		out = append(out, "base_"+con.Source, "stg_"+con.Source)
	}
	return out
}
