package cli_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/cli"
	"github.com/invgen/invgen/runner"
)

// The README's first command: the example estate carries one of every
// culprit, so a run pages and tickets and exits with the findings code.
func TestRunOnTheExampleReportsItsCulprits(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := cli.Run([]string{"run", "../examples/retail", "--data",
		"../examples/retail/data", "--as-of", "2026-02-14"}, nil, &stdout, &stderr)
	require.Equal(t, cli.ExitFindings, code, stderr.String())
	out := stdout.String()
	require.Contains(t, out, "as of 2026-02-14")
	require.Contains(t, out, "[page] rec_storefront_honesty__page: fail")
	require.Contains(t, out, "-> contract ../examples/retail/storefront_availability.yml")
	require.Contains(t, out, "Top locations by open break value:")
	require.Contains(t, stderr.String(), "built breaks_ledger in")

	// Money to the cent, and no zero for alerts whose rows carry no value.
	require.Regexp(t, `\[page\] rec_storefront_honesty__page: fail, \d+ rows, USD [\d,]+\.\d\d\n`,
		out)
	require.Contains(t, out, "[ticket] mon_flatline__alert: fail, 1 rows\n")
	require.NotRegexp(t, `USD 0\b`, out)
}

func TestRunJSONIsTheSameReportForMachines(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := cli.Run([]string{"run", "../examples/retail", "--data",
		"../examples/retail/data", "--as-of", "2026-02-14", "--json"}, nil, &stdout, &stderr)
	require.Equal(t, cli.ExitFindings, code, stderr.String())
	var rep runner.Report
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &rep))
	require.True(t, rep.Paging())
	require.Equal(t, "page", rep.Tiers[0].Tier)
	require.Positive(t, *rep.Tiers[0].Value)
	require.Equal(t, "USD", rep.Currency, "values are in the project's currency")
	require.Contains(t, stdout.String(), `"currency": "USD"`)
	require.NotRegexp(t, `\d\.\d{3,}`, stdout.String(), "money is rounded to cents")
	for _, a := range rep.Alerts {
		if strings.HasPrefix(a.Test, "mon_") {
			require.Nil(t, a.Value, a.Test)
			require.True(t, a.NoValue, "%s: a monitor's rows carry no value", a.Test)
		}
	}
}

func TestRunRefusesABadAsOfAndMissingData(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := cli.Run([]string{"run", "../examples/retail", "--data", "../examples/retail/data",
		"--as-of", "14/02/2026"}, nil, &stdout, &stderr)
	require.Equal(t, cli.ExitUsage, code)

	stderr.Reset()
	code = cli.Run([]string{"run", "../examples/retail", "--data", t.TempDir()}, nil,
		&stdout, &stderr)
	require.Equal(t, cli.ExitInvalid, code)
	require.True(t, strings.Contains(stderr.String(), "no data for source costs"),
		stderr.String())
}
