package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Scaffold creates the files that are missing and leaves every other alone:
// a scaffold file is invgen's to create and the team's to keep, so it is
// never in the manifest and never rewritten. It returns the paths created.
func Scaffold(dir string, files Files) ([]string, error) {
	paths := make([]string, 0, len(files))
	for p := range files {
		if err := checkPath(p); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	sort.Strings(paths)

	var created []string
	for _, p := range paths {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if _, err := os.Lstat(full); err == nil {
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return created, err
		}
		if err := writeNew(full, files[p]); err != nil {
			return created, fmt.Errorf("creating %s: %w", full, err)
		}
		created = append(created, p)
	}
	return created, nil
}

// writeNew writes a file through a temporary one, so it appears whole or not
// at all.
func writeNew(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".invgen-new-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Link(tmp.Name(), path) // fails rather than replace a file made meanwhile
}
