package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
)

// makeParents creates the directories rel needs, recording each so a rollback removes it.
func makeParents(dir, rel string, j *journal) error {
	for _, d := range ancestors(rel) {
		name := nativePath(dir, d)

		info, err := os.Stat(name)
		switch {
		case err == nil && info.IsDir():
			continue
		case err == nil:
			return fmt.Errorf("placing %s: %s is not a directory", rel, d)
		case !absent(err):
			return fmt.Errorf("placing %s: %w", rel, err)
		}

		if err := os.Mkdir(name, 0o755); err != nil {
			return fmt.Errorf("placing %s: %w", rel, err)
		}
		j.add(func() error { return wrapUndo(d, os.Remove(name)) })
	}

	return nil
}

// pruneDirs removes the directories that removing the stale files left empty, walking up
// from each file until it meets a directory that still holds something. A directory is only
// ever removed when empty, so nothing of the user's goes with it.
func pruneDirs(dir string, stale []string, j *journal) error {
	for _, rel := range stale {
		for _, d := range slices.Backward(ancestors(rel)) {
			removed, err := pruneDir(dir, d, j)
			if err != nil {
				return err
			}
			if !removed {
				break
			}
		}
	}

	return nil
}

// pruneDir removes the directory d if it is empty and reports whether it did. A directory
// that is already gone was pruned for an earlier stale file.
func pruneDir(dir, d string, j *journal) (bool, error) {
	name := nativePath(dir, d)

	info, err := os.Lstat(name)
	if absent(err) {
		return false, nil
	}
	if err != nil || !info.IsDir() {
		return false, err
	}

	empty, err := isEmptyDir(name)
	if err != nil || !empty {
		return false, err
	}

	if err := os.Remove(name); err != nil {
		return false, fmt.Errorf("removing empty directory %s: %w", d, err)
	}
	j.add(func() error { return wrapUndo(d, recreateDir(name, info.Mode().Perm())) })

	return true, nil
}

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
