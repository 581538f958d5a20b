package integration

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
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

// TestFaultyDataIsFaulty guards the faulty data set itself: every injected
// break is in invgen's own results, and the clean set has none.
func TestFaultyDataIsFaulty(t *testing.T) {
	requireIntegration(t)
	est := retail(t)
	injectedBreaksAppear(t, est)
	if len(est.clean.rows) != 0 {
		t.Errorf("the clean data set has breaks:\n%s", strings.Join(est.clean.rows, "\n"))
	}
	if !expectsFailure(est.faulty.statuses) {
		t.Error("no test fails on the faulty data set")
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
		out := dbt(t, run.project, run.profiles, target, "parse", "--no-partial-parse",
			"--show-all-deprecations", "--warn-error")
		if strings.Contains(out, "[WARNING]") || strings.Contains(out, "Deprecat") {
			t.Errorf("dbt parse --target %s warned:\n%s", target, out)
		}
	}
}

func TestDuckDB(t *testing.T) {
	requireIntegration(t)
	t.Parallel()
	dir := t.TempDir()
	run := newAdapterRun(t, "duckdb", profile(duckdbOutput(dir)))
	est := retail(t)
	run.buildOn(t, est.clean)
	run.buildOn(t, est.faulty)
	run.triageAgrees(t, est.faulty, filepath.Join(dir, "retail.duckdb"))
	run.freshness(t, est.faulty)
}

func TestPostgres(t *testing.T) {
	requireIntegration(t)
	t.Parallel()
	pg := startPostgres(t)
	run := newAdapterRun(t, "postgres", profile(postgresOutput(pg)))
	est := retail(t)
	run.buildOn(t, est.clean)
	run.buildOn(t, est.faulty)
	run.freshness(t, est.faulty)
}

func TestSpark(t *testing.T) {
	requireIntegration(t)
	t.Parallel()
	dir := t.TempDir()
	run := newAdapterRun(t, "spark", profile(sparkOutput(dir)))
	est := retail(t)
	run.buildOn(t, est.clean)
	run.buildOn(t, est.faulty)
	run.freshness(t, est.faulty)
}
