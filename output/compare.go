package output

import (
	"cmp"
	"slices"
)

// Drift is how an output folder differs from freshly generated files: what `invgen check`
// reports in CI. It is empty exactly when a Write of the same files would change nothing.
// The manifest counts as a generated file, so a folder that lacks it or whose manifest lists
// other paths drifts too. Each list is sorted by path.
type Drift struct {
	Changed []FileDiff // owned files whose contents differ
	Missing []string   // generated but not on disk
	Stale   []string   // owned, still on disk, but no longer generated
	Foreign []string   // generated paths taken by a file not owned by invgen, or a directory

	// Interrupted are staging directories left by a write that did not finish: until Recover
	// or the next Write rolls them back, the folder may be half old, half new.
	Interrupted []string
}

// FileDiff shows how one owned file on disk differs from its generated contents.
type FileDiff struct {
	Path string
	// Diff is a unified diff from the file on disk (a/Path) to the generated one (b/Path),
	// with three lines of context.
	Diff string
}

// Empty reports whether the folder is up to date with the generated files.
func (d Drift) Empty() bool {
	return len(d.Changed)+len(d.Missing)+len(d.Stale)+len(d.Foreign)+len(d.Interrupted) == 0
}

// Compare reports how dir differs from files without changing anything on disk. It fails on
// the same invalid paths and malformed manifest that Write fails on.
func Compare(dir string, files Files) (Drift, error) {
	p, err := inspect(dir, files)
	if err != nil {
		return Drift{}, err
	}

	interrupted, err := leftoverStaging(p.dir)
	if err != nil {
		return Drift{}, err
	}

	d := Drift{
		Missing:     slices.Clone(p.created),
		Stale:       p.stale,
		Foreign:     slices.Sorted(slices.Values(append(slices.Clone(p.userFiles), p.dirs...))),
		Interrupted: interrupted,
	}
	for _, rel := range p.changed {
		d.Changed = append(d.Changed, diffFile(rel, p.old[rel], p.files[rel]))
	}
	addManifestDrift(&d, p)

	return d, nil
}

// Conflicts reports, without changing anything, the generated paths a Write of files would
// refuse to take from the user: an error that wraps ErrConflict, or nil. A build asks before
// its slow validation, so that the user hears of a file in the way at once.
func Conflicts(dir string, files Files) error {
	p, err := inspect(dir, files)
	if err != nil {
		return err
	}

	return p.conflicts()
}

// addManifestDrift reports the manifest as missing or changed when a write would rewrite it.
func addManifestDrift(d *Drift, p plan) {
	switch {
	case !p.manifest.found:
		d.Missing = slices.Insert(d.Missing, 0, ManifestName)
		slices.Sort(d.Missing)
	case !p.manifestCurrent():
		d.Changed = append(d.Changed, diffFile(ManifestName, p.manifest.raw, p.newManifest))
		slices.SortFunc(d.Changed, func(x, y FileDiff) int { return cmp.Compare(x.Path, y.Path) })
	}
}

// diffFile diffs one file from its contents on disk to its generated contents.
func diffFile(rel string, onDisk, generated []byte) FileDiff {
	return FileDiff{Path: rel, Diff: unifiedDiff("a/"+rel, "b/"+rel, onDisk, generated)}
}
