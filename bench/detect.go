package bench

import (
	"math"
	"sort"
	"strconv"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/proof"
	"github.com/invgen/invgen/synth"
)

// Score is how well one check, monitor or planted cause was detected.
type Score struct {
	Name string

	Planted int // faults planted for it
	Found   int // of those, reported exactly: keys, quantity and value

	// Hinted counts the faults found whose break the ledger gives the
	// root-cause hint of their cause (proof.Hints); monitors' patterns have
	// none.
	Hinted int

	// Reported is what the check or monitor raised: break rows, or alert
	// rows for a monitor; Explained, those a planted fault can have caused
	// (see causes). The rest are traps or clean data reported: false alarms.
	// For a cause, Reported counts the rows its faults explain and the
	// false alarms at the places they went, so a trap misfiring next to a
	// fault lowers its cause's precision.
	Reported  int
	Explained int

	TrueValue     float64 // planted breaks' value, absolute
	FoundValue    float64 // value of the breaks that matched them
	ReportedValue float64 // value of every break reported, absolute
}

// Recall is the share of planted faults found; 1 when none was planted.
func (s Score) Recall() float64 { return ratio(s.Found, s.Planted) }

// Precision is the share of reported rows a planted fault explains; 1 when
// nothing was reported.
func (s Score) Precision() float64 { return ratio(s.Explained, s.Reported) }

func ratio(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}

// Detection scores a run against the ground truth of its simulation.
type Detection struct {
	ByCheck []Score // per check and monitor, in the project's order
	ByCause []Score // per planted fault kind, sorted by name

	Missed      []proof.Injected // planted faults no row reports exactly
	Unexplained []Flagged        // reported rows no planted fault accounts for
	Mishinted   []Mishinted      // found faults the ledger gives another cause

	hints map[string]string // the ledger's root-cause hint by break key
	asOf  string            // the date the run judged, from the ground truth
}

// Mishinted is a fault found whose break the ledger hints at the wrong
// cause.
type Mishinted struct {
	Fault proof.Injected
	Hint  string // what the ledger said
}

// Flagged is a reported row no planted fault explains.
type Flagged struct {
	Model string
	Row   proof.Row
}

// Perfect reports whether every planted fault was found, with its cause's
// hint, and nothing else was reported: the target of the detection
// benchmark.
func (d *Detection) Perfect() bool {
	return len(d.Missed) == 0 && len(d.Unexplained) == 0 && len(d.Mishinted) == 0
}

// Rows reads a built model's rows.
type Rows func(model string) ([]proof.Row, error)

// ScoreDetection compares what the checks and monitors of a project
// reported with what a simulation planted. A fault is found when its model
// holds its break exactly (a monitor: an alert at its keys). A reported row
// is explained when a planted fault can have caused it: its own break, or
// a break its misreport makes in another check at its keys on the dates it
// changes, as a case-sized on-hand breaks parity on its day and
// conservation on that day and the next.
func ScoreDetection(e *contracts.Estate, res *generator.Result, truth proof.GroundTruth,
	read Rows) (*Detection, error) {
	hints, err := ledgerHints(read)
	if err != nil {
		return nil, err
	}
	d := &Detection{hints: hints, asOf: truth.AsOf}
	causes := map[string]*Score{}
	for _, u := range units(res) {
		rows, err := read(u.model)
		if err != nil {
			return nil, err
		}
		if u.monitor {
			rows = alertsOnly(rows)
		}
		s := Score{Name: u.name, Reported: len(rows)}
		for _, inj := range truth.Injected {
			if inj.Check == u.name {
				d.tally(&s, cause(causes, inj.Fault), inj, rows, u.monitor)
			}
		}
		for _, r := range rows {
			s.ReportedValue += absValue(r)
			if d.attribute(e, truth.Injected, causes, u.name, r) {
				s.Explained++
			} else {
				d.Unexplained = append(d.Unexplained, Flagged{Model: u.model, Row: r})
			}
		}
		d.ByCheck = append(d.ByCheck, s)
	}
	d.ByCause = sortedScores(causes)
	return d, nil
}

// attribute counts a reported row for the causes of the faults that can
// have caused it, and reports whether any can. A row none explains counts
// as a false alarm against the cause of every fault planted where it sits.
func (d *Detection) attribute(e *contracts.Estate, planted []proof.Injected,
	scores map[string]*Score, unit string, r proof.Row) bool {
	by := map[synth.Fault]bool{}
	for _, inj := range planted {
		if causes(place{e: e, inj: inj, asOf: d.asOf}, unit, r) {
			by[inj.Fault] = true
		}
	}
	explained := len(by) > 0
	if !explained {
		for _, inj := range planted {
			if near(e, inj, r) {
				by[inj.Fault] = true
			}
		}
	}
	for f := range by {
		c := cause(scores, f)
		c.Reported++
		if explained {
			c.Explained++
		}
	}
	return explained
}

// tally counts one planted fault for its check and its cause.
func (d *Detection) tally(s, c *Score, inj proof.Injected, rows []proof.Row, monitor bool) {
	truth := absPtr(inj.Break.Value)
	s.Planted, c.Planted = s.Planted+1, c.Planted+1
	s.TrueValue, c.TrueValue = s.TrueValue+truth, c.TrueValue+truth

	r, ok := caught(inj, rows, monitor)
	if !ok {
		d.Missed = append(d.Missed, inj)
		return
	}
	s.Found, c.Found = s.Found+1, c.Found+1
	if monitor {
		return
	}
	s.FoundValue += absValue(r)
	c.FoundValue += absValue(r)
	if want, ok := proof.Hints[inj.Fault]; ok {
		if got := d.hints[inj.LedgerKey()]; got != want {
			d.Mishinted = append(d.Mishinted, Mishinted{Fault: inj, Hint: got})
			return
		}
		s.Hinted, c.Hinted = s.Hinted+1, c.Hinted+1
	}
}

// ledgerHints reads the root-cause hint of every break in the ledger.
func ledgerHints(read Rows) (map[string]string, error) {
	rows, err := read("breaks_ledger")
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r["break_key"]] = r["root_cause_hint"]
	}
	return out, nil
}

func caught(inj proof.Injected, rows []proof.Row, monitor bool) (proof.Row, bool) {
	if monitor {
		return nil, proof.AlertsAt(rows, inj.Break.Keys)
	}
	for _, r := range rows {
		if proof.IsBreak(r, inj.Break) {
			return r, true
		}
	}
	return nil, false
}

// unit is a check or monitor and the model it reports in.
type unit struct {
	name, model string
	monitor     bool
}

func units(res *generator.Result) []unit {
	var out []unit
	for _, c := range res.Checks {
		out = append(out, unit{name: c.Name, model: c.Model})
	}
	for _, m := range res.Monitors {
		out = append(out, unit{name: m.Name, model: m.Model, monitor: true})
	}
	return out
}

func alertsOnly(rows []proof.Row) []proof.Row {
	var out []proof.Row
	for _, r := range rows {
		if r["status"] == "alert" {
			out = append(out, r)
		}
	}
	return out
}

// containsKeys reports whether a row holds every key of a planted break.
func containsKeys(r proof.Row, keys map[string]string) bool {
	for k, v := range keys {
		if got, ok := r[k]; !ok || got != v {
			return false
		}
	}
	return len(keys) > 0
}

func cause(causes map[string]*Score, f synth.Fault) *Score {
	s, ok := causes[string(f)]
	if !ok {
		s = &Score{Name: string(f)}
		causes[string(f)] = s
	}
	return s
}

func sortedScores(m map[string]*Score) []Score {
	out := make([]Score, 0, len(m))
	for _, s := range m {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func absValue(r proof.Row) float64 {
	v, err := strconv.ParseFloat(r["break_value"], 64)
	if err != nil {
		return 0
	}
	return math.Abs(v)
}

func absPtr(v *float64) float64 {
	if v == nil {
		return 0
	}
	return math.Abs(*v)
}
