// Package output is the only place invgen writes generated files.
//
// Users run invgen inside their own data repository, from CI and as a pre-commit hook, so a
// write must never leave a half-generated project behind and must never touch a file the user
// wrote. Both promises rest on the manifest: a file named [ManifestName] at the top of the
// output folder that lists every path invgen generated there. invgen owns exactly those paths;
// every other file belongs to the user and is never modified, moved or deleted.
//
// [Write] stages new contents next to the output, swaps them in with renames that it can undo,
// and rewrites the manifest last. It journals the renames on disk first, so that a write killed
// halfway is rolled back by the next Write or by [Recover]. [Compare] works out the same
// plan without acting on it, so `invgen check` can report in CI what a write would change.
package output

import (
	"maps"
	"path/filepath"
	"slices"
)

// Files maps a slash-separated path, relative to the output folder, to the file's contents.
// Generation produces it in memory so that building, checking and writing share one result.
type Files map[string][]byte

// sortedPaths returns the keys of set in order, so every report and every step is deterministic.
func sortedPaths[V any](set map[string]V) []string {
	return slices.Sorted(maps.Keys(set))
}

// nativePath turns rel, a checked slash-separated path, into a path under dir for the OS.
func nativePath(dir, rel string) string {
	return filepath.Join(dir, filepath.FromSlash(rel))
}
