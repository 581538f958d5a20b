package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/cli"
)

// A file that lists several servers is imported only once --server says
// which one holds the tables.
func TestImportODCSNeedsTheServerNamedWhenThereAreSeveral(t *testing.T) {
	data, err := os.ReadFile("../testdata/odcs/wms_eu_movements.odcs.yaml")
	require.NoError(t, err)
	text := strings.Replace(string(data), "    schema: wms_eu\n", "    schema: wms_eu\n"+
		"  - server: staging\n    type: postgres\n    database: stage\n"+
		"    schema: wms_eu_copy\n", 1)
	dir := t.TempDir()
	file := filepath.Join(dir, "wms.odcs.yaml")
	require.NoError(t, os.WriteFile(file, []byte(text), 0o644))
	out := filepath.Join(dir, "contracts")

	code, stdout, stderr := runCLI("import", "odcs", file, "--out", out)
	require.Equal(t, cli.ExitInvalid, code, stderr)
	require.Empty(t, stdout)
	require.Contains(t, stderr, file+":11:3: servers: 2 servers could hold the tables "+
		"(warehouse (snowflake), staging (postgres))")
	require.NoDirExists(t, out, "nothing written")

	code, _, stderr = runCLI("import", "odcs", file, "--out", out, "--server", "staging")
	require.Equal(t, cli.ExitOK, code, stderr)
	contract, err := os.ReadFile(filepath.Join(out, "wms_eu_movements.yml"))
	require.NoError(t, err)
	require.Contains(t, string(contract), "schema: wms_eu_copy")
}
