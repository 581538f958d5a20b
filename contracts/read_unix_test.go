//go:build unix

package contracts_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

// TestLoadReadsOnlyRegularFiles: a named pipe would block the read
// forever, and a link to /dev/zero would read until memory ran out; both,
// and a file past the size limit, are refused by name, with the rest of
// the folder still checked.
func TestLoadReadsOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	for name, src := range validEstate() {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644))
	}
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "fifo.yml"), 0o644))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, "zero.yml")))
	big := make([]byte, contracts.MaxFileSize+1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "big.yml"), big, 0o644))
	require.NoError(t, os.Symlink("/dev/null", filepath.Join(dir, contracts.ProjectFile)))

	_, err := contracts.Load(os.DirFS(dir), "est")

	require.Equal(t, []string{
		"est/big.yml: the file is 8388609 bytes, over invgen's limit of 8388608 (8 MiB) " +
			"for an input file",
		"est/fifo.yml: not a regular file (a named pipe): invgen reads its input from " +
			"regular files only",
		"est/invgen.yml: not a regular file (a device): invgen reads its input from " +
			"regular files only",
		"est/zero.yml: not a regular file (a device): invgen reads its input from " +
			"regular files only",
	}, lines(t, err))
}

// TestReadFileFollowsLinksToRegularFiles: a contract kept elsewhere and
// linked into the folder is read as any other.
func TestReadFileFollowsLinksToRegularFiles(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "real.txt"), []byte(stockYAML), 0o644))
	require.NoError(t, os.Symlink("real.txt", filepath.Join(dir, "wms_stock.yml")))

	data, err := contracts.ReadFile(os.DirFS(dir), "wms_stock.yml", "est/wms_stock.yml")

	require.NoError(t, err)
	require.Equal(t, stockYAML, string(data))
}
