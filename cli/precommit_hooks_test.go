package cli_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/cli"
)

// manifestHook is a hook of .pre-commit-hooks.yaml, with the keys that
// decide when pre-commit runs it and what it passes.
type manifestHook struct {
	ID            string `yaml:"id"`
	Entry         string `yaml:"entry"`
	Language      string `yaml:"language"`
	Files         string `yaml:"files"`
	Exclude       string `yaml:"exclude"`
	AlwaysRun     bool   `yaml:"always_run"`
	PassFilenames *bool  `yaml:"pass_filenames"`
}

// runsFor says whether pre-commit would run the hook for a commit that
// touches only path. pre-commit's patterns are Python regular expressions;
// ours are simple enough to mean the same in Go.
func (h manifestHook) runsFor(t *testing.T, path string) bool {
	t.Helper()
	if h.AlwaysRun {
		return true
	}
	if !regexp.MustCompile(h.Files).MatchString(path) {
		return false
	}
	return h.Exclude == "" || !regexp.MustCompile(h.Exclude).MatchString(path)
}

// The hooks this repository publishes, run as data repositories get them
// (no args, from the folder holding invgen.yml) on a built copy of the
// retail example committed to git: all pass on a project that is current;
// check fails once a generated model is edited by hand, and diff once a
// contract changes in a way that breaks its consumers. A check hook that
// only ran for YAML changes would let the model edit through, so the
// triggers are tested too.
func TestPreCommitHooksGuardTheGeneratedProject(t *testing.T) {
	var hooks []manifestHook
	readYAML(t, "../.pre-commit-hooks.yaml", &hooks)
	byID := map[string]manifestHook{}
	for _, h := range hooks {
		require.Equal(t, "golang", h.Language, h.ID)
		require.NotNil(t, h.PassFilenames, "%s: invgen takes a folder, not file names", h.ID)
		require.False(t, *h.PassFilenames, "%s: invgen takes a folder, not file names", h.ID)
		byID[h.ID] = h
	}
	require.ElementsMatch(t, []string{"invgen-check", "invgen-validate", "invgen-diff"},
		keys(byID))

	check, validate, diff := byID["invgen-check"], byID["invgen-validate"], byID["invgen-diff"]
	for _, p := range []string{"contracts/costs.yml", "invgen.yml",
		"dbt/models/staging/costs/stg_costs.sql", "dbt/seeds/invgen_tolerances.csv",
		"dbt/.invgen-manifest"} {
		require.True(t, check.runsFor(t, p), "invgen-check does not run when %s changes", p)
	}
	for _, p := range []string{"costs.yml", "contracts/invgen.yaml"} {
		require.True(t, validate.runsFor(t, p), "invgen-validate does not run for %s", p)
		require.True(t, diff.runsFor(t, p), "invgen-diff does not run for %s", p)
	}

	dir := builtRetailCopy(t)
	commitAll(t, dir)
	t.Chdir(dir)
	for _, h := range hooks {
		code, stdout, stderr := invgen(hookArgs(t, h))
		require.Equal(t, cli.ExitOK, code, "%s on a current project\n%s%s", h.ID, stdout,
			stderr)
	}

	model := firstGeneratedSQL(t, filepath.Join(dir, "dbt"))
	editLine(t, model, "\n", "\n-- edited by hand\n")
	want := map[string]int{"invgen-check": cli.ExitFindings, "invgen-validate": cli.ExitOK,
		"invgen-diff": cli.ExitOK}
	for _, h := range hooks {
		code, stdout, stderr := invgen(hookArgs(t, h))
		require.Equal(t, want[h.ID], code, "%s after editing %s\n%s%s", h.ID, model, stdout,
			stderr)
		if h.ID == "invgen-check" {
			rel, err := filepath.Rel(filepath.Join(dir, "dbt"), model)
			require.NoError(t, err)
			require.Contains(t, stdout, "+++ b/"+filepath.ToSlash(rel))
		}
	}

	line := editLine(t, "wms_eu_movements.yml", "timezone: Europe/Berlin", "timezone: UTC")
	code, stdout, stderr := invgen(hookArgs(t, diff))
	require.Equal(t, cli.ExitFindings, code, "invgen-diff after a timezone change\n%s%s",
		stdout, stderr)
	require.Contains(t, stdout, fmt.Sprintf("wms_eu_movements.yml:%d:13: breaking: "+
		"semantics.timezone changed", line))
}

// commitAll makes dir a git repository with everything in it committed, as
// a data repository is when its hooks run.
func commitAll(t *testing.T, dir string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not on PATH")
	}
	git(t, dir, "init", "-q", "--initial-branch=main")
	git(t, dir, "config", "user.name", "invgen test")
	git(t, dir, "config", "user.email", "test@invgen.example")
	git(t, dir, "config", "commit.gpgsign", "false")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "contracts")
}

func keys(m map[string]manifestHook) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// hookArgs is the hook's entry as cli.Run takes it: split into words,
// without the executable's name.
func hookArgs(t *testing.T, h manifestHook) []string {
	t.Helper()
	words := strings.Fields(h.Entry)
	require.NotEmpty(t, words, h.ID)
	require.Equal(t, "invgen", words[0], "%s: entry %q", h.ID, h.Entry)
	return words[1:]
}

// builtRetailCopy copies the retail example's invgen.yml and contracts to
// a temp folder and builds its project there, into dbt/ as invgen.yml says.
func builtRetailCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob("../examples/retail/*.yml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644))
	}
	data, err := filepath.Abs("../examples/retail/data")
	require.NoError(t, err)
	code, stdout, stderr := invgen([]string{"build", dir, "--fixtures", data})
	require.Equal(t, cli.ExitOK, code, "%s%s", stdout, stderr)
	return dir
}

// firstGeneratedSQL is the first .sql file the manifest of the project in
// out lists: one invgen owns, so editing it is drift.
func firstGeneratedSQL(t *testing.T, out string) string {
	t.Helper()
	manifest, err := os.ReadFile(filepath.Join(out, ".invgen-manifest"))
	require.NoError(t, err)
	for _, line := range strings.Split(string(manifest), "\n") {
		if strings.HasSuffix(line, ".sql") {
			return filepath.Join(out, filepath.FromSlash(line))
		}
	}
	t.Fatalf("%s/.invgen-manifest lists no .sql file", out)
	return ""
}
