package proof

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/synth"
)

// mutant is a plausible mistake in a generated monitor: text of its model
// replaced (old, then new, in pairs), which the monitor's proof must catch
// and name the monitor.
type mutant struct {
	name    string
	monitor string
	replace []string
}

// Texts the mutants replace.
const (
	textSigma  = "{{ var('invgen_sigma') }}"
	textBefore = "and business_date < {{ invgen_evaluated_date() }}"
	textUpTo   = "and business_date <= {{ invgen_evaluated_date() }}"
	textDrift  = "var('invgen_drift_days')"
	textAfter  = "business_date > {{ invgen_window_start"
	textSLA    = "-1 * var('invgen_quarantine_sla_days')"
)

// mutants are the mistakes the monitor proofs exist to catch: a statistic
// that ignores the spread, a judged day in its own baseline, a band of
// extremes, quiet days left out, windows a day or four times too long or a
// day too short, an SLA a day off either way.
var mutants = []mutant{
	{"sigma replaced by 0.0001", generator.MonitorAdjustmentMean,
		[]string{textSigma, "0.0001"}},
	{"sigma replaced by 0.0001", generator.MonitorShrinkage, []string{textSigma, "0.0001"}},
	{"judged day in its own baseline", generator.MonitorAdjustmentMean,
		[]string{textBefore, textUpTo}},
	{"judged day in its own baseline", generator.MonitorShrinkage,
		[]string{textBefore, textUpTo}},
	{"judged day in its own baseline", generator.MonitorVolume,
		[]string{textBefore, textUpTo}},
	{"min and max instead of p05 and p99", generator.MonitorVolume, []string{
		"{{ invgen_percentile('row_count', 0.05) }}", "min(row_count)",
		"{{ invgen_percentile('row_count', 0.99) }}", "max(row_count)"}},
	{"days without rows left out", generator.MonitorVolume,
		[]string{"    from history\n", "    from {{ ref('int_daily_row_counts') }}\n"}},
	{"drift window four times as long", generator.MonitorToleranceDrift,
		[]string{textDrift, textDrift + " * 4"}},
	{"drift window a day longer", generator.MonitorToleranceDrift,
		[]string{textAfter, "business_date >= {{ invgen_window_start"}},
	{"drift window a day shorter", generator.MonitorToleranceDrift,
		[]string{textDrift, textDrift + " - 1"}},
	{"quarantine SLA a day longer", generator.MonitorQuarantineSLA,
		[]string{textSLA, "-1 * (var('invgen_quarantine_sla_days') + 1)"}},
	{"quarantine SLA a day shorter", generator.MonitorQuarantineSLA,
		[]string{textSLA, "-1 * (var('invgen_quarantine_sla_days') - 1)"}},
}

// Every mutant of a monitor's SQL fails its proof, naming the monitor:
// the clean history's near misses and the patterns just past each
// threshold test the statistics, not only that something fires. The
// retail project is generated and built once; each mutant rebuilds only
// its own model, and is proven on the clean history and on its monitor's
// pattern, after the unmutated monitor is proven on both.
func TestEveryMonitorMutantFailsItsProof(t *testing.T) {
	ctx := context.Background()
	estate, res := retailResult(t)
	p := synth.ProofParams()
	p.Days = historyDays(estate, p)
	project, err := engine.Load(res.All())
	require.NoError(t, err)
	clean := synth.NewWorld(estate, p)
	wb, err := newWorkbench(ctx, estate, project, clean)
	require.NoError(t, err)
	defer wb.close()

	for _, name := range []string{generator.MonitorVolume, generator.MonitorAdjustmentMean,
		generator.MonitorShrinkage, generator.MonitorToleranceDrift,
		generator.MonitorQuarantineSLA} {
		require.NoError(t, proveOne(wb, res, project, monitorNamed(t, res, name), clean, p),
			"the unmutated %s", name)
	}
	for _, mu := range mutants {
		m := monitorNamed(t, res, mu.monitor)
		broken := mutate(t, res, "models/monitors/"+m.Model+".sql", mu.replace...)
		mutated, err := engine.Load(broken.All())
		require.NoError(t, err)

		err = proveOne(wb, res, mutated, m, clean, p)
		var ue *UnprovenError
		require.True(t, errors.As(err, &ue), "%s: %s is proven: %v", m.Name, mu.name, err)
		require.Equal(t, m.Name, ue.Check, "%s: %s", mu.name, err)
		t.Logf("%s, %s: %v", m.Name, mu.name, err)
	}
}

// proveOne proves one monitor as Prove does, with a project's models: the
// clean history silent, the monitor's pattern caught and only it. The
// monitor's model is rebuilt first, and the workbench left on the clean
// history with the model as the project builds it.
func proveOne(wb *workbench, res *generator.Result, project *engine.Project,
	m generator.Monitor, clean *synth.World, p synth.Params) error {
	original := wb.project
	wb.project = project
	wb.forget(m.Model)
	defer func() {
		wb.project = original
		wb.forget(m.Model)
	}()

	models := modelsOf(res)
	if err := wb.swap(clean, models...); err != nil {
		return err
	}
	if err := quietMonitors(wb.ctx, wb.db, res.Monitors); err != nil {
		return err
	}
	err := proveMonitor(wb, m, res.Monitors, p)
	if swapErr := wb.swap(clean); swapErr != nil {
		return swapErr
	}
	return err
}
