package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/invgen/invgen/cli"
)

// The CI example's workflow and pre-commit hooks, run as written against a
// data repository: a clean change passes them all; a timezone change fails
// check (the committed project is stale) and diff (on the contract's line),
// while the contracts still validate. The commands are read from the
// example files, so the example cannot drift from what invgen accepts.
func TestCIExampleCommandsGuardADataRepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not on PATH")
	}
	workflow, hooks := workflowCommands(t), preCommitCommands(t)
	require.Equal(t, []string{"validate", "check", "diff"}, verbs(workflow))
	require.Equal(t, []string{"validate", "check", "diff"}, verbs(hooks))

	repo := dataRepo(t, true)
	t.Chdir(repo)
	for _, cmd := range append(workflow, hooks...) {
		code, stdout, stderr := invgen(cmd)
		require.Equal(t, cli.ExitOK, code, "%v\n%s%s", cmd, stdout, stderr)
	}

	contract := filepath.Join("contracts", "wms_eu_movements.yml")
	line := editLine(t, contract, "timezone: Europe/Berlin", "timezone: UTC")
	for _, cmd := range append(workflow, hooks...) {
		code, stdout, stderr := invgen(cmd)
		want := map[string]int{"validate": cli.ExitOK, "check": cli.ExitFindings,
			"diff": cli.ExitFindings}[cmd[0]]
		require.Equal(t, want, code, "%v\n%s%s", cmd, stdout, stderr)
		if cmd[0] == "diff" {
			requireTimezoneBreak(t, cmd, stdout, line)
		}
	}
}

// requireTimezoneBreak checks that diff reported the timezone change on
// its line of the head contract, in the format the command asked for.
func requireTimezoneBreak(t *testing.T, cmd []string, stdout string, line int) {
	t.Helper()
	if strings.Contains(strings.Join(cmd, " "), "--format github") {
		require.Contains(t, stdout, fmt.Sprintf("::error file=contracts/"+
			"wms_eu_movements.yml,line=%d,col=13,title=invgen diff::", line))
		return
	}
	at := fmt.Sprintf("contracts/wms_eu_movements.yml:%d:13: breaking: semantics.timezone "+
		"changed from Europe/Berlin to UTC (base HEAD:contracts/wms_eu_movements.yml:%d:13)",
		line, line)
	require.Contains(t, stdout, at)
}

func verbs(cmds [][]string) []string {
	out := make([]string, len(cmds))
	for i, c := range cmds {
		out[i] = c[0]
	}
	return out
}

// A base that names nothing is the command line's fault; one whose
// contracts cannot be read names them as git does, at the revision.
func TestDiffSaysWhatIsWrongWithTheBase(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not on PATH")
	}
	repo := dataRepo(t, false)
	t.Chdir(repo)

	code, _, stderr := invgen([]string{"diff", "--base", "no-such-branch", "contracts"})
	require.Equal(t, cli.ExitUsage, code, stderr)
	require.Equal(t, "--base no-such-branch: not a folder, nor a commit of the git "+
		"repository holding contracts\n", stderr)

	contract := filepath.Join("contracts", "costs.yml")
	editLine(t, contract, "source: costs", "source: [costs]")
	git(t, repo, "commit", "-q", "-am", "a contract that does not parse")
	editLine(t, contract, "source: [costs]", "source: costs")
	code, _, stderr = invgen([]string{"diff", "--base", "HEAD", "contracts"})
	require.Equal(t, cli.ExitInvalid, code, stderr)
	require.Equal(t, "--base HEAD: its contracts cannot be compared:\n"+
		"HEAD:contracts/costs.yml:2:1: base contract does not have the contract's shape: "+
		"cannot unmarshal !!seq into string\n", stderr)

	code, stdout, stderr := invgen([]string{"diff", "--base", "HEAD~1", "contracts"})
	require.Equal(t, cli.ExitOK, code, "%s%s", stdout, stderr)
	require.Empty(t, stdout, "the work tree is what was committed first")
}

// A git base's positions read REV:path with the path from the repository's
// root, which is what git accepts wherever it runs; a path from the
// current folder would name no file. Each name printed is handed back to
// git, which must find the base's line there.
func TestDiffNamesGitBaseFilesFromTheRepositoryRoot(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not on PATH")
	}
	repo := dataRepo(t, false)
	contract := filepath.Join(repo, "contracts", "wms_eu_movements.yml")
	line := editLine(t, contract, "timezone: Europe/Berlin", "timezone: UTC")
	require.NoError(t, os.MkdirAll(filepath.Join(repo, "docs"), 0o755))

	for _, tc := range []struct{ name, cwd, dir string }{
		{"the contracts folder", filepath.Join(repo, "contracts"), "."},
		{"a sibling folder", filepath.Join(repo, "docs"), "../contracts"},
		{"outside the repository", filepath.Dir(repo),
			filepath.Join(filepath.Base(repo), "contracts")},
		{"anywhere, by absolute path", filepath.Dir(repo), filepath.Join(repo, "contracts")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(tc.cwd)
			code, stdout, stderr := invgen([]string{"diff", "--base", "HEAD", tc.dir})
			require.Equal(t, cli.ExitFindings, code, "%s%s", stdout, stderr)
			want := fmt.Sprintf("(base HEAD:contracts/wms_eu_movements.yml:%d:13)", line)
			require.Contains(t, stdout, want)
			base := gitShow(t, repo, "HEAD:contracts/wms_eu_movements.yml")
			require.Contains(t, strings.Split(base, "\n")[line-1], "timezone: Europe/Berlin")

			// GitHub places annotations by the path from the root too.
			code, stdout, stderr = invgen([]string{"diff", "--base", "HEAD", tc.dir,
				"--format", "github"})
			require.Equal(t, cli.ExitFindings, code, "%s%s", stdout, stderr)
			require.Contains(t, stdout, fmt.Sprintf("::error file=contracts/"+
				"wms_eu_movements.yml,line=%d,col=13,title=invgen diff::", line))
		})
	}

	t.Run("a base that cannot be compared", func(t *testing.T) {
		costs := filepath.Join(repo, "contracts", "costs.yml")
		editLine(t, costs, "source: costs", "source: [costs]")
		git(t, repo, "commit", "-q", "-am", "a contract that does not parse")
		editLine(t, costs, "source: [costs]", "source: costs")
		t.Chdir(filepath.Join(repo, "docs"))
		code, _, stderr := invgen([]string{"diff", "--base", "HEAD", "../contracts"})
		require.Equal(t, cli.ExitInvalid, code, stderr)
		require.Contains(t, stderr, "\nHEAD:contracts/costs.yml:2:1: base contract does not")
		require.Contains(t, gitShow(t, repo, "HEAD:contracts/costs.yml"), "source: [costs]")
	})
}

// gitShow returns what git holds under name, a REV:path, asked from the
// repository's root.
func gitShow(t *testing.T, repo, name string) string {
	t.Helper()
	cmd := exec.Command("git", "show", name)
	cmd.Dir = repo
	out, err := cmd.Output()
	require.NoError(t, err, "git show %s", name)
	return string(out)
}

// workflowCommands returns the invgen commands of the workflow's steps,
// with the pull request's base branch set to main.
func workflowCommands(t *testing.T) [][]string {
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	readYAML(t, "../examples/ci/.github/workflows/contracts.yml", &wf)
	var out [][]string
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			run := strings.ReplaceAll(s.Run, "${{ github.base_ref }}", "main")
			if strings.HasPrefix(run, "invgen ") {
				out = append(out, strings.Fields(run)[1:])
			}
		}
	}
	return out
}

func preCommitCommands(t *testing.T) [][]string {
	var pc struct {
		Repos []struct {
			Hooks []struct {
				Entry string `yaml:"entry"`
			} `yaml:"hooks"`
		} `yaml:"repos"`
	}
	readYAML(t, "../examples/ci/.pre-commit-config.yaml", &pc)
	var out [][]string
	for _, r := range pc.Repos {
		for _, h := range r.Hooks {
			require.True(t, strings.HasPrefix(h.Entry, "invgen "), h.Entry)
			out = append(out, strings.Fields(h.Entry)[1:])
		}
	}
	return out
}

func readYAML(t *testing.T, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(data, v))
}

// dataRepo makes a git repository holding the retail contracts and, when
// built, the project built from them, committed on main and pushed, as far
// as git can tell, to origin/main.
func dataRepo(t *testing.T, built bool) string {
	repo := t.TempDir()
	contracts := filepath.Join(repo, "contracts")
	require.NoError(t, os.MkdirAll(contracts, 0o755))
	files, err := filepath.Glob("../examples/retail/*.yml")
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(contracts, filepath.Base(f)), data,
			0o644))
	}
	if built {
		code, _, stderr := invgen([]string{"build", contracts, "--out",
			filepath.Join(repo, "dbt"), "--fixtures", "../examples/retail/data"})
		require.Equal(t, cli.ExitOK, code, stderr)
	}

	git(t, repo, "init", "-q", "--initial-branch=main")
	git(t, repo, "config", "user.name", "invgen test")
	git(t, repo, "config", "user.email", "test@invgen.example")
	git(t, repo, "config", "commit.gpgsign", "false")
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-q", "-m", "contracts")
	git(t, repo, "update-ref", "refs/remotes/origin/main", "HEAD")
	return repo
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
}

func invgen(args []string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := cli.Run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// editLine replaces old with new in file and returns the 1-based line.
func editLine(t *testing.T, file, old, new string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	i := strings.Index(string(data), old)
	require.GreaterOrEqual(t, i, 0, "%s has no %q", file, old)
	edited := strings.Replace(string(data), old, new, 1)
	require.NoError(t, os.WriteFile(file, []byte(edited), 0o644))
	return strings.Count(string(data[:i]), "\n") + 1
}
