package integration

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func profile(outputs string) string {
	return "retail_inventory:\n  target: duckdb\n  outputs:\n" + outputs
}

func duckdbOutput(dir string) string {
	return fmt.Sprintf("    duckdb:\n      type: duckdb\n      path: %s\n      threads: 2\n",
		filepath.Join(dir, "retail.duckdb"))
}

func postgresOutput(pg *postgresServer) string {
	return fmt.Sprintf("    postgres:\n      type: postgres\n      host: 127.0.0.1\n"+
		"      port: %d\n      user: %s\n      password: %s\n      dbname: %s\n"+
		"      schema: analytics\n      threads: 2\n", pg.port, pg.role, pg.password,
		pg.database)
}

func sparkOutput(dir string) string {
	return fmt.Sprintf(`    spark:
      type: spark
      method: session
      host: localhost
      schema: analytics
      server_side_parameters:
        "spark.sql.warehouse.dir": "%s/warehouse"
        "javax.jdo.option.ConnectionURL": "jdbc:derby:;databaseName=%s/metastore_db;create=true"
        "spark.driver.memory": "2g"
        "spark.sql.shuffle.partitions": "2"
        "spark.ui.enabled": "false"
        "spark.sql.session.timeZone": "UTC"
`, dir, dir)
}

const snowflakeOutput = `    snowflake:
      type: snowflake
      account: parse-only
      user: parse-only
      password: parse-only
      database: raw
      schema: analytics
      warehouse: parse-only
`

// TestMain removes the project invgen built once the tests are done, and
// fails the run if dbt wrote anything into it: every adapter shares it.
func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		if changed := changedFiles(shared.dir, shared.files); len(changed) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: the project invgen built changed under dbt: %s\n",
				strings.Join(changed, ", "))
			code = 1
		}
		os.RemoveAll(shared.root)
	}
	os.Exit(code)
}

// changedFiles lists the paths under dir that differ from files.
func changedFiles(dir string, files map[string][]byte) []string {
	now, err := readTree(dir)
	if err != nil {
		return []string{err.Error()}
	}
	var changed []string
	for p, data := range now {
		if !bytes.Equal(data, files[p]) {
			changed = append(changed, p)
		}
	}
	for p := range files {
		if _, ok := now[p]; !ok {
			changed = append(changed, p+" (removed)")
		}
	}
	sort.Strings(changed)
	return changed
}

// TestFaultyDataIsFaulty guards the faulty data set itself, from what was
// planted in it rather than from what invgen makes of it: every injected
// break is in invgen's own results, every page and ticket test the culprits
// imply fails, and exactly the monitors whose patterns were planted alert.
// The clean set has no break and no monitor alerting.
func TestFaultyDataIsFaulty(t *testing.T) {
	requireIntegration(t)
	est := retail(t)
	injectedBreaksAppear(t, est, est.faulty)
	if n := est.clean.rows.count(); n != 0 {
		t.Errorf("the clean data set has %d breaks:\n%s", n,
			diffRows(est.recs, est.clean.rows, recRows{}, "invgen", "none"))
	}
	if len(est.faulty.mustFail) == 0 {
		t.Fatal("the faulty data set's culprits imply no failing page or ticket test")
	}
	requirePlanted(t, est.faulty, est.faulty.statuses, "invgen")
	for name, status := range est.clean.statuses {
		if est.faulty.verdicts[name] != "" && status != "pass" {
			t.Errorf("clean data: monitor test %s is %q under invgen", name, status)
		}
	}
	t.Logf("faulty data: tests that must fail: %s; monitor verdicts: %v",
		strings.Join(est.faulty.mustFail, ", "), est.faulty.verdicts)
}

// requirePlanted requires the tests a data set's planted culprits decide to
// end as they say, under an engine: the page and ticket tests they imply
// fail, and each monitor's alert test warns or fails where its pattern was
// planted and passes elsewhere.
func requirePlanted(t *testing.T, ds *dataset, got map[string]string, engine string) {
	t.Helper()
	for _, name := range ds.mustFail {
		if got[name] != "fail" {
			t.Errorf("%s data: test %s is %q under %s; its culprits say it fails", ds.name,
				name, got[name], engine)
		}
	}
	names := make([]string, 0, len(ds.verdicts))
	for name := range ds.verdicts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if want := ds.verdicts[name]; got[name] != want {
			t.Errorf("%s data: monitor test %s is %q under %s; the patterns planted say %q",
				ds.name, name, got[name], engine, want)
		}
	}
}

// TestParseIsWarningFree parses the generated project for every adapter with
// every deprecation shown and warnings as errors. dbt checks YAML keys
// against its JSON schemas only for warehouse adapters such as Snowflake;
// parsing needs no connection.
func TestParseIsWarningFree(t *testing.T) {
	requireIntegration(t)
	dir := t.TempDir()
	run := newAdapterRun(t, "duckdb", profile(duckdbOutput(dir)+
		postgresOutput(&postgresServer{port: 5432, role: "x", password: "x", database: "x"})+
		sparkOutput(dir)+snowflakeOutput))
	for _, target := range []string{"duckdb", "postgres", "spark", "snowflake"} {
		out := dbt(t, run.project, target, "parse", "--no-partial-parse",
			"--show-all-deprecations", "--warn-error")
		if strings.Contains(out, "[WARNING]") || strings.Contains(out, "Deprecat") {
			t.Errorf("dbt parse --target %s warned:\n%s", target, out)
		}
	}
}

// buildOnEvery builds the project on every data set in turn, ending on the
// faulty one, whose tables and artifacts the checks that follow read.
func buildOnEvery(t *testing.T, run *adapterRun) {
	t.Helper()
	for _, ds := range retail(t).datasets() {
		start := time.Now()
		run.buildOn(t, ds)
		t.Logf("%s data on %s: %s", ds.name, run.adapter, time.Since(start).Round(time.Second))
	}
}

func TestDuckDB(t *testing.T) {
	requireIntegration(t)
	t.Parallel()
	dir := t.TempDir()
	run := newAdapterRun(t, "duckdb", profile(duckdbOutput(dir)))
	buildOnEvery(t, run)
	run.triageAgrees(t, retail(t).faulty, filepath.Join(dir, "retail.duckdb"))
	run.freshness(t, retail(t).faulty)
	run.defaultAsOf(t)
}

func TestPostgres(t *testing.T) {
	requireIntegration(t)
	t.Parallel()
	pg := startPostgres(t)
	run := newAdapterRun(t, "postgres", profile(postgresOutput(pg)))
	buildOnEvery(t, run)
	run.freshness(t, retail(t).faulty)
	run.defaultAsOf(t)
}

func TestSpark(t *testing.T) {
	requireIntegration(t)
	t.Parallel()
	dir := t.TempDir()
	run := newAdapterRun(t, "spark", profile(sparkOutput(dir)))
	buildOnEvery(t, run)
	run.freshness(t, retail(t).faulty)
	run.defaultAsOf(t)
}
