package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// commit swaps the staged files in and the stale ones out, recording in j how to undo each
// step. The manifest goes last, in one rename, so that until then the old one still describes
// what invgen owns.
func (w writer) commit(p plan, staging string, j *journal) error {
	for _, rel := range p.stale {
		if err := w.moveAway(p.dir, staging, rel, j); err != nil {
			return err
		}
	}

	for _, rel := range p.written() {
		if err := w.place(p, staging, rel, j); err != nil {
			return err
		}
	}

	if err := pruneDirs(p.dir, p.stale, j); err != nil {
		return err
	}

	if err := syncParents(p.dir, append(p.written(), p.stale...)); err != nil {
		return err
	}

	return w.replaceManifest(p, staging)
}

// moveAway moves the file at rel into the staging directory's backup area.
func (w writer) moveAway(dir, staging, rel string, j *journal) error {
	target := nativePath(dir, rel)
	backup := filepath.Join(staging, "backup", filepath.FromSlash(rel))

	if err := os.MkdirAll(filepath.Dir(backup), 0o755); err != nil {
		return fmt.Errorf("backing up %s: %w", rel, err)
	}

	if err := w.rename(target, backup); err != nil {
		return fmt.Errorf("backing up %s: %w", rel, err)
	}

	j.add(func() error { return wrapUndo(rel, w.rename(backup, target)) })

	return nil
}

// place moves the staged file for rel into the output folder, backing up what it replaces.
func (w writer) place(p plan, staging, rel string, j *journal) error {
	target := nativePath(p.dir, rel)

	if err := makeParents(p.dir, rel, j); err != nil {
		return err
	}

	if err := w.clear(p, staging, rel, j); err != nil {
		return err
	}

	if err := w.rename(stagedPath(staging, rel), target); err != nil {
		return fmt.Errorf("moving %s into place: %w", rel, err)
	}

	j.add(func() error { return wrapUndo(rel, os.Remove(target)) })

	return nil
}

// clear gets the way to rel ready: a changed file is backed up, and a new path is checked
// again so a file the user created since inspection is never overwritten.
func (w writer) clear(p plan, staging, rel string, j *journal) error {
	if _, ok := p.old[rel]; ok {
		return w.moveAway(p.dir, staging, rel, j)
	}

	_, err := os.Lstat(nativePath(p.dir, rel))
	if absent(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking %s: %w", rel, err)
	}

	return fmt.Errorf("refusing to overwrite %s: it appeared during the write", rel)
}

// replaceManifest writes the new manifest beside the staged files and renames it into place.
func (w writer) replaceManifest(p plan, staging string) error {
	if p.manifestCurrent() {
		return nil
	}

	staged := filepath.Join(staging, ManifestName)
	if err := writeSynced(staged, p.newManifest); err != nil {
		return fmt.Errorf("staging %s: %w", ManifestName, err)
	}

	if err := w.rename(staged, filepath.Join(p.dir, ManifestName)); err != nil {
		return fmt.Errorf("replacing %s: %w", ManifestName, err)
	}

	return nil
}

// wrapUndo names the path an undo step failed on.
func wrapUndo(rel string, err error) error {
	if err != nil {
		return fmt.Errorf("restoring %s: %w", rel, err)
	}

	return nil
}

// journal records how to undo each step of a commit, so that a failure can put the output
// folder back as it was.
type journal struct {
	undo []func() error
}

// add records how to undo the step just taken.
func (j *journal) add(undo func() error) {
	j.undo = append(j.undo, undo)
}

// rollBack undoes every recorded step, newest first. It carries on past a failed step,
// since the others still restore what they can, and reports all failures.
func (j *journal) rollBack() error {
	var errs []error

	for _, undo := range slices.Backward(j.undo) {
		if err := undo(); err != nil {
			errs = append(errs, err)
		}
	}

	if len(errs) > 0 {
		return fmt.Errorf("rolling back: %w", errors.Join(errs...))
	}

	return nil
}
