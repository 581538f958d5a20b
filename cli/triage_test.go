package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/cli"
	"github.com/invgen/invgen/duckconn"
	"github.com/invgen/invgen/triage"
)

const artifacts = "../triage/testdata/"

func runCLI(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := cli.Run(args, nil, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestTriagePrintsTheAlertsOfAWarehouseRun(t *testing.T) {
	code, out, stderr := runCLI("triage", "--target", artifacts+"dbt-1.10")
	require.Equal(t, cli.ExitFindings, code, stderr)
	require.Empty(t, stderr)
	require.True(t, strings.HasPrefix(out, "as of 2026-02-14: 34 models, 4 tests, 3 alerts\n\n"+
		"PAGE      1 alerts  value unknown\nTICKET    1 alerts  value unknown\n"+
		"DIGEST    1 alerts  value unknown\n"), out)
	require.Contains(t, out, "\n[page] rec_storefront_honesty__page: fail, 2 rows, "+
		"value unknown\n"+
		"    check storefront_honesty\n    -> model rec_storefront_honesty\n")
	require.Contains(t, out, "    -> owner priya.nair@retailer.example, "+
		"maria.keller@retailer.example\n")
	require.NotContains(t, out, "Not built", "every model of this run built")
}

// A model that errored leaves the page test downstream skipped: exit 1,
// with the error that caused it.
func TestTriageCountsASkippedPageTestAndShowsTheModelError(t *testing.T) {
	code, out, stderr := runCLI("triage", "--target", artifacts+"dbt-1.11")
	require.Equal(t, cli.ExitFindings, code, stderr)
	require.Contains(t, out, "[page] rec_storefront_honesty__page: skipped, 0 rows")
	require.Contains(t, out, "\nNot built:\n  [error] model base_storefront_availability\n"+
		"      Runtime Error in model base_storefront_availability "+
		"(models/staging/storefront_availability/base_storefront_availability.sql)\n"+
		"      Binder Error: Referenced column \"shown_qty\" not found in FROM clause!\n"+
		"  [skipped] model quarantine_storefront_availability, after "+
		"base_storefront_availability\n")
}

func TestTriageJSONIsTheSameReportForMachines(t *testing.T) {
	code, out, stderr := runCLI("triage", "--target", artifacts+"dbt-1.12", "--json")
	require.Equal(t, cli.ExitFindings, code, stderr)
	var rep triage.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, "2026-02-14", rep.AsOf)
	require.Equal(t, "ticket", rep.Alerts[0].Tier)
	require.Equal(t, "error", rep.Alerts[0].Status)
	require.True(t, rep.Paging())
	require.Contains(t, out, `"not_built": null`, "the key is there for machines")
	require.Nil(t, rep.Alerts[0].Value, "no --db: the value is unknown, not zero")
	require.Contains(t, out, `"value": null`)
	require.Contains(t, out, `"currency": "USD"`)
}

func TestTriageExitsZeroWithoutPageOrTicketAlerts(t *testing.T) {
	target := copyArtifacts(t, artifacts+"dbt-1.12", `"status": "error"`, `"status": "pass"`)
	code, out, stderr := runCLI("triage", "--target", target)
	require.Equal(t, cli.ExitOK, code, stderr)
	require.Contains(t, out, "[digest] rec_erp_wms_parity__digest: warn, 33 rows")
}

func TestTriageValuesAlertsFromTheRunsDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "retail.duckdb")
	db, err := duckconn.Open(path)
	require.NoError(t, err)
	for _, s := range []string{"create schema main_dbt_test__audit",
		"create table main_dbt_test__audit.rec_erp_wms_parity__digest as " +
			"select * from (values (1234.4), (-2000.004)) v(break_value)",
		"create table main.quarantine_wms_positions as select 1 as i"} {
		_, err := db.Exec(s)
		require.NoError(t, err)
	}
	require.NoError(t, db.Close())

	code, out, stderr := runCLI("triage", "--target", artifacts+"dbt-1.12", "--db", path,
		"--currency", "EUR")
	require.Equal(t, cli.ExitFindings, code, stderr)
	require.Contains(t, out, "[digest] rec_erp_wms_parity__digest: warn, 33 rows, EUR 3,234.40\n",
		"to the cent")
	require.Contains(t, out, `-> quarantine "retail"."main"."quarantine_wms_positions" `+
		"(1 held)\n")
	require.Contains(t, out, `-> quarantine "retail"."main"."quarantine_erp_onhand"`+"\n",
		"one not in the database is not counted")
}

func TestTriageRefusesBadPaths(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "target")
	unsupported := copyArtifacts(t, artifacts+"dbt-1.11", `"1.11.16"`, `"1.9.10"`)
	for name, tc := range map[string]struct {
		args []string
		code int
		want string
	}{
		"no target folder": {[]string{"--target", missing}, cli.ExitInvalid,
			"open " + missing + "/run_results.json: no such file or directory: --target " +
				"must be the target folder a dbt run wrote to\n"},
		"a dbt it does not read": {[]string{"--target", unsupported}, cli.ExitInvalid,
			filepath.Join(unsupported, "run_results.json") + ": written by dbt 1.9.10, " +
				"which is not supported: invgen reads the artifacts of dbt 1.10 to 1.12\n"},
		"no database file": {[]string{"--target", artifacts + "dbt-1.10", "--db",
			missing + ".duckdb"}, cli.ExitInvalid,
			"--db: stat " + missing + ".duckdb: no such file or directory\n"},
		"the wrong database": {[]string{"--target", artifacts + "dbt-1.10", "--db",
			emptyDB(t)}, cli.ExitInvalid, "the failures test "},
		"an argument": {[]string{"target"}, cli.ExitUsage, "unknown command"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, stderr := runCLI(append([]string{"triage"}, tc.args...)...)
			require.Equal(t, tc.code, code, stderr)
			require.Empty(t, out)
			if strings.HasSuffix(tc.want, "\n") {
				require.Equal(t, tc.want, stderr)
			} else {
				require.Contains(t, stderr, tc.want)
			}
		})
	}
}

// copyArtifacts copies a target folder, replacing old with new in
// run_results.json.
func copyArtifacts(t *testing.T, from, old, new string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"run_results.json", "manifest.json"} {
		data, err := os.ReadFile(filepath.Join(from, name))
		require.NoError(t, err)
		if name == "run_results.json" {
			require.Contains(t, string(data), old)
			data = []byte(strings.ReplaceAll(string(data), old, new))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	return dir
}

func emptyDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "retail.duckdb")
	db, err := duckconn.Open(path)
	require.NoError(t, err)
	_, err = db.Exec("create table t (i integer)")
	require.NoError(t, err)
	require.NoError(t, db.Close())
	return path
}

// Artifacts that do not belong together: of two dbt versions they are
// refused, naming both files and versions; of two invocations of one dbt
// they are read with a warning, as are results the manifest has no node for.
func TestTriageChecksTheArtifactsBelongTogether(t *testing.T) {
	mixed := t.TempDir()
	for from, name := range map[string]string{"dbt-1.12": "run_results.json",
		"dbt-1.11": "manifest.json"} {
		data, err := os.ReadFile(filepath.Join(artifacts+from, name))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(mixed, name), data, 0o644))
	}
	code, out, stderr := runCLI("triage", "--target", mixed)
	require.Equal(t, cli.ExitInvalid, code, stderr)
	require.Empty(t, out)
	require.Equal(t, filepath.Join(mixed, "run_results.json")+" was written by dbt 1.12.6, "+
		filepath.Join(mixed, "manifest.json")+" by dbt 1.11.16: they are not of one run; "+
		"give --target the folder one dbt invocation wrote\n", stderr)

	other := copyArtifacts(t, artifacts+"dbt-1.12", `"cf1d9b0d-6742-4c01-ac3c-3ceca3c47dc1"`,
		`"00000000-0000-0000-0000-000000000001"`)
	code, out, stderr = runCLI("triage", "--target", other)
	require.Equal(t, cli.ExitFindings, code, stderr)
	require.Contains(t, out, "[ticket] rec_erp_wms_parity__ticket")
	require.Equal(t, "warning: "+filepath.Join(other, "run_results.json")+" is of dbt "+
		"invocation 00000000-0000-0000-0000-000000000001, "+
		filepath.Join(other, "manifest.json")+" of cf1d9b0d-6742-4c01-ac3c-3ceca3c47dc1: "+
		"the manifest may not describe the run exactly\n", stderr)

	stray := copyArtifacts(t, artifacts+"dbt-1.12", `"results": [`, `"results": [`+
		`{"unique_id": "test.other.gone", "status": "fail", "failures": 1},`+
		`{"unique_id": "model.other.gone", "status": "success"},`)
	code, _, stderr = runCLI("triage", "--target", stray)
	require.Equal(t, cli.ExitFindings, code, stderr)
	require.Regexp(t, `^warning: .*run_results.json: 2 of \d+ results have no node in `+
		`.*manifest.json and are left out \(the first: test.other.gone\): the manifest is `+
		`not of this run's project\n$`, stderr)
}
