// Package golden_test compares the project generated for every example
// estate with the tree committed under golden/<example>, byte for byte.
// Run `go test ./golden -update` to accept a change.
package golden_test

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
)

var update = flag.Bool("update", false, "rewrite the golden trees")

func TestGoldenProjects(t *testing.T) {
	examples, err := filepath.Glob("../examples/*/invgen.yml")
	require.NoError(t, err)
	require.NotEmpty(t, examples)

	for _, projectFile := range examples {
		dir := filepath.Dir(projectFile)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			files := generate(t, dir)
			golden := filepath.Join(".", name)
			if *update {
				rewrite(t, golden, files)
			}
			compare(t, golden, files)
		})
	}
}

// TestSecondBuildIsIdentical guards determinism: a fresh generator over a
// freshly loaded estate yields the same bytes.
func TestSecondBuildIsIdentical(t *testing.T) {
	first := generate(t, "../examples/retail")
	second := generate(t, "../examples/retail")
	require.Equal(t, len(first), len(second))
	for path, content := range first {
		require.True(t, bytes.Equal(content, second[path]), "%s differs between builds", path)
	}
}

func generate(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	estate, err := contracts.Load(os.DirFS(dir), dir)
	require.NoError(t, err)
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	return res.All()
}

func compare(t *testing.T, golden string, files map[string][]byte) {
	t.Helper()
	onDisk := readTree(t, golden)
	for _, path := range sortedKeys(files) {
		want, ok := onDisk[path]
		if !ok {
			t.Errorf("%s: generated but not in %s (run go test ./golden -update)", path, golden)
			continue
		}
		if !bytes.Equal(want, files[path]) {
			t.Errorf("%s: differs from %s (run go test ./golden -update and review the diff)",
				path, golden)
		}
	}
	for _, path := range sortedKeys(onDisk) {
		if _, ok := files[path]; !ok {
			t.Errorf("%s: in %s but no longer generated", path, golden)
		}
	}
}

func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	require.NoError(t, err)
	return out
}

func rewrite(t *testing.T, golden string, files map[string][]byte) {
	t.Helper()
	require.NoError(t, os.RemoveAll(golden))
	for path, content := range files {
		full := filepath.Join(golden, filepath.FromSlash(path))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, content, 0o644))
	}
}

func sortedKeys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
