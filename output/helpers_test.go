package output

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// tree snapshots everything under dir: each file as its mode and bytes, each directory as
// its mode, keyed by slash-separated relative path.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()

	snap := map[string]string{}
	err := filepath.WalkDir(dir, func(name string, e fs.DirEntry, err error) error {
		if err != nil || name == dir {
			return err
		}

		info, err := e.Info()
		if err != nil {
			return err
		}

		rel, err := filepath.Rel(dir, name)
		if err != nil {
			return err
		}

		snap[filepath.ToSlash(rel)] = describe(name, info)
		return nil
	})
	require.NoError(t, err)

	return snap
}

// fileTree is tree without the directories.
func fileTree(t *testing.T, dir string) map[string]string {
	t.Helper()

	snap := tree(t, dir)
	maps.DeleteFunc(snap, func(_, v string) bool { return strings.HasPrefix(v, "dir ") })

	return snap
}

// dirTree lists the directories under dir, sorted.
func dirTree(t *testing.T, dir string) []string {
	t.Helper()

	var dirs []string
	for rel, v := range tree(t, dir) {
		if strings.HasPrefix(v, "dir ") {
			dirs = append(dirs, rel)
		}
	}
	slices.Sort(dirs)

	return dirs
}

// describe renders one entry for tree.
func describe(name string, info fs.FileInfo) string {
	if info.IsDir() {
		return fmt.Sprintf("dir %v", info.Mode())
	}

	data, err := os.ReadFile(name)
	if err != nil {
		return "unreadable: " + err.Error()
	}

	return fmt.Sprintf("%v %q", info.Mode(), data)
}

// put writes the user's files into dir, creating directories as needed.
func put(t *testing.T, dir string, files map[string]string) {
	t.Helper()

	for rel, data := range files {
		name := nativePath(dir, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
		require.NoError(t, os.WriteFile(name, []byte(data), 0o600))
	}
}

// read returns the contents of rel under dir.
func read(t *testing.T, dir, rel string) string {
	t.Helper()

	data, err := os.ReadFile(nativePath(dir, rel))
	require.NoError(t, err)

	return string(data)
}

// files builds Files from strings.
func files(contents map[string]string) Files {
	f := Files{}
	for rel, data := range contents {
		f[rel] = []byte(data)
	}

	return f
}

// requireNoStaging fails if a staging directory was left in dir.
func requireNoStaging(t *testing.T, dir string) {
	t.Helper()

	left, err := filepath.Glob(filepath.Join(dir, stagingPrefix+"*"))
	require.NoError(t, err)
	require.Empty(t, left, "staging directory left behind")
}

// age sets the modification time of every path under dir to an hour ago and returns it, so a
// rewrite shows up even on file systems with coarse timestamps.
func age(t *testing.T, dir string, rels ...string) time.Time {
	t.Helper()

	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	for _, rel := range rels {
		require.NoError(t, os.Chtimes(nativePath(dir, rel), old, old))
	}

	return old
}

// modTime returns the modification time of rel under dir.
func modTime(t *testing.T, dir, rel string) time.Time {
	t.Helper()

	info, err := os.Stat(nativePath(dir, rel))
	require.NoError(t, err)

	return info.ModTime()
}
