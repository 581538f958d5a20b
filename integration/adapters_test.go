package integration

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/synth"
	"github.com/invgen/invgen/triage"
)

// adapterRun is one adapter's profile and where its projects live.
type adapterRun struct {
	adapter  string
	profiles string // folder of profiles.yml
	project  string // the generated project
	loader   string // the raw-data loader project
}

func newAdapterRun(t *testing.T, adapter, profile string) *adapterRun {
	t.Helper()
	dir := t.TempDir()
	run := &adapterRun{adapter: adapter, profiles: dir,
		project: filepath.Join(dir, "project"), loader: filepath.Join(dir, "loader")}
	writeFiles(t, dir, map[string][]byte{"profiles.yml": []byte(profile)})
	writeFiles(t, run.project, retail(t).files)
	return run
}

// buildOn loads a data set with dbt seed, builds the project with dbt build,
// and checks dbt agrees with invgen's engine: every test's status and every
// reconciliation row.
func (r *adapterRun) buildOn(t *testing.T, ds *dataset) {
	t.Helper()
	est := retail(t)
	os.RemoveAll(r.loader)
	writeFiles(t, r.loader, loaderProject(est.contracts, ds.tables, r.adapter))
	dbt(t, r.loader, r.profiles, r.adapter, "seed", "--full-refresh")

	vars := fmtVars(map[string]string{"invgen_as_of_date": ds.asOf})
	out, err := runDBT(t, r.project, r.profiles, r.adapter, "build", "--vars", vars)
	failing := expectsFailure(ds.statuses)
	if err != nil && !failing || err == nil && failing {
		t.Fatalf("dbt build on the %s data: exit error %v, expected failure %v\n%s",
			ds.name, err, failing, out)
	}
	r.checkModelsBuilt(t, ds, out)
	r.keepArtifacts(t)

	got := testStatuses(t, r.project)
	for name, want := range ds.statuses {
		if got[name] != want {
			t.Errorf("%s data: test %s is %q under dbt, %q under invgen", ds.name, name,
				got[name], want)
		}
	}

	rows := r.breakRows(t, vars)
	if strings.Join(rows, "\n") != strings.Join(ds.rows, "\n") {
		t.Errorf("%s data: dbt-%s and invgen disagree on reconciliation rows\n"+
			"dbt:\n  %s\ninvgen:\n  %s", ds.name, r.adapter, strings.Join(rows, "\n  "),
			strings.Join(ds.rows, "\n  "))
	}
}

// keepArtifacts copies the build's run_results.json and manifest.json aside:
// the dbt commands that follow overwrite them.
func (r *adapterRun) keepArtifacts(t *testing.T) {
	t.Helper()
	for _, name := range []string{"run_results.json", "manifest.json"} {
		data, err := os.ReadFile(filepath.Join(r.project, "target", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFiles(t, r.built(), map[string][]byte{name: data})
	}
}

// built is where the last build's artifacts are kept.
func (r *adapterRun) built() string { return filepath.Join(r.profiles, "built") }

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

// checkModelsBuilt fails unless every model and seed of the build succeeded.
func (r *adapterRun) checkModelsBuilt(t *testing.T, ds *dataset, out string) {
	t.Helper()
	models := 0
	for _, res := range runResults(t, r.project) {
		if strings.HasPrefix(res.UniqueID, "test.") {
			continue
		}
		models++
		if res.Status != "success" {
			t.Errorf("%s data: %s is %s under dbt-%s\n%s", ds.name, res.UniqueID, res.Status,
				r.adapter, out)
		}
	}
	if models < 40 {
		t.Errorf("%s data: dbt built only %d models and seeds", ds.name, models)
	}
}

func (r *adapterRun) breakRows(t *testing.T, vars string) []string {
	t.Helper()
	query := retail(t).breakQuery(r.adapter, func(m string) string {
		return "{{ ref('" + m + "') }}"
	})
	var out []string
	for _, row := range show(t, r.project, r.profiles, r.adapter, query) {
		out = append(out, canonical(fmt.Sprint(row["check_name"]), fmt.Sprint(row["break_key"]),
			jsonNumber(row["break_qty"]), jsonNumber(row["break_value"])))
	}
	sort.Strings(out)
	return out
}

func jsonNumber(v any) *float64 {
	n, ok := v.(json.Number)
	if !ok {
		return nil
	}
	f, err := strconv.ParseFloat(n.String(), 64)
	if err != nil {
		return nil
	}
	return &f
}

// freshness runs dbt source freshness and checks it measured every source
// with an SLA at the newest loaded_at of its data.
func (r *adapterRun) freshness(t *testing.T, ds *dataset) {
	t.Helper()
	// Synthesised rows are months old, so freshness errors; that is the
	// point of checking it. What must hold is that it measured each source.
	out, _ := runDBT(t, r.project, r.profiles, r.adapter, "source", "freshness")
	data, err := os.ReadFile(filepath.Join(r.project, "target", "sources.json"))
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

// injectedBreaksAppear checks invgen's own rows hold every injected break:
// the faulty data set is only a test of dbt if it is faulty.
func injectedBreaksAppear(t *testing.T, est *estate) {
	t.Helper()
	for check, breaks := range est.faulty.injected {
		if breakKeys[check] == nil {
			continue // a monitor's pattern; its test statuses are compared instead
		}
		for _, b := range breaks {
			var key []string
			for _, k := range breakKeys[check] {
				key = append(key, b.Keys[k])
			}
			q := b.Qty
			want := canonical(check, strings.Join(key, "|"), &q, b.Value)
			if !contains(est.faulty.rows, want) {
				t.Errorf("injected break missing from invgen's rows: %s", want)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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
		if a.Tier == "page" && a.Value <= 0 {
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
