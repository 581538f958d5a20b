package cli_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/cli"
)

const retail = "../examples/retail"

func TestLineageLeadsFromATestToItsContractsAndOwners(t *testing.T) {
	code, out, stderr := runCLI("lineage", "quarantine_storefront_availability_is_empty",
		retail)
	require.Equal(t, cli.ExitOK, code, stderr)
	require.Equal(t, "test quarantine_storefront_availability_is_empty "+
		"(invgen_no_rows, tier digest)\n"+
		"quarantine_storefront_availability  "+
		"models/staging/storefront_availability/quarantine_storefront_availability.sql\n"+
		"  base_storefront_availability  "+
		"models/staging/storefront_availability/base_storefront_availability.sql\n"+
		"    source storefront_availability.availability_snapshots  "+
		"contract ../examples/retail/storefront_availability.yml  "+
		"owner priya.nair@retailer.example  "+
		"quarantine <target schema>.quarantine_storefront_availability\n"+
		"\n<target schema> is the schema of the dbt target, where every model is built:\n"+
		"main under invgen run and dbt-duckdb's default; profiles.yml names it in a "+
		"warehouse.\n", out)
}

func TestLineagePrintsAModelsTreeOnce(t *testing.T) {
	code, out, stderr := runCLI("lineage", "rec_storefront_honesty", retail)
	require.Equal(t, cli.ExitOK, code, stderr)
	require.True(t, strings.HasPrefix(out, "rec_storefront_honesty  "+
		"models/reconciliation/rec_storefront_honesty.sql\n"+
		"  int_availability_against_atp  "), out)
	for _, source := range []string{"erp_atp.atp_snapshots", "locations.locations",
		"storefront_availability.availability_snapshots"} {
		require.Equal(t, 1, strings.Count(out, "source "+source+"  "), source)
	}
	require.Contains(t, out, "owner priya.nair@retailer.example  quarantine "+
		"<target schema>.quarantine_storefront_availability\n")
	require.NotContains(t, out, "main.quarantine_", "the schema is the target's, not known")
}

func TestLineageRefusesWhatItCannotFind(t *testing.T) {
	for name, tc := range map[string]struct {
		args   []string
		code   int
		stderr string
	}{
		"an unknown name": {[]string{"rec_nothing", retail}, cli.ExitUsage,
			"rec_nothing: no generated model or test of that name\n"},
		"no contracts folder": {[]string{"rec_storefront_honesty", retail + "/nowhere"},
			cli.ExitInvalid, "../examples/retail/nowhere: no such folder of contracts\n"},
		"no name": {nil, cli.ExitUsage, "invgen: accepts between 1 and 2 arg(s), " +
			"received 0\nRun 'invgen --help' for usage.\n"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, stderr := runCLI(append([]string{"lineage"}, tc.args...)...)
			require.Equal(t, tc.code, code)
			require.Empty(t, out)
			require.Equal(t, tc.stderr, stderr)
		})
	}
}
