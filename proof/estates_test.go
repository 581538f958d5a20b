package proof

import (
	"context"
	"os"
	"path"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/synth"
)

// retailWithout loads the retail example without some of its contracts,
// and lets the test change its project settings before generating.
func retailWithout(t *testing.T, project func(*contracts.Project),
	remove ...string) (*contracts.Estate, *generator.Result) {
	t.Helper()
	entries, err := os.ReadDir("../examples/retail")
	require.NoError(t, err)
	fsys := fstest.MapFS{}
	for _, e := range entries {
		if !e.IsDir() && path.Ext(e.Name()) == ".yml" {
			b, err := os.ReadFile("../examples/retail/" + e.Name())
			require.NoError(t, err)
			fsys[e.Name()] = &fstest.MapFile{Data: b}
		}
	}
	for _, name := range remove {
		require.Contains(t, fsys, name)
		delete(fsys, name)
	}
	estate, err := contracts.Load(fsys, "retail")
	require.NoError(t, err)
	if project != nil {
		project(&estate.Project)
	}
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	return estate, res
}

// retailWithRatio is the retail estate with the EU movements' min_ratio
// set to ratio.
func retailWithRatio(t *testing.T, ratio float64) (*contracts.Estate, *generator.Result) {
	t.Helper()
	estate, _ := retailResult(t)
	con := estate.Contract("wms_eu_movements")
	require.NotNil(t, con.Delivery.Completeness)
	con.Delivery.Completeness.MinRatio = ratio
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	require.Contains(t, string(res.Files["models/intermediate/"+
		"int_rows_against_control_totals.sql"]), "0.9 as min_ratio")
	return estate, res
}

// requireAllProven proves a project and requires every check and every
// monitor it generates proven.
func requireAllProven(t *testing.T, estate *contracts.Estate, res *generator.Result) {
	t.Helper()
	proof, err := Prove(context.Background(), estate, res, synth.Params{})
	require.NoError(t, err)
	require.Len(t, proof.Proven, len(res.Checks))
	require.Equal(t, len(res.Monitors), proof.MonitorTotal)
	require.Len(t, proof.Monitors, len(res.Monitors))
}

// Without a locations feed the project applies the default tolerance at
// every location, so the clean estate may carry no noise that only the
// kit-build tolerance would absorb: record accuracy must stay silent on it.
func TestAnEstateWithoutLocationsIsProven(t *testing.T) {
	estate, res := retailWithout(t, nil, "locations.yml")
	require.Contains(t, modelsOf(res), "rpt_inventory_record_accuracy")
	requireAllProven(t, estate, res)
}

// A default tolerance above zero applies everywhere without a locations
// feed: the clean estate carries noise inside it, and drift is proven.
func TestADefaultToleranceIsProvenWithoutLocations(t *testing.T) {
	estate, res := retailWithout(t, func(p *contracts.Project) {
		p.Tolerances[contracts.DefaultTolerance] = contracts.Tolerance{Qty: 0.5}
	}, "locations.yml")
	require.Contains(t, modelsOf(res), "mon_tolerance_drift")
	requireAllProven(t, estate, res)
}

// A default tolerance taken by a class with none of its own puts the
// noise, and drift, at a location of that class, though the first location
// takes no tolerance at all.
func TestADefaultToleranceTakenByOneClassIsProven(t *testing.T) {
	estate, res := retailWithout(t, func(p *contracts.Project) {
		p.Tolerances["kit_build"] = contracts.Tolerance{}
		delete(p.Tolerances, "store")
		p.Tolerances[contracts.DefaultTolerance] = contracts.Tolerance{Qty: 0.5}
	})
	require.Contains(t, modelsOf(res), "mon_tolerance_drift")
	requireAllProven(t, estate, res)
}

// However short the grace, the clean estate holds refunds still inside it
// with no disposition yet, and the returns check stays silent on them.
func TestAOneDayGraceIsProvenWithRefundsInside(t *testing.T) {
	estate, res := retailWithout(t, func(p *contracts.Project) {
		p.Grace.ReturnsDays = 1
	})
	proof, err := Prove(context.Background(), estate, res, synth.Params{})
	require.NoError(t, err)
	require.Contains(t, trapsOf(proof.Traps), [2]string{TrapGrace, "refunds"})
}

// Without costs every break value is null, and the proofs expect exactly
// that.
func TestAnEstateWithoutCostsIsProven(t *testing.T) {
	estate, res := retailWithout(t, nil, "costs.yml")
	requireAllProven(t, estate, res)
}

// A generated monitor whose pattern the estate cannot carry stops the
// build, naming it, as a check that cannot fail does.
func TestAMonitorThatCannotBePlantedIsNotProven(t *testing.T) {
	estate, res := retailResult(t)
	estate.Project.Tolerances["kit_build"] = contracts.Tolerance{} // no noise to drift in

	_, err := Prove(context.Background(), estate, res, synth.Params{})
	var ue *UnprovenError
	require.ErrorAs(t, err, &ue)
	require.Equal(t, "monitor", ue.Kind)
	require.Equal(t, generator.MonitorToleranceDrift, ue.Check)
	require.ErrorContains(t, err, "monitor tolerance_drift (mon_tolerance_drift) is not "+
		"proven: it does not catch sub-tolerance breaks that accumulate: the synthesised "+
		"history cannot carry it")

	estate, res = retailResult(t)
	res.Monitors[0].Target = ""
	_, err = Prove(context.Background(), estate, res, synth.Params{})
	require.ErrorAs(t, err, &ue)
	require.Equal(t, res.Monitors[0].Name, ue.Check)
	require.ErrorContains(t, err, "no feed to plant it in")
}

func modelsOf(res *generator.Result) []string {
	var out []string
	for _, m := range res.Monitors {
		out = append(out, m.Model)
	}
	return out
}
