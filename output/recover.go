package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Recovery says what an output folder held from writes that did not finish, and what became
// of it. Each list holds staging directory names, sorted.
type Recovery struct {
	// RolledBack are interrupted commits: the output folder was put back as it was before
	// each began.
	RolledBack []string

	// Discarded are staging directories with nothing to undo: the write was killed before
	// it touched the output folder, or after it finished.
	Discarded []string
}

// Empty reports whether there was nothing to recover.
func (r Recovery) Empty() bool {
	return len(r.RolledBack)+len(r.Discarded) == 0
}

// Recover puts dir back as it was before any write that was killed halfway, following the
// journal such a write leaves in its staging directory, and removes the staging directories.
// Write does this itself before writing; `invgen check` calls it so that it never compares a
// half-written folder. A folder another invgen process is writing is refused, not touched.
func Recover(dir string) (Recovery, error) {
	unlock, err := lockDir(filepath.Clean(dir))
	if err != nil {
		return Recovery{}, err
	}
	defer unlock()

	return writer{rename: os.Rename}.recoverLeftovers(filepath.Clean(dir))
}

// recoverLeftovers rolls back and removes every staging directory in dir. One whose rollback
// fails is kept, journal and all, so the next run tries again.
func (w writer) recoverLeftovers(dir string) (Recovery, error) {
	var rec Recovery

	leftovers, err := leftoverStaging(dir)
	if err != nil {
		return rec, err
	}

	for _, name := range leftovers {
		staging := filepath.Join(dir, name)

		steps, found, err := readJournal(staging)
		if err != nil {
			return rec, err
		}

		if found {
			if err := w.rollBack(dir, staging, steps); err != nil {
				return rec, fmt.Errorf("rolling back the interrupted write in %s: %w",
					staging, err)
			}
			rec.RolledBack = append(rec.RolledBack, name)
		} else {
			rec.Discarded = append(rec.Discarded, name)
		}

		if err := os.RemoveAll(staging); err != nil {
			return rec, fmt.Errorf("removing %s: %w", staging, err)
		}
	}

	return rec, nil
}

// leftoverStaging lists the staging directories in dir, sorted. A missing dir has none.
func leftoverStaging(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}

	var names []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), stagingPrefix) {
			names = append(names, e.Name())
		}
	}

	return names, nil
}
