package output

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crashingRename renames n times, then stops the goroutine that calls it the way a killed
// process stops: no error returned, no rollback, no cleanup. Only deferred calls run, and the
// only one on the write path releases the folder's lock, as the kernel does for a dead process.
func crashingRename(n int) func(string, string) error {
	calls := 0

	return func(oldpath, newpath string) error {
		if calls == n {
			runtime.Goexit()
		}
		calls++

		return os.Rename(oldpath, newpath)
	}
}

// crashes runs f in a goroutine and reports whether it was stopped before returning.
func crashes(f func()) bool {
	done := make(chan bool)

	go func() {
		crashed := true
		defer func() { done <- crashed }()
		f()
		crashed = false
	}()

	return <-done
}

// TestRecoverRestoresAfterACrashAtEveryStep kills a write after each of its renames in turn
// and checks that the next run puts the folder back exactly as it was, user file included.
func TestRecoverRestoresAfterACrashAtEveryStep(t *testing.T) {
	crashed := 0

	for n := 0; ; n++ {
		dir, next := rollbackScene(t)
		before := tree(t, dir)

		if !crashes(func() { _, _ = writer{rename: crashingRename(n)}.write(dir, next) }) {
			requireNoStaging(t, dir)
			break
		}
		crashed++

		drift, err := Compare(dir, next)
		require.NoError(t, err)
		require.Len(t, drift.Interrupted, 1, "crash after %d renames", n)
		require.False(t, drift.Empty())

		rec, err := Recover(dir)
		require.NoError(t, err, "crash after %d renames", n)
		assert.Len(t, rec.RolledBack, 1)
		assert.Equal(t, before, tree(t, dir), "crash after %d renames", n)
		requireNoStaging(t, dir)
	}

	assert.Equal(t, 8, crashed, "a crash before each of the eight renames")
}

// TestRecoverSurvivesACrashOfItsOwn kills the rollback itself halfway and checks that the
// run after it still restores the folder.
func TestRecoverSurvivesACrashOfItsOwn(t *testing.T) {
	for m := 0; ; m++ {
		dir, next := rollbackScene(t)
		before := tree(t, dir)
		crash := writer{rename: crashingRename(6)}
		require.True(t, crashes(func() { _, _ = crash.write(dir, next) }))

		w := writer{rename: crashingRename(m)}
		if !crashes(func() { _, _ = w.recoverLeftovers(dir) }) {
			assert.Equal(t, before, tree(t, dir))
			break
		}

		_, err := Recover(dir)
		require.NoError(t, err, "rollback crashed after %d renames", m)
		assert.Equal(t, before, tree(t, dir), "rollback crashed after %d renames", m)
	}
}

// TestWriteRecoversBeforeWriting checks that the next write rolls back the interrupted one,
// says so, and then writes.
func TestWriteRecoversBeforeWriting(t *testing.T) {
	dir, next := rollbackScene(t)
	require.True(t, crashes(func() { _, _ = writer{rename: crashingRename(4)}.write(dir, next) }))

	sum, err := Write(dir, next)
	require.NoError(t, err)

	assert.Len(t, sum.Recovered.RolledBack, 1)
	assert.Equal(t, "select id from orders\n", read(t, dir, ordersSQL))
	assert.Equal(t, "mine\n", read(t, dir, "models/staging/shop/notes.md"))
	assert.NoFileExists(t, nativePath(dir, recSQL))
	requireNoStaging(t, dir)
}

// TestRecoverDiscardsStagingWithoutJournal covers a write killed while staging, before the
// journal existed: the output folder was never touched.
func TestRecoverDiscardsStagingWithoutJournal(t *testing.T) {
	dir, _ := rollbackScene(t)
	before := tree(t, dir)
	put(t, dir, map[string]string{stagingPrefix + "1/new/" + ordersSQL: "half\n"})

	rec, err := Recover(dir)

	require.NoError(t, err)
	assert.Equal(t, Recovery{Discarded: []string{stagingPrefix + "1"}}, rec)
	assert.Equal(t, before, tree(t, dir))
}

// TestRecoverRefusesAnUnreadableJournal keeps a staging directory whose journal it cannot
// read: it may hold the only copy of the user's files.
func TestRecoverRefusesAnUnreadableJournal(t *testing.T) {
	dir, _ := rollbackScene(t)
	put(t, dir, map[string]string{stagingPrefix + "1/" + journalName: "{\"version\": 99}"})

	_, err := Recover(dir)

	require.ErrorContains(t, err, "not a journal this invgen can read")
	assert.DirExists(t, filepath.Join(dir, stagingPrefix+"1"))
}

// TestAFolderBeingWrittenIsLeftAlone checks that a second process neither writes nor
// recovers a folder another holds the lock on.
func TestAFolderBeingWrittenIsLeftAlone(t *testing.T) {
	dir, next := rollbackScene(t)
	unlock, err := lockDir(dir)
	require.NoError(t, err)
	defer unlock()

	_, err = Write(dir, next)
	require.ErrorContains(t, err, "being written by another invgen process")
	_, err = Recover(dir)
	require.ErrorContains(t, err, "being written by another invgen process")
}
