package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
)

// isEmptyDir reports whether the directory name holds no entries.
func isEmptyDir(name string) (bool, error) {
	f, err := os.Open(name)
	if err != nil {
		return false, err
	}

	_, err = f.Readdirnames(1)
	if errors.Is(err, io.EOF) {
		return true, f.Close()
	}

	return false, errors.Join(err, f.Close())
}

// recreateDir puts back a pruned directory with its old permissions.
func recreateDir(name string, perm os.FileMode) error {
	if err := os.Mkdir(name, perm); err != nil {
		return err
	}

	return os.Chmod(name, perm)
}

// syncParents syncs every directory that still exists above the touched paths, so the
// renames in them reach the disk before the manifest says they happened.
func syncParents(dir string, touched []string) error {
	dirs := map[string]bool{".": true}
	for _, rel := range touched {
		for _, d := range ancestors(rel) {
			dirs[d] = true
		}
	}

	for _, d := range sortedPaths(dirs) {
		err := syncDir(nativePath(dir, d))
		if err != nil && !absent(err) {
			return fmt.Errorf("syncing %s: %w", d, err)
		}
	}

	return nil
}

// syncDir flushes the directory entries of name to disk. Windows cannot sync a directory,
// so there it does nothing and a rename is only as durable as the file system makes it.
func syncDir(name string) error {
	if runtime.GOOS == "windows" {
		return nil
	}

	f, err := os.Open(name)
	if err != nil {
		return err
	}

	return errors.Join(f.Sync(), f.Close())
}
