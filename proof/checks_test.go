package proof

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
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
}

func TestTheSelfJoinFormOfConservationIsProvenToo(t *testing.T) {
	estate, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	estate.Project.Checks.ConservationForm = contracts.ConservationSelfJoin
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	sql := string(res.Files["models/reconciliation/rec_movement_conservation.sql"])
	require.Contains(t, sql, "inner join positions as yesterday")

	proof, err := Prove(context.Background(), estate, res, synth.Params{})
	require.NoError(t, err)
	require.Contains(t, proof.Proven, "movement_conservation")
}
