package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A commit swaps the staged files in one step at a time. Before the first step it writes the
// whole list of steps to a journal in the staging directory and syncs it, so that a process
// killed halfway leaves behind what the next run needs to put the output folder back. Every
// step can tell from the disk whether it happened and undo itself if it did, so one rollback
// serves a failed step, a crash, and a rollback that was itself cut short.

// Step kinds.
const (
	opBackup = "backup" // move an owned file into the staging directory's backup area
	opMkdir  = "mkdir"  // create a directory a generated file needs
	opPlace  = "place"  // move a staged file into place
	opPrune  = "prune"  // remove a directory that removing stale files left empty
)

// step is one change a commit makes to the output folder.
type step struct {
	Op   string      `json:"op"`
	Path string      `json:"path"`           // slash-separated, relative to the output folder
	Perm fs.FileMode `json:"perm,omitempty"` // prune: the directory's permissions, to restore
}

// journalName is the journal's file in the staging directory; journalVersion its format.
const (
	journalName    = "journal.json"
	journalVersion = 1
)

// journalFile is the journal on disk.
type journalFile struct {
	Version int    `json:"version"`
	Steps   []step `json:"steps"`
}

// steps lists what committing p takes, in order: stale files out, each new or changed file in
// (creating its directories and backing up what it replaces), directories left empty pruned,
// and the manifest last, so that until then the old one still describes what invgen owns.
func (p plan) steps() []step {
	var steps []step
	for _, rel := range p.stale {
		steps = append(steps, step{Op: opBackup, Path: rel})
	}

	made := map[string]bool{}
	for _, rel := range p.written() {
		steps = append(steps, p.mkdirs(rel, made)...)
		if _, ok := p.old[rel]; ok {
			steps = append(steps, step{Op: opBackup, Path: rel})
		}
		steps = append(steps, step{Op: opPlace, Path: rel})
	}

	steps = append(steps, p.prunes()...)

	if !p.manifestCurrent() {
		if p.manifest.found {
			steps = append(steps, step{Op: opBackup, Path: ManifestName})
		}
		steps = append(steps, step{Op: opPlace, Path: ManifestName})
	}

	return steps
}

// mkdirs lists the directories rel needs that are missing, or that are owned files the commit
// moves away first (no generated path nests under another); made holds those already listed.
func (p plan) mkdirs(rel string, made map[string]bool) []step {
	var steps []step
	for _, d := range ancestors(rel) {
		if made[d] {
			continue
		}

		info, err := os.Lstat(nativePath(p.dir, d))
		if err == nil && (info.IsDir() || !slices.Contains(p.stale, d)) {
			continue // a directory, or a user's file the commit fails on
		}

		made[d] = true
		steps = append(steps, step{Op: opMkdir, Path: d})
	}

	return steps
}

// prunes lists the directories above stale files, deepest first, so that a directory comes
// after everything in it. Each is removed only if it turns out empty.
func (p plan) prunes() []step {
	dirs := map[string]fs.FileMode{}
	for _, rel := range p.stale {
		for _, d := range ancestors(rel) {
			if info, err := os.Lstat(nativePath(p.dir, d)); err == nil && info.IsDir() {
				dirs[d] = info.Mode().Perm()
			}
		}
	}

	order := sortedPaths(dirs)
	slices.SortStableFunc(order, func(a, b string) int {
		return strings.Count(b, "/") - strings.Count(a, "/")
	})

	steps := make([]step, len(order))
	for i, d := range order {
		steps[i] = step{Op: opPrune, Path: d, Perm: dirs[d]}
	}

	return steps
}

// commit writes the journal, then takes every step. Before the manifest steps it syncs the
// directories it touched, so the files are on disk before the manifest says they are there.
func (w writer) commit(p plan, staging string, steps []step) error {
	if err := writeJournal(staging, steps); err != nil {
		return err
	}

	var touched []string
	for _, s := range steps {
		if s.Path == ManifestName {
			if err := syncParents(p.dir, touched); err != nil {
				return err
			}
			touched = nil
		}

		if err := w.do(p.dir, staging, s); err != nil {
			return err
		}
		touched = append(touched, s.Path)
	}

	return syncParents(p.dir, touched)
}

// writeJournal writes the steps to the staging directory under a temporary name, then renames
// it into place: a journal is whole or absent, never half written.
func writeJournal(staging string, steps []step) error {
	data, err := json.Marshal(journalFile{Version: journalVersion, Steps: steps})
	if err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}

	tmp := filepath.Join(staging, journalName+".tmp")
	if err := writeSynced(tmp, data); err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}

	if err := os.Rename(tmp, filepath.Join(staging, journalName)); err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}

	if err := syncDir(staging); err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}

	return nil
}

// readJournal reads the steps of the journal in staging, and reports false if there is none.
func readJournal(staging string) ([]step, bool, error) {
	data, err := os.ReadFile(filepath.Join(staging, journalName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading the journal in %s: %w", staging, err)
	}

	var j journalFile
	if err := json.Unmarshal(data, &j); err != nil || j.Version != journalVersion {
		return nil, false, fmt.Errorf("%s: not a journal this invgen can read",
			filepath.Join(staging, journalName))
	}

	for _, s := range j.Steps {
		if s.Path != ManifestName && checkPath(s.Path) != nil {
			return nil, false, fmt.Errorf("%s: invalid path %q",
				filepath.Join(staging, journalName), s.Path)
		}
	}

	return j.Steps, true, nil
}

// do takes one step.
func (w writer) do(dir, staging string, s step) error {
	target := nativePath(dir, s.Path)

	switch s.Op {
	case opBackup:
		backup := backupPath(staging, s.Path)
		if err := os.MkdirAll(filepath.Dir(backup), 0o755); err != nil {
			return fmt.Errorf("backing up %s: %w", s.Path, err)
		}
		if err := w.rename(target, backup); err != nil {
			return fmt.Errorf("backing up %s: %w", s.Path, err)
		}
	case opMkdir:
		if err := os.Mkdir(target, 0o755); err != nil {
			return fmt.Errorf("placing files in %s: %w", s.Path, err)
		}
	case opPlace:
		return w.place(target, staging, s.Path)
	case opPrune:
		return pruneDir(target, s.Path)
	}

	return nil
}

// place moves the staged file for rel into place. The path was cleared (or found free) before,
// so a file there now is one the user created since, and is never overwritten.
func (w writer) place(target, staging, rel string) error {
	_, err := os.Lstat(target)
	switch {
	case err == nil:
		return fmt.Errorf("refusing to overwrite %s: it appeared during the write", rel)
	case !absent(err):
		return fmt.Errorf("checking %s: %w", rel, err)
	}

	if err := w.rename(stagedPath(staging, rel), target); err != nil {
		return fmt.Errorf("moving %s into place: %w", rel, err)
	}

	return nil
}

// pruneDir removes the directory at name if it is empty. A directory already gone was pruned
// for an earlier stale file; one that still holds something is left, with what it holds.
func pruneDir(name, rel string) error {
	info, err := os.Lstat(name)
	if absent(err) {
		return nil
	}
	if err != nil || !info.IsDir() {
		return err
	}

	empty, err := isEmptyDir(name)
	if err != nil || !empty {
		return err
	}

	if err := os.Remove(name); err != nil {
		return fmt.Errorf("removing empty directory %s: %w", rel, err)
	}

	return nil
}

// undo reverses step s if the disk shows it was taken, and does nothing otherwise: a file
// still in the backup area was backed up, a staged file gone was placed, a planned directory
// present was made, one absent was pruned. Placing is undone by moving the file back to the
// staging area, not by deleting it, so that running a rollback twice stays harmless.
func (w writer) undo(dir, staging string, s step) error {
	target := nativePath(dir, s.Path)

	switch s.Op {
	case opBackup:
		backup := backupPath(staging, s.Path)
		if exists(backup) {
			return wrapUndo(s.Path, w.rename(backup, target))
		}
	case opMkdir:
		if empty, err := isEmptyDir(target); err == nil && empty {
			return wrapUndo(s.Path, os.Remove(target))
		}
	case opPlace:
		staged := stagedPath(staging, s.Path)
		if !exists(staged) && exists(target) {
			if err := os.MkdirAll(filepath.Dir(staged), 0o755); err != nil {
				return wrapUndo(s.Path, err)
			}
			return wrapUndo(s.Path, w.rename(target, staged))
		}
	case opPrune:
		if _, err := os.Lstat(target); absent(err) {
			return wrapUndo(s.Path, recreateDir(target, s.Perm))
		}
	}

	return nil
}

// rollBack undoes every step, newest first. It carries on past a failed undo, since the others
// still restore what they can, and reports all failures.
func (w writer) rollBack(dir, staging string, steps []step) error {
	var errs []error

	for _, s := range slices.Backward(steps) {
		if err := w.undo(dir, staging, s); err != nil {
			errs = append(errs, err)
		}
	}

	if len(errs) > 0 {
		return fmt.Errorf("rolling back: %w", errors.Join(errs...))
	}

	return nil
}

// backupPath is where a backup step keeps the old file at rel.
func backupPath(staging, rel string) string {
	return filepath.Join(staging, "backup", filepath.FromSlash(rel))
}

// exists reports whether anything is at name.
func exists(name string) bool {
	_, err := os.Lstat(name)
	return err == nil
}

// wrapUndo names the path an undo step failed on.
func wrapUndo(rel string, err error) error {
	if err != nil {
		return fmt.Errorf("restoring %s: %w", rel, err)
	}

	return nil
}
