package bench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

func TestScaleEstateWritesAValidEstateOfTheSizeAsked(t *testing.T) {
	for _, n := range []int{13, 16, 17} {
		dir := t.TempDir()
		got, err := ScaleEstate("../examples/retail", dir, n)
		require.NoError(t, err)
		require.Equal(t, n, got)

		est, err := contracts.Load(os.DirFS(dir), dir)
		require.NoError(t, err, "n=%d", n)
		require.Len(t, est.Contracts, n)
		require.Empty(t, est.Project.Fixtures, "validation synthesises its data")
		_, err = os.Stat(filepath.Join(dir, "wms_r002_movements.yml"))
		require.Equal(t, n >= 16, err == nil, "n=%d", n)
	}
}
