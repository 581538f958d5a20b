package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
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
