package golden_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

const (
	refStart = "<!-- contract-reference:start -->\n"
	refEnd   = "<!-- contract-reference:end -->"
)

// TestReadmeContractReference keeps the README's contract reference equal
// to the field tables the parser enforces. With -update it rewrites it.
func TestReadmeContractReference(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	readme := string(data)

	start := strings.Index(readme, refStart)
	end := strings.Index(readme, refEnd)
	require.True(t, start >= 0 && end > start, "README lacks the reference markers")

	want := contracts.Reference()
	got := readme[start+len(refStart) : end]
	if *update {
		readme = readme[:start+len(refStart)] + want + readme[end:]
		require.NoError(t, os.WriteFile("../README.md", []byte(readme), 0o644))
		return
	}
	require.Equal(t, want, got, "README contract reference is stale: go test ./golden -update")
}
