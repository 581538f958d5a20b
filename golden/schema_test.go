package golden_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

// TestCommittedSchemas keeps contract.schema.json and project.schema.json
// at the repository root equal to what `invgen schema` and `invgen schema
// --project` print: the example contracts point editors at them. With
// -update it rewrites them.
func TestCommittedSchemas(t *testing.T) {
	for file, gen := range map[string]func() ([]byte, error){
		"../contract.schema.json": contracts.JSONSchema,
		"../project.schema.json":  contracts.ProjectJSONSchema,
	} {
		want, err := gen()
		require.NoError(t, err)
		want = append(want, '\n') // as the command prints it
		if *update {
			require.NoError(t, os.WriteFile(file, want, 0o644))
			continue
		}
		got, err := os.ReadFile(file)
		require.NoError(t, err, "%s is missing: go test ./golden -update", file)
		require.True(t, bytes.Equal(want, got),
			"%s is stale: go test ./golden -update and review the diff", file)
	}
}

// TestExamplesPointAtTheSchemas checks that every example contract and
// invgen.yml names the committed schema of its kind for yaml-language-server,
// on its first line, by a path that reaches it: the examples are what a
// team copies to start.
func TestExamplesPointAtTheSchemas(t *testing.T) {
	const dir = "../examples/retail"
	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	pointing := 0
	for _, f := range files {
		if f.IsDir() || filepath.Ext(f.Name()) != ".yml" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, f.Name()))
		require.NoError(t, err)
		m := schemaComment.FindSubmatch(data)
		require.NotNil(t, m, "%s does not name its schema on its first line", f.Name())
		pointing++
		want := "contract.schema.json"
		if f.Name() == contracts.ProjectFile {
			want = "project.schema.json"
		}
		target := filepath.Join(dir, string(m[1]))
		require.Equal(t, want, filepath.Base(target), f.Name())
		_, err = os.Stat(target)
		require.NoError(t, err, "%s points at a schema that does not exist", f.Name())
	}
	require.NotZero(t, pointing, "no example names its schema")
}

var schemaComment = regexp.MustCompile(`^# yaml-language-server: \$schema=(\S+)\n`)
