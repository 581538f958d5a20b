package integration

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/synth"
	"github.com/invgen/invgen/triage"
)

// adapterRun is one adapter's profile and the projects it runs: the one
// invgen built, and a loader of raw data of its own.
type adapterRun struct {
	adapter string
	project dbtProject // the generated project
	loader  dbtProject // the raw-data loader project
}

func newAdapterRun(t *testing.T, adapter, profile string) *adapterRun {
	t.Helper()
	dir := t.TempDir()
	loader := filepath.Join(dir, "loader")
	run := &adapterRun{adapter: adapter,
		project: dbtProject{dir: retail(t).dir, profiles: dir, work: filepath.Join(dir, "run")},
		loader:  dbtProject{dir: loader, profiles: dir, work: loader}}
	writeFiles(t, dir, map[string][]byte{"profiles.yml": []byte(profile)})
	if err := os.MkdirAll(run.project.work, 0o755); err != nil {
		t.Fatal(err)
	}
	return run
}

// buildOn loads a data set with dbt seed, builds the project with dbt build,
// and checks dbt agrees with invgen's engine: every test's status and every
// reconciliation row.
func (r *adapterRun) buildOn(t *testing.T, ds *dataset) {
	t.Helper()
	est := retail(t)
	os.RemoveAll(r.loader.dir)
	writeFiles(t, r.loader.dir, loaderProject(est.contracts, ds.seeds, r.adapter))
	dbt(t, r.loader, r.adapter, "seed", "--full-refresh")

	r.build(t, ds)
	r.checkModelsBuilt(t, ds)
	r.keepArtifacts(t)
	r.checkTests(t, ds)

	rows := r.recRows(t)
	if d := diffRows(est.recs, rows, ds.rows, "dbt-"+r.adapter, "invgen"); d != "" {
		t.Errorf("%s data: dbt-%s and invgen disagree on reconciliation rows:\n%s",
			ds.name, r.adapter, d)
	}
}

// build runs dbt build as of the data set's date. It fails the test with
// dbt's own summary when dbt exits otherwise than invgen's statuses say it
// must, or writes no results.
func (r *adapterRun) build(t *testing.T, ds *dataset) {
	t.Helper()
	results := filepath.Join(r.project.target(), "run_results.json")
	os.Remove(results) // the last data set's results must not pass for these

	vars := fmtVars(map[string]string{"invgen_as_of_date": ds.asOf})
	out, err := runDBT(t, r.project, r.adapter, "build", "--vars", vars)
	failing := expectsFailure(ds.statuses)
	if err != nil && !failing || err == nil && failing {
		t.Fatalf("dbt build on the %s data: exit error %v, expected failure %v\n%s",
			ds.name, err, failing, dbtSummary(out))
	}
	if _, err := os.Stat(results); err != nil {
		t.Fatalf("dbt build on the %s data wrote no results: %v\n%s", ds.name, err,
			dbtSummary(out))
	}
}

// checkTests requires every test to end under dbt as under invgen, and
// the tests the data set's culprits decide to end as they say: a monitor
// that never fires on this adapter fails here even if invgen agreed.
func (r *adapterRun) checkTests(t *testing.T, ds *dataset) {
	t.Helper()
	got := testResults(t, r.project.target())
	for name, want := range ds.statuses {
		if got[name].Status != want {
			t.Errorf("%s data: test %s is %q under dbt-%s, %q under invgen%s", ds.name,
				name, got[name].Status, r.adapter, want, dbtSays(got[name]))
		}
	}
	statuses := map[string]string{}
	for name, res := range got {
		statuses[name] = res.Status
	}
	requirePlanted(t, ds, statuses, "dbt-"+r.adapter)
}

// dbtSays is dbt's message for a node, when it has one.
func dbtSays(res runResult) string {
	if res.Message == "" {
		return ""
	}
	return "; dbt says: " + res.Message
}

// keepArtifacts copies the build's run_results.json and manifest.json aside:
// the dbt commands that follow overwrite them.
func (r *adapterRun) keepArtifacts(t *testing.T) {
	t.Helper()
	for _, name := range []string{"run_results.json", "manifest.json"} {
		data, err := os.ReadFile(filepath.Join(r.project.target(), name))
		if err != nil {
			t.Fatal(err)
		}
		writeFiles(t, r.built(), map[string][]byte{name: data})
	}
}

// built is where the last build's artifacts are kept.
func (r *adapterRun) built() string { return filepath.Join(r.project.work, "built") }

// expectsFailure reports whether a data set has a test of severity error
// that fails, which makes dbt build exit non-zero.
func expectsFailure(statuses map[string]string) bool {
	for _, s := range statuses {
		if s == "fail" {
			return true
		}
	}
	return false
}

// checkModelsBuilt fails unless every model and seed of the build
// succeeded, quoting dbt's message for each that did not.
func (r *adapterRun) checkModelsBuilt(t *testing.T, ds *dataset) {
	t.Helper()
	models := 0
	var failed []string
	for _, res := range runResults(t, r.project.target()) {
		if strings.HasPrefix(res.UniqueID, "test.") {
			continue
		}
		models++
		if res.Status != "success" {
			failed = append(failed, fmt.Sprintf("%s is %s: %s", res.UniqueID, res.Status,
				res.Message))
		}
	}
	if len(failed) > 0 {
		t.Errorf("%s data: under dbt-%s\n%s", ds.name, r.adapter, strings.Join(failed, "\n"))
	}
	if models < 40 {
		t.Errorf("%s data: dbt built only %d models and seeds", ds.name, models)
	}
}

// recRows reads every reconciliation row through dbt show, with the query
// invgen's rows came from.
func (r *adapterRun) recRows(t *testing.T) recRows {
	t.Helper()
	est := retail(t)
	query := est.recQuery(r.adapter, func(m string) string {
		return "{{ ref('" + m + "') }}"
	})
	out := recRows{}
	for _, row := range show(t, r.project, r.adapter, query) {
		model, text := fmt.Sprint(row["model_name"]), fmt.Sprint(row["row_text"])
		if err := out.add(est.recs, model, text); err != nil {
			t.Fatalf("dbt-%s: %v", r.adapter, err)
		}
	}
	out.sort()
	return out
}

// freshness runs dbt source freshness and checks it measured every source
// with an SLA at the newest loaded_at of its data.
func (r *adapterRun) freshness(t *testing.T, ds *dataset) {
	t.Helper()
	// Synthesised rows are months old, so freshness errors; that is the
	// point of checking it. What must hold is that it measured each source.
	out, _ := runDBT(t, r.project, r.adapter, "source", "freshness")
	data, err := os.ReadFile(filepath.Join(r.project.target(), "sources.json"))
	if err != nil {
		t.Fatalf("dbt source freshness wrote no sources.json: %v\n%s", err, out)
	}
	var sources struct {
		Results []struct {
			UniqueID    string `json:"unique_id"`
			Status      string `json:"status"`
			MaxLoadedAt string `json:"max_loaded_at"`
		} `json:"results"`
	}
	if err := json.Unmarshal(data, &sources); err != nil {
		t.Fatal(err)
	}
	measured := map[string]string{}
	for _, res := range sources.Results {
		measured[strings.Split(res.UniqueID, ".")[2]] = res.MaxLoadedAt
	}
	for _, con := range retail(t).contracts.Contracts {
		if con.Delivery.FreshnessSLA == "" {
			continue
		}
		want := newestLoadedAt(ds.tables[con.Source], con.Columns)
		got := strings.Replace(measured[con.Source], "T", " ", 1)
		if !strings.HasPrefix(got, want) {
			t.Errorf("freshness of %s: max_loaded_at %q, want %s\n%s", con.Source,
				measured[con.Source], want, out)
		}
	}
}

// newestLoadedAt is the latest loaded_at among a table's rows.
func newestLoadedAt(t *synth.Table, cols []contracts.Column) string {
	idx := -1
	for i, col := range cols {
		if col.Role == contracts.RoleLoadedAt {
			idx = i
		}
	}
	newest := ""
	for _, row := range t.Rows {
		if idx >= 0 && row[idx] > newest {
			newest = row[idx]
		}
	}
	return newest
}

// triageAgrees reads the artifacts of the last dbt build with invgen triage
// and requires its alerts to be exactly the tests that failed or warned,
// valued from the failures dbt stored.
func (r *adapterRun) triageAgrees(t *testing.T, ds *dataset, dbFile string) {
	t.Helper()
	art, err := triage.Read(r.built())
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", dbFile+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rep, err := art.Report(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range rep.Alerts {
		got[a.Test] = a.Status
		if a.Tier == "page" && (a.Value == nil || *a.Value <= 0) {
			t.Errorf("page alert %s has no value from its stored failures", a.Test)
		}
	}
	for name, status := range ds.statuses {
		if status != "pass" && got[name] != status {
			t.Errorf("triage: %s is %q, dbt said %q", name, got[name], status)
		}
		if status == "pass" && got[name] != "" {
			t.Errorf("triage: %s passed but is an alert", name)
		}
	}
}

// defaultAsOf requires the as-of date dbt takes when no var sets it to be
// today in the estate's timezone where today began last, as invgen's own
// engine computes it: the warehouse's clock and session zone must not move it.
func (r *adapterRun) defaultAsOf(t *testing.T) {
	t.Helper()
	var zones []string
	for _, con := range retail(t).contracts.Contracts {
		if tz := con.Semantics.Timezone; tz != "" {
			zones = append(zones, tz)
		}
	}
	before := earliestToday(t, zones)
	rows := show(t, r.project, r.adapter,
		"select cast({{ invgen_as_of_date() }} as {{ dbt.type_string() }}) as as_of")
	after := earliestToday(t, zones)
	if len(rows) != 1 {
		t.Fatalf("dbt-%s: the default as-of date gave %d rows", r.adapter, len(rows))
	}
	if got := fmt.Sprint(rows[0]["as_of"]); got != before && got != after {
		t.Errorf("dbt-%s: the default as-of date is %s, want %s", r.adapter, got, after)
	}
}

// earliestToday is the smallest of today's dates in the zones.
func earliestToday(t *testing.T, zones []string) string {
	t.Helper()
	now := time.Now()
	least := ""
	for _, name := range zones {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		if day := now.In(loc).Format(time.DateOnly); least == "" || day < least {
			least = day
		}
	}
	return least
}
