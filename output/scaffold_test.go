package output

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestScaffoldCreatesOnlyWhatIsMissing(t *testing.T) {
	dir := t.TempDir()
	files := Files{"seeds/resolutions.csv": []byte("key,resolution\n")}

	created, err := Scaffold(dir, files)
	require.NoError(t, err)
	require.Equal(t, []string{"seeds/resolutions.csv"}, created)

	path := filepath.Join(dir, "seeds", "resolutions.csv")
	require.NoError(t, os.WriteFile(path, []byte("key,resolution\nb1,fixed\n"), 0o644))
	created, err = Scaffold(dir, files)
	require.NoError(t, err)
	require.Empty(t, created)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "key,resolution\nb1,fixed\n", string(got), "the team's rows stay")

	_, err = os.Stat(filepath.Join(dir, ManifestName))
	require.True(t, os.IsNotExist(err), "scaffold files are not owned")
	_, err = Scaffold(dir, Files{"../escape.csv": nil})
	require.Error(t, err)
}
