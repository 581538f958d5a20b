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

// dbt runs one dbt command in a project against a target. On failure the
// test fails with dbt's own output, so the reason is visible in CI.
func dbt(t *testing.T, project, profiles, target string, args ...string) string {
	t.Helper()
	out, err := runDBT(t, project, profiles, target, args...)
	if err != nil {
		t.Fatalf("dbt %s --target %s failed: %v\n%s", strings.Join(args, " "), target, err, out)
	}
	return out
}

// runDBT runs dbt and returns its output and error without failing.
func runDBT(t *testing.T, project, profiles, target string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	full := append(args, "--project-dir", project, "--profiles-dir", profiles,
		"--target", target)
	cmd := exec.CommandContext(ctx, dbtPath(t), full...)
	cmd.Dir = project
	cmd.Env = append(os.Environ(), "DBT_SEND_ANONYMOUS_USAGE_STATS=false",
		"DO_NOT_TRACK=1")
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	start := time.Now()
	err := cmd.Run()
	t.Logf("dbt %s --target %s: %s", args[0], target, time.Since(start).Round(time.Second))
	return buf.String(), err
}

// runResult is one node of dbt's run_results.json.
type runResult struct {
	UniqueID string `json:"unique_id"`
	Status   string `json:"status"`
	Failures *int   `json:"failures"`
}

// runResults reads target/run_results.json after a dbt command.
func runResults(t *testing.T, project string) []runResult {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(project, "target", "run_results.json"))
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

// testStatuses maps each data test's name to its status.
func testStatuses(t *testing.T, project string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range runResults(t, project) {
		if strings.HasPrefix(r.UniqueID, "test.") {
			parts := strings.Split(r.UniqueID, ".")
			out[parts[2]] = r.Status
		}
	}
	return out
}

// show runs a query through dbt show and returns its rows.
func show(t *testing.T, project, profiles, target, sql string) []map[string]any {
	t.Helper()
	out := dbt(t, project, profiles, target, "show", "--inline", sql, "--output", "json",
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
