package cli_test

import (
	"regexp"
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
		"    model quarantine_storefront_availability\n"+
		"    -> staging stg_storefront_availability\n"+
		"    -> source storefront_availability.availability_snapshots\n"+
		"    -> contract ../examples/retail/storefront_availability.yml\n"+
		"    -> owner priya.nair@retailer.example\n"+
		"    -> quarantine <target schema>.quarantine_storefront_availability\n"+
		"\n<target schema> is the schema of the dbt target, where every model is built:\n"+
		"main under invgen run and dbt-duckdb's default; profiles.yml names it in a "+
		"warehouse.\n", out)
}

// One decision says what an alert's lineage is: lineage prints for a test
// what invgen run prints for its alert, and triage the same staging models
// and owners from a warehouse run's manifest.
func TestLineageRunAndTriageAgreeOnAnAlertsPath(t *testing.T) {
	code, run, stderr := runCLI("run", retail, "--data", retail+"/data", "--as-of",
		"2026-02-14")
	require.Equal(t, cli.ExitFindings, code, stderr)
	for _, test := range []string{"rec_movement_conservation__ticket",
		"rec_erp_wms_parity__ticket", "rec_storefront_honesty__page"} {
		code, out, stderr := runCLI("lineage", test, retail)
		require.Equal(t, cli.ExitOK, code, stderr)
		path := strings.SplitN(out, "\n\n", 2)[0]
		path = path[strings.Index(path, "\n")+1:]
		require.Contains(t, alertBlock(t, run, test),
			strings.ReplaceAll(path, "<target schema>.", "main."), test)
		require.NotContains(t, out, "stg_costs", "reference data is not on the path")
	}

	_, triaged, _ := runCLI("triage", "--target", artifacts+"dbt-1.12")
	block := alertBlock(t, triaged, "rec_erp_wms_parity__ticket")
	for _, line := range strings.Split(alertBlock(t, run, "rec_erp_wms_parity__ticket"),
		"\n") {
		if strings.Contains(line, "-> staging ") || strings.Contains(line, "-> owner ") ||
			strings.Contains(line, "-> source ") || strings.Contains(line, "-> via ") {
			require.Contains(t, block, line+"\n")
		}
	}
}

// alertBlock is the lines a report prints for one alert, quarantine held
// counts left out.
func alertBlock(t *testing.T, report, test string) string {
	t.Helper()
	start := strings.Index(report, "] "+test+": ")
	require.GreaterOrEqual(t, start, 0, "no alert %s in\n%s", test, report)
	block, _, _ := strings.Cut(report[start:], "\n\n")
	return regexp.MustCompile(` \(\d+ held\)`).ReplaceAllString(block, "") + "\n"
}

// --tree prints every model a model reads, once, reference data included.
func TestLineageTreePrintsAModelsTreeOnce(t *testing.T) {
	code, out, stderr := runCLI("lineage", "rec_storefront_honesty", retail, "--tree")
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
		"a misspelt name": {[]string{"mon_flatline_alert", retail}, cli.ExitUsage,
			"mon_flatline_alert: no generated model or test of that name; did you mean " +
				"mon_flatline__alert, mon_flatline?\n"},
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
