package output

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// stagingPrefix starts the name of the temporary directory a write stages its files in. It
// lives inside the output folder so that moving a staged file into place is a rename on one
// file system, never a copy.
const stagingPrefix = ".invgen-staging-"

// checkPath reports why rel cannot be a path invgen owns. Paths come from generation and from
// the manifest on disk, and a bad one could point a write or a removal outside the output
// folder, so only plain relative paths are accepted.
//
// Paths that differ only in letter case are not detected, although they name the same file on
// the default file systems of macOS and Windows.
func checkPath(rel string) error {
	if err := checkCharacters(rel); err != nil {
		return err
	}

	if err := checkSegments(rel); err != nil {
		return err
	}

	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return errors.New("not a plain relative path on this system")
	}

	return checkReserved(rel)
}

// checkCharacters rejects what the manifest's one-path-a-line format or the OS cannot hold.
func checkCharacters(rel string) error {
	switch {
	case rel == "":
		return errors.New("empty path")
	case strings.HasPrefix(rel, "/"):
		return errors.New("absolute path")
	case strings.Contains(rel, `\`):
		return errors.New(`contains a backslash; separate segments with "/"`)
	case strings.ContainsFunc(rel, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return errors.New("contains a control character")
	}

	return nil
}

// checkSegments requires a clean path, so that each file has exactly one spelling.
func checkSegments(rel string) error {
	for seg := range strings.SplitSeq(rel, "/") {
		switch seg {
		case "":
			return errors.New("empty segment")
		case ".", "..":
			return fmt.Errorf("%q segment", seg)
		}
	}

	return nil
}

// checkReserved keeps generated files off the names a write uses for its own bookkeeping.
func checkReserved(rel string) error {
	top, _, _ := strings.Cut(rel, "/")

	switch {
	case top == ManifestName:
		return fmt.Errorf("%s is reserved for the manifest", ManifestName)
	case strings.HasPrefix(top, stagingPrefix):
		return fmt.Errorf("names starting with %s are reserved for staging", stagingPrefix)
	}

	return nil
}

// validateFiles checks every generated path in one pass and reports all the bad ones, so a
// generator bug shows up whole rather than one path per run.
func validateFiles(files Files) error {
	var errs []error

	for _, rel := range sortedPaths(files) {
		err := checkPath(rel)
		if err == nil {
			err = checkNesting(files, rel)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("invalid generated path %q: %w", rel, err))
		}
	}

	return errors.Join(errs...)
}

// checkNesting rejects rel when a directory it needs is itself a generated file.
func checkNesting(files Files, rel string) error {
	for _, dir := range ancestors(rel) {
		if _, ok := files[dir]; ok {
			return fmt.Errorf("%q is generated as a file", dir)
		}
	}

	return nil
}

// ancestors lists the directories above rel, a checked path, outermost first, without ".".
func ancestors(rel string) []string {
	var dirs []string

	for dir := path.Dir(rel); dir != "." && dir != "/"; dir = path.Dir(dir) {
		dirs = append(dirs, dir)
	}
	slices.Reverse(dirs)

	return dirs
}
