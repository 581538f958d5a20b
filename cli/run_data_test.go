package cli_test

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/cli"
	"github.com/invgen/invgen/duckconn"
)

// A bad data file, whatever is wrong with it, is invalid input (exit 3)
// with a message a person can act on, and the kept database is untouched.
func TestRunRefusesBadDataFilesAndKeepsTheDatabase(t *testing.T) {
	data := copyData(t)
	dbPath := filepath.Join(t.TempDir(), "state.duckdb")
	run := func(asOf string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := cli.Run([]string{"run", "../examples/retail", "--data", data, "--db", dbPath,
			"--as-of", asOf}, nil, &stdout, &stderr)
		return code, stderr.String()
	}
	code, stderr := run("2026-02-14")
	require.Equal(t, cli.ExitFindings, code, stderr)
	before := stateOf(t, dbPath)

	costs := filepath.Join(data, "costs.csv")
	good, err := os.ReadFile(costs)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(costs, []byte("sku,unit_cost,valid_from\n"+
		"SKU-0001,12.50,2025-12-01\nSKU-0002,3.10\n"), 0o644))
	code, stderr = run("2026-02-15")
	require.Equal(t, cli.ExitInvalid, code, stderr)
	require.Equal(t, costs+`:3:3: the row has 2 fields, the header 3: no value for column `+
		`"valid_from"`+"\n", stderr)

	require.NoError(t, os.WriteFile(costs, good, 0o644))
	locations := filepath.Join(data, "locations.csv")
	require.NoError(t, os.Remove(locations))
	parquet := filepath.Join(data, "locations.parquet")
	writeParquet(t, parquet, "select 'DC-01' as location_id, 'Berlin' as name")
	code, stderr = run("2026-02-15")
	require.Equal(t, cli.ExitInvalid, code, stderr)
	require.Contains(t, stderr, parquet+`: column "location_type" of locations.yml is missing`)
	require.NotContains(t, stderr, "Binder Error")

	require.Equal(t, before, stateOf(t, dbPath), "a refused run changed the database")
}

func copyData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob("../examples/retail/data/*.csv")
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644))
	}
	return dir
}

func writeParquet(t *testing.T, path, query string) {
	t.Helper()
	db, err := duckconn.Open("")
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec("copy (" + query + ") to '" + path + "' (format parquet)")
	require.NoError(t, err)
}

// stateOf is what a run keeps: the tables and the breaks it observed.
func stateOf(t *testing.T, path string) [2]int {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	require.NoError(t, err)
	defer db.Close()
	var s [2]int
	require.NoError(t, db.QueryRow("select count(*) from duckdb_tables()").Scan(&s[0]))
	require.NoError(t, db.QueryRow("select count(*) from main.breaks_observed").Scan(&s[1]))
	return s
}

// Files saved from Excel start with a UTF-8 byte-order mark: the run
// reads them as it reads the same files without one.
func TestRunReadsCSVFilesWithAByteOrderMark(t *testing.T) {
	data := copyData(t)
	files, err := filepath.Glob(filepath.Join(data, "*.csv"))
	require.NoError(t, err)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(f, append([]byte("\ufeff"), raw...), 0o644))
	}
	run := func(dir string) string {
		var stdout, stderr bytes.Buffer
		code := cli.Run([]string{"run", "../examples/retail", "--data", dir, "--as-of",
			"2026-02-14", "--json"}, nil, &stdout, &stderr)
		require.Equal(t, cli.ExitFindings, code, stderr.String())
		return stdout.String()
	}
	require.Equal(t, run("../examples/retail/data"), run(data))
}

// The resolutions seed is the team's own file: a bad one is invalid input
// (exit 3) reported at its line and column under the path the user opens,
// before the run, which leaves the database as it was.
func TestRunRefusesABadResolutionsSeedAndKeepsTheDatabase(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, "../examples/retail", dir)
	dbPath := filepath.Join(dir, "state.duckdb")
	run := func() (int, string) {
		var stdout, stderr bytes.Buffer
		code := cli.Run([]string{"run", dir, "--data", filepath.Join(dir, "data"), "--db",
			dbPath, "--as-of", "2026-02-14"}, nil, &stdout, &stderr)
		return code, stderr.String()
	}
	code, stderr := run()
	require.Equal(t, cli.ExitFindings, code, stderr)
	before := stateOf(t, dbPath)

	seed := filepath.Join(dir, "dbt", "seeds", "invgen_resolutions.csv")
	require.NoError(t, os.MkdirAll(filepath.Dir(seed), 0o755))
	require.NoError(t, os.WriteFile(seed, []byte("break_key,root_cause,resolution,"+
		"resolved_at\nreturns_closure|refunds|R-1,limbo,restocked,5 Feb\n"), 0o644))
	code, stderr = run()
	require.Equal(t, cli.ExitInvalid, code, stderr)
	require.Equal(t, seed+`:2:45: resolved_at "5 Feb" is not a date: want YYYY-MM-DD, `+
		"the day the break was resolved\n", stderr)
	require.Equal(t, before, stateOf(t, dbPath), "a refused run changed the database")
}
