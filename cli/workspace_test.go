package cli_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/cli"
)

// TestBuildRefusesAContractsPathThatWouldBreakTheProject: the generated
// project records the path from itself to its contracts in every model's
// meta, which dbt renders as Jinja; a folder whose name opens a Jinja tag
// is refused, naming the path, before anything is written.
func TestBuildRefusesAContractsPathThatWouldBreakTheProject(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "{{ contracts }}")
	require.NoError(t, os.Mkdir(dir, 0o755))
	for _, name := range []string{"wms_moves.yml", "wms_stock.yml", "wms_totals.yml"} {
		data, err := os.ReadFile(filepath.Join("../testdata/e2e/build-valid/input", name))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	out := filepath.Join(root, "dbt")

	code, stdout, stderr := run([]string{"build", dir, "--out", out})

	require.Equal(t, cli.ExitInvalid, code, stdout)
	require.Equal(t, dir+`: the path from the output folder to the contracts, which the `+
		`generated project records, is "../{{ contracts }}": "{{" starts a Jinja tag, and `+
		`dbt renders this text in the generated project: write it without "{{", "{%" or `+
		`"{#"`+"\n", stderr)
	require.NoDirExists(t, out)
}
