package generator_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

// alias is a select item's output name in a generated base model, or a
// joined table's name, which the test skips.
var alias = regexp.MustCompile(`(?m)^(.*)\bas ([a-z_][a-z0-9_]*),?$`)

// TestStagingDerivesOnlyNamesValidationReserves holds the list validation
// refuses raw column names from to what the base models of the retail
// estate really derive: a column named otherwise is the contract's own
// (a role, or a raw column carried through).
func TestStagingDerivesOnlyNamesValidationReserves(t *testing.T) {
	e, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	res := retail(t)

	known := map[string]bool{}
	for _, d := range contracts.DerivedColumns() {
		known[d.Name] = true
	}
	for _, con := range e.Contracts {
		own := map[string]bool{}
		for _, col := range con.Columns {
			own[strings.ToLower(col.Name)] = col.Role == ""
			own[string(col.Role)] = true
		}
		path := "models/staging/" + con.Source + "/" + contracts.BaseModel(con.Source) + ".sql"
		sql, ok := res.Files[path]
		require.True(t, ok, path)
		for _, m := range alias.FindAllStringSubmatch(string(sql), -1) {
			if strings.Contains(m[1], "join ") {
				continue
			}
			name := m[2]
			require.True(t, known[name] || own[name],
				"%s derives %s, which validation does not reserve", path, name)
		}
	}
}
