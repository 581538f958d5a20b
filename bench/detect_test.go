package bench

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/proof"
	"github.com/invgen/invgen/synth"
)

func requirePerfect(t *testing.T, d *Detection) {
	t.Helper()
	for _, m := range d.Missed {
		t.Errorf("missed %s in %s: %v", m.Fault, m.Model, m.Break.Keys)
	}
	for _, u := range d.Unexplained {
		t.Errorf("false alarm in %s: %v", u.Model, u.Row)
	}
	for _, m := range d.Mishinted {
		t.Errorf("%s hinted %q at %s", m.Fault.Fault, m.Hint, m.Fault.LedgerKey())
	}
	require.True(t, d.Perfect())
}

// The bundled example's data carries one of each culprit: a run finds each
// exactly and reports nothing else.
func TestTheExampleRunFindsEveryCulpritAndNothingElse(t *testing.T) {
	dir := "../examples/retail"
	truth, err := readTruth(filepath.Join(dir, "data", "ground_truth.json"))
	require.NoError(t, err)
	db := filepath.Join(t.TempDir(), "run.duckdb")
	require.NoError(t, inProcess([]string{"run", dir, "--data", filepath.Join(dir, "data"),
		"--db", db, "--as-of", truth.AsOf}, 1))

	d, err := scoreRun(context.Background(), dir, db, truth)
	require.NoError(t, err)
	requirePerfect(t, d)

	causes := map[string]bool{}
	for _, s := range d.ByCause {
		causes[s.Name] = s.Planted > 0
	}
	for _, f := range []synth.Fault{synth.FaultLostMovement, synth.FaultDoublePost,
		synth.FaultCasesAsEaches, synth.FaultStaleAvailability, synth.FaultOpenRefund,
		synth.FaultMissingRows, synth.FaultTimezoneSplit, synth.FaultFlatline,
		synth.FaultVolumeDrop, synth.FaultMeanShift, synth.FaultZeroAdjustments,
		synth.FaultShrinkageRise} {
		require.True(t, causes[string(f)], "the example plants %s", f)
	}
	requireEveryUnitPlanted(t, d)
}

// requireEveryUnitPlanted requires a culprit for every check and monitor:
// a detection that plants none for one proves nothing about it.
func requireEveryUnitPlanted(t *testing.T, d *Detection) {
	t.Helper()
	for _, s := range d.ByCheck {
		require.Positive(t, s.Planted, "nothing planted for %s", s.Name)
	}
}

// A larger simulation, planted by the streaming planter, is scored the
// same way: every fault found with its value, no trap reported.
func TestASimulatedEstateIsDetectedExactly(t *testing.T) {
	d, err := Detect(context.Background(), inProcess, "../examples/retail", t.TempDir(),
		Estate{SKUs: 30, Locations: 7, Days: 45, Seed: 7})
	require.NoError(t, err)
	requirePerfect(t, d)

	var planted, value float64
	for _, s := range d.ByCheck {
		planted += float64(s.Planted)
		value += s.TrueValue
		require.InDelta(t, s.TrueValue, s.FoundValue, 1e-6, s.Name)
	}
	require.Greater(t, planted, 15.0)
	require.Positive(t, value)
	requireEveryUnitPlanted(t, d)
}

func TestScoringCountsMissesAndFalseAlarms(t *testing.T) {
	e := &contracts.Estate{}
	res := retailResult(t)
	value := 12.5
	truth := proof.GroundTruth{Injected: []proof.Injected{{
		Fault: synth.FaultLostMovement, Check: "movement_conservation",
		Model: "rec_movement_conservation", Place: &proof.Place{SKU: "S1", Location: "L1"},
		Break: synth.Break{Keys: map[string]string{"sku": "S1", "location_id": "L1",
			"business_date": "2026-01-07"}, Qty: -5, Value: &value},
	}}}
	rows := map[string][]proof.Row{"rec_movement_conservation": {
		{"sku": "S1", "location_id": "L1", "business_date": "2026-01-07",
			"break_qty": "-4", "break_value": "10"},
		{"sku": "S2", "location_id": "L1", "business_date": "2026-01-07",
			"break_qty": "3", "break_value": "7.5"},
	}}
	d, err := ScoreDetection(e, res, truth, func(m string) ([]proof.Row, error) {
		return rows[m], nil
	})
	require.NoError(t, err)

	require.False(t, d.Perfect())
	require.Len(t, d.Missed, 1, "a break of the wrong quantity is not the fault found")
	require.Len(t, d.Unexplained, 1)
	require.Equal(t, "S2", d.Unexplained[0].Row["sku"])
	s := d.ByCheck[0]
	require.Equal(t, Score{Name: "movement_conservation", Planted: 1, Reported: 2,
		Explained: 1, TrueValue: 12.5, ReportedValue: 17.5}, s)
	require.Equal(t, 0.0, s.Recall())
	require.Equal(t, 0.5, s.Precision())
}

func retailResult(t *testing.T) *generator.Result {
	t.Helper()
	e, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(e, generator.Options{})
	require.NoError(t, err)
	return res
}

// A fault found whose ledger row names another cause is not a perfect
// detection: the team would chase the wrong culprit.
func TestScoringCountsAWrongHint(t *testing.T) {
	res := retailResult(t)
	planted := func(sku string) proof.Injected {
		return proof.Injected{Fault: synth.FaultLostMovement, Check: "movement_conservation",
			Model: "rec_movement_conservation", Break: synth.Break{Keys: map[string]string{
				"system": "wms", "sku": sku, "location_id": "L1",
				"business_date": "2026-01-07"}, Qty: -5}}
	}
	row := func(sku string) proof.Row {
		return proof.Row{"system": "wms", "sku": sku, "location_id": "L1",
			"business_date": "2026-01-07", "break_qty": "-5"}
	}
	rows := map[string][]proof.Row{
		"rec_movement_conservation": {row("S1"), row("S2")},
		"breaks_ledger": {
			{"break_key": "movement_conservation|wms|S1|L1|2026-01-07",
				"root_cause_hint": "lost or unbooked movement"},
			{"break_key": "movement_conservation|wms|S2|L1|2026-01-07",
				"root_cause_hint": "timezone split"}},
	}
	truth := proof.GroundTruth{Injected: []proof.Injected{planted("S1"), planted("S2")}}
	d, err := ScoreDetection(&contracts.Estate{}, res, truth,
		func(m string) ([]proof.Row, error) { return rows[m], nil })
	require.NoError(t, err)

	require.Empty(t, d.Missed)
	require.Empty(t, d.Unexplained)
	require.Len(t, d.Mishinted, 1)
	require.Equal(t, "S2", d.Mishinted[0].Fault.Break.Keys["sku"])
	require.Equal(t, "timezone split", d.Mishinted[0].Hint)
	require.Equal(t, 1, d.ByCheck[0].Hinted)
	require.False(t, d.Perfect())
}

// A fault explains only what it can cause: a case-sized on-hand breaks
// parity on its day and conservation on that day and the next. A break at
// the same SKU-location on another day is a false alarm, and counts
// against the cause's precision as well as the check's.
func TestAFaultExplainsOnlyItsOwnKeysAndDays(t *testing.T) {
	e, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	res := retailResult(t)
	value := -30.0
	keys := map[string]string{"sku": "S1", "location_id": "L1", "business_date": "2026-01-07"}
	truth := proof.GroundTruth{Injected: []proof.Injected{{
		Fault: synth.FaultCasesAsEaches, Source: "wms_positions", Check: "erp_wms_parity",
		Model: "rec_erp_wms_parity", Place: &proof.Place{SKU: "S1", Location: "L1"},
		Break: synth.Break{Keys: keys, Qty: -55, Value: &value},
	}}}
	conservation := func(sku, date string) proof.Row {
		return proof.Row{"system": "wms", "sku": sku, "location_id": "L1",
			"business_date": date, "break_qty": "1", "break_value": "2"}
	}
	rows := map[string][]proof.Row{
		"rec_erp_wms_parity": {{"sku": "S1", "location_id": "L1",
			"business_date": "2026-01-07", "break_qty": "-55", "break_value": "-30"}},
		"rec_movement_conservation": {
			conservation("S1", "2026-01-07"), conservation("S1", "2026-01-08"),
			conservation("S1", "2026-01-10"), // a trap misfiring at the faulty place
			conservation("S2", "2026-01-07"), // clean data reported elsewhere
		},
	}
	d, err := ScoreDetection(e, res, truth, func(m string) ([]proof.Row, error) {
		return rows[m], nil
	})
	require.NoError(t, err)

	require.Empty(t, d.Missed)
	var flagged []string
	for _, u := range d.Unexplained {
		flagged = append(flagged, u.Row["sku"]+" "+u.Row["business_date"])
	}
	require.Equal(t, []string{"S1 2026-01-10", "S2 2026-01-07"}, flagged)
	byName := map[string]Score{}
	for _, s := range d.ByCheck {
		byName[s.Name] = s
	}
	require.Equal(t, 1.0, byName["erp_wms_parity"].Precision())
	require.Equal(t, 0.5, byName["movement_conservation"].Precision())

	require.Len(t, d.ByCause, 1)
	c := d.ByCause[0]
	require.Equal(t, string(synth.FaultCasesAsEaches), c.Name)
	require.Equal(t, 4, c.Reported, "its break, two conservation days and the trap beside it")
	require.Equal(t, 3, c.Explained)
	require.Equal(t, 0.75, c.Precision())
}

// A drifting on-hand breaks parity at its SKU-location once the drift
// passes the tolerance, within the drift window; a parity break there
// before the window, or elsewhere, is a false alarm.
func TestADriftExplainsParityBreaksInItsWindowOnly(t *testing.T) {
	e, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	truth := proof.GroundTruth{AsOf: "2026-02-14", Injected: []proof.Injected{{
		Fault: synth.FaultDrift, Source: "wms_positions", Check: "tolerance_drift",
		Model: "mon_tolerance_drift", Place: &proof.Place{SKU: "S1", Location: "KIT-02"},
		Break: synth.Break{Keys: map[string]string{"check_name": "movement_conservation",
			"location_id": "KIT-02"}},
	}}}
	parity := func(sku, date string) proof.Row {
		return proof.Row{"sku": sku, "location_id": "KIT-02", "business_date": date,
			"break_qty": "0.9", "break_value": "50"}
	}
	rows := map[string][]proof.Row{
		"mon_tolerance_drift": {{"check_name": "movement_conservation",
			"location_id": "KIT-02", "status": "alert"}},
		"rec_erp_wms_parity": {parity("S1", "2026-02-13"), parity("S1", "2026-02-07"),
			parity("S1", "2026-02-06"), parity("S2", "2026-02-13")},
	}
	d, err := ScoreDetection(e, retailResult(t), truth, func(m string) ([]proof.Row, error) {
		return rows[m], nil
	})
	require.NoError(t, err)

	require.Empty(t, d.Missed)
	var flagged []string
	for _, u := range d.Unexplained {
		flagged = append(flagged, u.Row["sku"]+" "+u.Row["business_date"])
	}
	require.Equal(t, []string{"S1 2026-02-06", "S2 2026-02-13"}, flagged,
		"the window is the 7 days ending on the judged date, 2026-02-13")
}
