package proof

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/synth"
)

func TestEveryRetailCheckIsProvenBothWays(t *testing.T) {
	estate, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	require.NoError(t, err)

	proof, err := Prove(context.Background(), estate, res, synth.Params{})
	require.NoError(t, err)
	require.Equal(t, 5, proof.Total)
	require.Equal(t, []string{"movement_conservation", "erp_wms_parity", "storefront_honesty",
		"returns_closure", "control_totals"}, proof.Proven)
	require.Equal(t, 9, proof.MonitorTotal)
	require.Len(t, proof.Monitors, 9)
}

// A monitor that can never alert must stop the build, as a check that
// cannot fail does.
func TestAMonitorThatCannotAlertIsNotProven(t *testing.T) {
	estate, res := retailResult(t)
	path := "models/monitors/mon_feed_volume.sql"
	res.Files[path] = []byte(strings.ReplaceAll(string(res.Files[path]), "'alert'", "'ok'"))

	_, err := Prove(context.Background(), estate, res, synth.Params{})
	var ue *UnprovenError
	require.ErrorAs(t, err, &ue)
	require.Equal(t, "monitor", ue.Kind)
	require.Equal(t, generator.MonitorVolume, ue.Check)
	require.Equal(t, synth.FaultVolumeDrop, ue.Fault)
}

// A check invgen has no fault for is not proven by default.
func TestACheckWithNoKnownFaultIsNotProven(t *testing.T) {
	estate, res := retailResult(t)
	res.Checks = append(res.Checks, generator.Check{Name: "made_up",
		Model: "rec_movement_conservation", Target: "wms_positions"})

	_, err := Prove(context.Background(), estate, res, synth.Params{})
	var ue *UnprovenError
	require.ErrorAs(t, err, &ue)
	require.Equal(t, "made_up", ue.Check)
	require.ErrorContains(t, err, "knows no fault")
}

func TestTheSelfJoinFormOfConservationIsProvenToo(t *testing.T) {
	estate, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	estate.Project.Checks.ConservationForm = contracts.ConservationSelfJoin
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	sql := string(res.Files["models/intermediate/int_conservation_compared.sql"])
	require.Contains(t, sql, "inner join positions as yesterday")

	proof, err := Prove(context.Background(), estate, res, synth.Params{})
	require.NoError(t, err)
	require.Contains(t, proof.Proven, "movement_conservation")
}

func retailResult(t *testing.T) (*contracts.Estate, *generator.Result) {
	t.Helper()
	estate, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	return estate, res
}

// A check that cannot fail must stop the build, naming the check.
func TestACheckThatCannotFailIsNotProven(t *testing.T) {
	estate, res := retailResult(t)
	path := "models/reconciliation/rec_returns_closure.sql"
	res.Files[path] = []byte(strings.Replace(string(res.Files[path]),
		"where break_qty > tolerance_qty", "where 1 = 0", 1))

	_, err := Prove(context.Background(), estate, res, synth.Params{})
	var ue *UnprovenError
	require.ErrorAs(t, err, &ue)
	require.Equal(t, "returns_closure", ue.Check)
	require.Equal(t, synth.FaultOpenRefund, ue.Fault)
	require.ErrorContains(t, err, "check returns_closure (rec_returns_closure) is not "+
		"proven: it does not catch a refund with no disposition past grace: expected "+
		"exactly 1 break")
}

// A check that fires on clean data must stop the build too.
func TestACheckThatFailsOnCleanDataIsNotProven(t *testing.T) {
	estate, res := retailResult(t)
	path := "models/reconciliation/rec_erp_wms_parity.sql"
	res.Files[path] = []byte(strings.Replace(string(res.Files[path]),
		"where abs(break_qty) > tolerance_qty", "where abs(break_qty) >= 0", 1))

	_, err := Prove(context.Background(), estate, res, synth.Params{})
	var ue *UnprovenError
	require.ErrorAs(t, err, &ue)
	require.Equal(t, "erp_wms_parity", ue.Check)
	require.Empty(t, ue.Fault)
	require.ErrorContains(t, err, "reports on a clean estate")
}

// Without tolerances, the sub-unit noise the clean estate carries at kit
// builds is a break: proof that the trap is there and the tolerance is
// what keeps it silent.
func TestToleranceIsWhatSilencesSubUnitNoise(t *testing.T) {
	estate, _ := retailResult(t)
	tol := estate.Project.Tolerances["kit_build"]
	require.Positive(t, tol.Qty)

	gen, err := generator.New()
	require.NoError(t, err)
	estate.Project.Tolerances["kit_build"] = contracts.Tolerance{}
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	estate.Project.Tolerances["kit_build"] = tol // the synthesised noise stays

	_, err = Prove(context.Background(), estate, res, synth.Params{})
	var ue *UnprovenError
	require.ErrorAs(t, err, &ue)
	require.Empty(t, ue.Fault, "the clean estate fires")
}

// Too little history is said, never a false alarm and never a silent pass:
// on ten days every monitor judged against a baseline says so.
func TestShortHistoryIsReportedAsInsufficient(t *testing.T) {
	estate, res := retailResult(t)
	project, err := engine.Load(res.All())
	require.NoError(t, err)
	p := synth.ProofParams()
	p.Days = 10
	wb, err := newWorkbench(context.Background(), estate, project, synth.NewWorld(estate, p))
	require.NoError(t, err)
	defer wb.close()

	for _, m := range res.Monitors {
		rows, err := ReadRows(wb.ctx, wb.db, m.Model)
		require.NoError(t, err)
		statuses := map[string]int{}
		for _, r := range rows {
			statuses[r["status"]]++
		}
		require.Zero(t, statuses["alert"], "%s raised a false alarm", m.Name)
		switch m.Name {
		case generator.MonitorStale, generator.MonitorToleranceDrift,
			generator.MonitorQuarantineSLA, "inventory_record_accuracy":
			continue // judged on the days themselves, not against history
		}
		require.Positive(t, statuses["insufficient history"], "%s passed silently: %v",
			m.Name, statuses)
	}
}
