package generator_test

import (
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/generator"
)

// retailFS is the retail example's contracts and invgen.yml, less the files
// named in remove; edit rewrites a file's text first.
func retailFS(t *testing.T, edit map[string]func(string) string, remove ...string) fstest.MapFS {
	t.Helper()
	entries, err := os.ReadDir("../examples/retail")
	require.NoError(t, err)
	fsys := fstest.MapFS{}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".yml" {
			continue
		}
		b, err := os.ReadFile("../examples/retail/" + e.Name())
		require.NoError(t, err)
		text := string(b)
		if f := edit[e.Name()]; f != nil {
			text = f(text)
		}
		fsys[e.Name()] = &fstest.MapFile{Data: []byte(text)}
	}
	for _, name := range remove {
		require.Contains(t, fsys, name)
		delete(fsys, name)
	}
	return fsys
}

// replace edits a file's text, and fails the test if old is not in it.
func replace(t *testing.T, old, new string) func(string) string {
	return func(s string) string {
		require.Contains(t, s, old)
		return strings.ReplaceAll(s, old, new)
	}
}

func monitorNames(res *generator.Result) []string {
	var out []string
	for _, m := range res.Monitors {
		out = append(out, m.Name)
	}
	return out
}

// requireNotGenerated checks that a monitor left out leaves no trace: no
// model, no test, no reference from another model.
func requireNotGenerated(t *testing.T, res *generator.Result, monitor string) {
	t.Helper()
	require.NotContains(t, monitorNames(res), monitor)
	for p, b := range res.Files {
		require.NotContains(t, string(b), "mon_"+monitor, p)
	}
}

func TestTheRetailExampleGeneratesEveryMonitor(t *testing.T) {
	require.Equal(t, []string{generator.MonitorVolume, generator.MonitorAdjustmentMean,
		generator.MonitorZeroAdjustments, generator.MonitorShrinkage, generator.MonitorFlatline,
		generator.MonitorStale, generator.MonitorToleranceDrift, generator.MonitorQuarantineSLA,
		"inventory_record_accuracy"}, monitorNames(retail(t)))
}

// With no tolerance above zero nothing can drift within one, so the drift
// monitor could never fire: it is not generated, and the build says why.
func TestNoToleranceMeansNoToleranceDriftMonitor(t *testing.T) {
	res := generate(t, retailFS(t, map[string]func(string) string{
		"invgen.yml": replace(t, "kit_build: {qty: 0.5}", "kit_build: {qty: 0}"),
	}))
	requireNotGenerated(t, res, generator.MonitorToleranceDrift)
	require.Contains(t, res.Notes, "monitor tolerance_drift not generated: no location "+
		"takes an absolute tolerance (qty) above zero for breaks to drift within; invgen "+
		"proves drift within an absolute tolerance only")
}

// A record accuracy target of 0 is one no accuracy can fall below: the
// report still measures accuracy, but it is no monitor and has no test
// that could never fail, and the build says so.
func TestAZeroAccuracyTargetRaisesNoAlert(t *testing.T) {
	res := generate(t, retailFS(t, map[string]func(string) string{
		"invgen.yml": replace(t, "  flatline_days: 30", "  flatline_days: 30\n  ira_target: 0"),
	}))
	require.NotContains(t, monitorNames(res), "inventory_record_accuracy")
	require.Contains(t, res.Files, "models/reports/rpt_inventory_record_accuracy.sql")
	docs := string(res.Files["models/reports/_reports__models.yml"])
	require.NotContains(t, docs, "__below_target")
	require.Contains(t, docs, "__no_counts")
	require.Contains(t, res.Notes, "record accuracy: monitors.ira_target is 0, which no "+
		"accuracy can fall below, so rpt_inventory_record_accuracy measures accuracy but "+
		"raises no alert")
	require.Contains(t, string(retail(t).Files["models/reports/_reports__models.yml"]),
		"__below_target")
}

// Class tolerances need a locations feed to say which location is of which
// class; without one only the default applies, and the build says so.
func TestClassTolerancesWithoutLocationsApplyNowhere(t *testing.T) {
	res := generate(t, retailFS(t, nil, "locations.yml"))
	require.Contains(t, res.Notes, "tolerances: no locations feed gives locations a class, "+
		"so the tolerances of dc, kit_build, store cannot apply; only default does")
	requireNotGenerated(t, res, generator.MonitorToleranceDrift)

	res = generate(t, retailFS(t, map[string]func(string) string{
		"invgen.yml": replace(t, "default: {qty: 0}", "default: {qty: 0.5}"),
	}, "locations.yml"))
	require.Contains(t, monitorNames(res), generator.MonitorToleranceDrift)

	res = retail(t)
	for _, n := range res.Notes {
		require.NotContains(t, n, "tolerances:")
	}
}

// Feeds that state no adjustments cannot carry any of the patterns the
// adjustment monitors exist for; feeds that state no shipments cannot show
// a flatline while stock ships.
func TestMonitorsFollowWhatTheMovementFeedsState(t *testing.T) {
	res := generate(t, retailFS(t, map[string]func(string) string{
		"wms_eu_movements.yml": replace(t, " ADJ: adjustment,", ""),
		"wms_us_movements.yml": replace(t, " CYC: adjustment,", ""),
	}))
	for _, m := range []string{generator.MonitorAdjustmentMean,
		generator.MonitorZeroAdjustments, generator.MonitorShrinkage} {
		requireNotGenerated(t, res, m)
	}
	require.Contains(t, res.Notes, "monitors adjustment_mean, zero_adjustments, "+
		"shrinkage_drift not generated: no movements feed states adjustments")
	require.Contains(t, monitorNames(res), generator.MonitorFlatline)

	res = generate(t, retailFS(t, map[string]func(string) string{
		"wms_eu_movements.yml": replace(t, " GI: shipment,", ""),
		"wms_us_movements.yml": replace(t, " SHP: shipment,", ""),
	}))
	requireNotGenerated(t, res, generator.MonitorFlatline)
	require.NotContains(t, res.Paths(), "models/intermediate/int_on_hand_flatlines.sql")
	require.NotContains(t, string(res.Files["models/ledger/breaks_observed.sql"]),
		"int_on_hand_flatlines")
	require.Contains(t, res.Notes, "monitor flatline not generated: no movements feed of a "+
		"reconciled system states shipments, and an on-hand nothing ships from is idle, "+
		"not frozen")
}

// An available-to-promise stated by date only has no age to hold to a
// freshness SLA, and a held row of a feed without loaded_at has none either.
func TestMonitorsNeedTheTimesTheyJudge(t *testing.T) {
	res := generate(t, retailFS(t, map[string]func(string) string{
		"erp_atp.yml": func(s string) string {
			s = replace(t, "{name: computed_at, type: timestamp, role: event_time}",
				"{name: computed_at, type: date, role: business_date}")(s)
			return replace(t, "  event_time_basis: utc\n", "")(s)
		},
	}))
	requireNotGenerated(t, res, generator.MonitorStale)
	require.Contains(t, res.Notes, "monitor stale_availability not generated: no "+
		"availability feed held to an available-to-promise stated with its time has a "+
		"freshness SLA")

	// Freshness is measured on loaded_at, so the SLA goes with it.
	noLoadedAt := func(sla string) func(string) string {
		return func(s string) string {
			s = replace(t, "  - {name: _loaded_at, type: timestamp, role: loaded_at}\n", "")(s)
			return replace(t, sla, "")(s)
		}
	}
	res = generate(t, retailFS(t, map[string]func(string) string{
		"wms_eu_movements.yml": noLoadedAt("  freshness_sla: 15m\n"),
		"wms_us_movements.yml": noLoadedAt("delivery:\n  freshness_sla: 30m\n"),
	}))
	requireNotGenerated(t, res, generator.MonitorQuarantineSLA)
	require.Contains(t, res.Notes, "monitor quarantine_sla not generated: no movements "+
		"feed has both an idempotency key and a loaded_at column, so no held duplicate "+
		"has an age to prove it on")
}

// A held row of a source without loaded_at has no age: its quarantined_at
// is null, the SLA monitor leaves the source out, and the build says so.
func TestQuarantineAgesOnlyWhatSaysWhenItLanded(t *testing.T) {
	res := retail(t)
	require.Contains(t, res.Notes, "quarantine: costs, locations, uom_conversions have no "+
		"loaded_at column, so how long their rows have been held cannot be measured and "+
		"the quarantine SLA cannot escalate them")
	costs := string(res.Files["models/staging/costs/quarantine_costs.sql"])
	require.Contains(t, costs, "cast(null as {{ dbt.type_timestamp() }}) as quarantined_at")
	require.NotContains(t, costs, "current_timestamp")
	require.Contains(t, string(res.Files["models/staging/costs/_costs__models.yml"]),
		"Null: the contract has no loaded_at column")
	require.Contains(t, string(res.Files["models/staging/refunds/quarantine_refunds.sql"]),
		"loaded_at as quarantined_at")

	sla := string(res.Files["models/monitors/mon_quarantine_sla.sql"])
	require.NotContains(t, sla, "quarantine_costs")
	require.Contains(t, sla, "quarantine_refunds")
}

// Every generated monitor names the feed its proof plants the pattern in.
func TestEveryMonitorHasAFeedToPlantItsPatternIn(t *testing.T) {
	for _, m := range retail(t).Monitors {
		require.NotEmpty(t, m.Target, m.Name)
	}
}

// The build says what goes unchecked: a movements feed with no control
// totals, and tickets that cannot fire without costs to value breaks.
func TestBuildNotesSayWhatGoesUnchecked(t *testing.T) {
	res := retail(t)
	require.Contains(t, res.Notes, "control totals: wms_us_movements names no control "+
		"totals, so whether it delivered every movement is unchecked")
	for _, n := range res.Notes {
		require.NotContains(t, n, "wms_eu_movements names no control totals")
		require.NotContains(t, n, "no costs feed")
	}

	res = generate(t, retailFS(t, nil, "costs.yml"))
	require.Contains(t, res.Notes, "no costs feed: break values are null, so no break can "+
		"reach the ticket threshold (5000 USD) and no ticket can fire")
}
