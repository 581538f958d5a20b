package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requireIntegration skips unless the integration environment is set up.
func requireIntegration(t *testing.T) {
	t.Helper()
	if os.Getenv("INVGEN_INTEGRATION") != "1" {
		t.Skip("set INVGEN_INTEGRATION=1 (scripts/test does) to run dbt on real adapters")
	}
}

// dbtPath is the dbt of the project's virtual environment, or $INVGEN_DBT.
func dbtPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("INVGEN_DBT"); p != "" {
		return p
	}
	p, err := filepath.Abs("../.venv/bin/dbt")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("no dbt at %s: run scripts/test, which creates the environment", p)
	}
	return p
}

// dbtProject is where dbt runs: a project folder, the folder of the
// profiles.yml it connects with, and a folder of its own where dbt starts
// and writes its artifacts and logs. Every adapter runs the one project
// invgen built, so nothing of a run is written into it.
type dbtProject struct {
	dir      string
	profiles string
	work     string
}

// target is where dbt writes run_results.json and the other artifacts.
func (p dbtProject) target() string { return filepath.Join(p.work, "target") }

// dbt runs one dbt command in a project against a target. On failure the
// test fails with dbt's own output, so the reason is visible in CI.
func dbt(t *testing.T, p dbtProject, target string, args ...string) string {
	t.Helper()
	out, err := runDBT(t, p, target, args...)
	if err != nil {
		t.Fatalf("dbt %s --target %s failed: %v\n%s", strings.Join(args, " "), target, err, out)
	}
	return out
}

// runDBT runs dbt and returns its output and error without failing.
func runDBT(t *testing.T, p dbtProject, target string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	full := append(args, "--project-dir", p.dir, "--profiles-dir", p.profiles,
		"--target", target)
	cmd := exec.CommandContext(ctx, dbtPath(t), full...)
	// Spark's metastore writes derby.log where the process starts.
	cmd.Dir = p.work
	cmd.Env = append(os.Environ(), "DBT_SEND_ANONYMOUS_USAGE_STATS=false",
		"DO_NOT_TRACK=1", "DBT_USE_COLORS=false", "DBT_TARGET_PATH="+p.target(),
		"DBT_LOG_PATH="+filepath.Join(p.work, "logs"))
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	start := time.Now()
	err := cmd.Run()
	t.Logf("dbt %s --target %s: %s", args[0], target, time.Since(start).Round(time.Second))
	return buf.String(), err
}

// dbtSummary is the end of dbt's output where it lists every error and
// failure of a run in its own words, or the whole output when it has none.
func dbtSummary(out string) string {
	for _, mark := range []string{"Completed with ", "Encountered an error"} {
		if i := strings.LastIndex(out, mark); i >= 0 {
			start := strings.LastIndex(out[:i], "\n") + 1
			return out[start:]
		}
	}
	return out
}

// runResult is one node of dbt's run_results.json.
type runResult struct {
	UniqueID string `json:"unique_id"`
	Status   string `json:"status"`
	Failures *int   `json:"failures"`
	Message  string `json:"message"` // dbt's own words: the error, or a test's count
}

// runResults reads the run_results.json dbt wrote into target.
func runResults(t *testing.T, target string) []runResult {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(target, "run_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rr struct {
		Results []runResult `json:"results"`
	}
	if err := json.Unmarshal(data, &rr); err != nil {
		t.Fatal(err)
	}
	return rr.Results
}

// testResults maps each data test's name to its result.
func testResults(t *testing.T, target string) map[string]runResult {
	t.Helper()
	out := map[string]runResult{}
	for _, r := range runResults(t, target) {
		if strings.HasPrefix(r.UniqueID, "test.") {
			parts := strings.Split(r.UniqueID, ".")
			out[parts[2]] = r
		}
	}
	return out
}

// show runs a query through dbt show and returns its rows.
func show(t *testing.T, p dbtProject, target, sql string) []map[string]any {
	t.Helper()
	out := dbt(t, p, target, "show", "--inline", sql, "--output", "json",
		"--limit", "-1", "--quiet", "--log-format", "text")
	start := strings.Index(out, "{")
	if start < 0 {
		t.Fatalf("dbt show printed no JSON:\n%s", out)
	}
	var res struct {
		Show []map[string]any `json:"show"`
	}
	dec := json.NewDecoder(strings.NewReader(out[start:]))
	dec.UseNumber()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("reading dbt show output: %v\n%s", err, out)
	}
	return res.Show
}

func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for path, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func fmtVars(vars map[string]string) string {
	parts := make([]string, 0, len(vars))
	for k, v := range vars {
		parts = append(parts, fmt.Sprintf("%s: %q", k, v))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
