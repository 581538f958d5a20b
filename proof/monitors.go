package proof

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/synth"
)

// patternOf is the pattern that proves each monitor.
var patternOf = map[string]synth.Fault{
	generator.MonitorVolume:          synth.FaultVolumeDrop,
	generator.MonitorAdjustmentMean:  synth.FaultMeanShift,
	generator.MonitorZeroAdjustments: synth.FaultZeroAdjustments,
	generator.MonitorShrinkage:       synth.FaultShrinkageRise,
	generator.MonitorFlatline:        synth.FaultFlatline,
	generator.MonitorStale:           synth.FaultStaleATP,
	generator.MonitorQuarantineSLA:   synth.FaultAgedQuarantine,
	generator.MonitorToleranceDrift:  synth.FaultDrift,
	"inventory_record_accuracy":      synth.FaultMiscount,
}

// historyDays is how long a synthesised history must be for every window
// a setting opens: refunds that outlive their grace, a baseline with its
// minimum history, a flatline longer than flatline_days, a drift window,
// and a duplicate held past the quarantine SLA; each with a week to spare.
func historyDays(e *contracts.Estate, p synth.Params) int {
	m := e.Project.Monitors
	return max(p.Days, e.Project.Grace.ReturnsDays+10, m.MinHistoryDays+8,
		m.FlatlineDays+8, m.DriftDays+8, e.Project.Quarantine.SLADays+8)
}

// quietMonitors fails unless every monitor is silent: no alert, and history
// enough to judge.
func quietMonitors(ctx context.Context, db *sql.DB, monitors []generator.Monitor) error {
	for _, m := range monitors {
		rows, err := ReadRows(ctx, db, m.Model)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r["status"] == "alert" || r["status"] == "insufficient history" {
				return &UnprovenError{Check: m.Name, Model: m.Model, Kind: "monitor",
					Msg: fmt.Sprintf("status %s: %s", r["status"], describeRow(r))}
			}
		}
	}
	return nil
}

// proveMonitor injects a monitor's pattern and requires that monitor to
// alert on the injected place and every other monitor to stay silent.
func proveMonitor(wb *workbench, m generator.Monitor, all []generator.Monitor,
	p synth.Params) error {
	f := patternOf[m.Name]
	w := synth.NewWorld(wb.e, p)
	want, err := w.Inject(f, m.Target)
	if err != nil {
		return &UnprovenError{Check: m.Name, Model: m.Model, Kind: "monitor", Fault: f,
			Msg: "the synthesised history cannot carry it: " + err.Error()}
	}
	models := make([]string, len(all))
	for i, o := range all {
		models[i] = o.Model
	}
	if err := wb.swap(w, models...); err != nil {
		return err
	}
	ctx, db := wb.ctx, wb.db

	rows, err := ReadRows(ctx, db, m.Model)
	if err != nil {
		return err
	}
	if !AlertsAt(rows, want.Keys) {
		return &UnprovenError{Check: m.Name, Model: m.Model, Kind: "monitor", Fault: f,
			Msg: fmt.Sprintf("no alert at %s among %d rows", describeRow(Row(want.Keys)),
				len(rows))}
	}
	var others []generator.Monitor
	for _, o := range all {
		if o.Name != m.Name {
			others = append(others, o)
		}
	}
	if err := quietMonitors(ctx, db, others); err != nil {
		ue := err.(*UnprovenError)
		return &UnprovenError{Check: m.Name, Model: m.Model, Kind: "monitor", Fault: f,
			Msg: fmt.Sprintf("%s fired as well (%s)", ue.Check, ue.Msg)}
	}
	return nil
}

// AlertsAt reports whether a monitor's rows hold an alert at the keys given.
func AlertsAt(rows []Row, keys map[string]string) bool {
	for _, r := range rows {
		if r["status"] == "alert" && hasKeys(r, keys) {
			return true
		}
	}
	return false
}

func hasKeys(r Row, keys map[string]string) bool {
	for k, v := range keys {
		if r[k] != v {
			return false
		}
	}
	return true
}
