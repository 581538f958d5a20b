package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/cli"
)

// exampleData is how examples/retail/data was made; the README says so.
var exampleData = []string{"simulate", "../examples/retail", "--days", "40", "--every", "3",
	"--culprits"}

func simulate(t *testing.T, args ...string) string {
	t.Helper()
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := cli.Run(append(args, "--out", out), nil, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	return out
}

// The example's data is exactly what its documented command writes: the
// simulator is deterministic, and the data is not edited by hand.
func TestTheExampleDataIsWhatSimulateWrites(t *testing.T) {
	out := simulate(t, exampleData...)
	want := "../examples/retail/data"
	entries, err := os.ReadDir(want)
	require.NoError(t, err)
	got, err := os.ReadDir(out)
	require.NoError(t, err)
	require.Len(t, got, len(entries))
	for _, e := range entries {
		a, err := os.ReadFile(filepath.Join(want, e.Name()))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(out, e.Name()))
		require.NoError(t, err, e.Name())
		require.Equal(t, string(a), string(b), e.Name())
	}
}

// Another seed is another estate.
func TestAnotherSeedSimulatesAnotherEstate(t *testing.T) {
	a := simulate(t, append(exampleData, "--seed", "1")...)
	b := simulate(t, append(exampleData, "--seed", "2")...)
	x, err := os.ReadFile(filepath.Join(a, "wms_eu_movements.csv"))
	require.NoError(t, err)
	y, err := os.ReadFile(filepath.Join(b, "wms_eu_movements.csv"))
	require.NoError(t, err)
	require.NotEqual(t, string(x), string(y))
}

// Simulated feeds are shared files, readable by the team as every other
// file invgen writes, and the ground truth spells every key in snake_case.
func TestSimulatedFilesAreReadableAndSnakeCase(t *testing.T) {
	out := simulate(t, exampleData...)
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	require.NotEmpty(t, entries)
	for _, e := range entries {
		info, err := e.Info()
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o644), info.Mode().Perm(), e.Name())
	}

	raw, err := os.ReadFile(filepath.Join(out, "ground_truth.json"))
	require.NoError(t, err)
	keys := regexp.MustCompile(`"([^"]+)":`).FindAllStringSubmatch(string(raw), -1)
	require.NotEmpty(t, keys)
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	for _, k := range keys {
		require.Regexp(t, snake, k[1], "a key of ground_truth.json")
	}
	require.Contains(t, string(raw), `"expected": {`)
	require.Contains(t, string(raw), `"qty": `)
}
