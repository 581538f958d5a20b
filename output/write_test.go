package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	projectYML = "dbt_project.yml"
	ordersSQL  = "models/staging/shop/stg_shop__orders.sql"
	sourcesYML = "models/staging/shop/_shop__sources.yml"
	recSQL     = "models/reconciliation/rec_movement_conservation.sql"
)

// project is a small generated dbt project.
func project() Files {
	return files(map[string]string{
		projectYML: "name: inventory\n",
		ordersSQL:  "select * from {{ source('shop', 'orders') }}\n",
		sourcesYML: "sources:\n  - name: shop\n",
		recSQL:     "select 1 as movement\n",
	})
}

func TestWriteIntoNewDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo", "dbt")

	sum, err := Write(dir, project())
	require.NoError(t, err)

	assert.Equal(t, Summary{Written: []string{projectYML, recSQL, sourcesYML, ordersSQL}}, sum)
	assert.Equal(t, map[string]string{
		ManifestName: `-rw-r--r-- "` + manifestHeader + `\n` + projectYML + `\n` + recSQL +
			`\n` + sourcesYML + `\n` + ordersSQL + `\n"`,
		projectYML: `-rw-r--r-- "name: inventory\n"`,
		ordersSQL:  `-rw-r--r-- "select * from {{ source('shop', 'orders') }}\n"`,
		sourcesYML: `-rw-r--r-- "sources:\n  - name: shop\n"`,
		recSQL:     `-rw-r--r-- "select 1 as movement\n"`,
	}, fileTree(t, dir))
	assert.Equal(t, []string{
		"models", "models/reconciliation", "models/staging", "models/staging/shop",
	}, dirTree(t, dir))
	requireNoStaging(t, dir)
}

func TestWriteIntoCurrentDirStagesThere(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	var sources []string
	w := writer{rename: func(oldpath, newpath string) error {
		sources = append(sources, oldpath)
		return os.Rename(oldpath, newpath)
	}}

	_, err := w.write("", project())
	require.NoError(t, err)

	require.Len(t, sources, 5)
	for _, src := range sources {
		assert.True(t, strings.HasPrefix(src, stagingPrefix), "staged outside dir: %s", src)
	}
	assert.Equal(t, "name: inventory\n", read(t, dir, projectYML))
	requireNoStaging(t, dir)
}

func TestWriteSameFilesAgainTouchesNothing(t *testing.T) {
	dir := t.TempDir()
	_, err := Write(dir, project())
	require.NoError(t, err)
	old := age(t, dir, ManifestName, projectYML, ordersSQL, sourcesYML, recSQL)
	before := tree(t, dir)

	sum, err := Write(dir, project())
	require.NoError(t, err)

	assert.Equal(t, Summary{Unchanged: []string{projectYML, recSQL, sourcesYML, ordersSQL}}, sum)
	assert.Equal(t, before, tree(t, dir))
	for _, rel := range []string{ManifestName, projectYML, ordersSQL, sourcesYML, recSQL} {
		assert.Equal(t, old, modTime(t, dir, rel), rel)
	}
}

func TestWriteReplacesChangedFile(t *testing.T) {
	dir := t.TempDir()
	_, err := Write(dir, project())
	require.NoError(t, err)
	old := age(t, dir, ManifestName, projectYML, ordersSQL)

	next := project()
	next[ordersSQL] = []byte("select id from {{ source('shop', 'orders') }}\n")
	sum, err := Write(dir, next)
	require.NoError(t, err)

	assert.Equal(t, []string{ordersSQL}, sum.Written)
	assert.Equal(t, []string{projectYML, recSQL, sourcesYML}, sum.Unchanged)
	assert.Empty(t, sum.Removed)
	assert.Equal(t, "select id from {{ source('shop', 'orders') }}\n", read(t, dir, ordersSQL))
	assert.NotEqual(t, old, modTime(t, dir, ordersSQL))
	assert.Equal(t, old, modTime(t, dir, projectYML), "unchanged file rewritten")
	assert.Equal(t, old, modTime(t, dir, ManifestName), "unchanged manifest rewritten")
	requireNoStaging(t, dir)
}

func TestWriteRemovesDroppedFilesAndTheDirsTheyEmptied(t *testing.T) {
	dir := t.TempDir()
	first := project()
	first["models/legacy/deep/old.sql"] = []byte("select 0\n")
	first["models/staging/shop/stg_shop__refunds.sql"] = []byte("select 2\n")
	_, err := Write(dir, first)
	require.NoError(t, err)
	put(t, dir, map[string]string{"models/staging/shop/notes.md": "mine\n"})

	sum, err := Write(dir, files(map[string]string{projectYML: "name: inventory\n"}))
	require.NoError(t, err)

	assert.Equal(t, []string{
		"models/legacy/deep/old.sql", recSQL, sourcesYML, ordersSQL,
		"models/staging/shop/stg_shop__refunds.sql",
	}, sum.Removed)
	manifest := `-rw-r--r-- "` + manifestHeader + `\n` + projectYML + `\n"`
	assert.Equal(t, map[string]string{
		ManifestName:                   manifest,
		projectYML:                     `-rw-r--r-- "name: inventory\n"`,
		"models/staging/shop/notes.md": `-rw------- "mine\n"`,
	}, fileTree(t, dir))
	assert.Equal(t, []string{"models", "models/staging", "models/staging/shop"}, dirTree(t, dir))
	requireNoStaging(t, dir)
}

func TestWriteTurnsAnOwnedFileIntoADirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := Write(dir, files(map[string]string{"models/docs": "old\n"}))
	require.NoError(t, err)

	sum, err := Write(dir, files(map[string]string{"models/docs/overview.md": "new\n"}))
	require.NoError(t, err)

	assert.Equal(t, []string{"models/docs"}, sum.Removed)
	assert.Equal(t, []string{"models/docs/overview.md"}, sum.Written)
	assert.Equal(t, "new\n", read(t, dir, "models/docs/overview.md"))
}

func TestWriteRefusesPathsTakenByTheUser(t *testing.T) {
	cases := map[string]struct {
		user    map[string]string
		dirs    []string
		message string
	}{
		"user file": {
			user:    map[string]string{ordersSQL: "my own model\n", recSQL: "mine too\n"},
			message: "refusing to overwrite " + recSQL + ", " + ordersSQL + " in ",
		},
		"directory": {
			dirs:    []string{projectYML},
			message: "refusing to replace directories " + projectYML,
		},
		"user file where a directory is needed": {
			user:    map[string]string{"models/staging": "a file\n"},
			message: "a directory they need is a file not generated by invgen",
		},
	}

	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := Write(dir, files(map[string]string{"README.md": "generated\n"}))
			require.NoError(t, err)
			put(t, dir, c.user)
			for _, d := range c.dirs {
				require.NoError(t, os.MkdirAll(nativePath(dir, d+"/keep"), 0o755))
			}
			before := tree(t, dir)

			_, err = Write(dir, project())

			require.ErrorContains(t, err, c.message)
			require.ErrorIs(t, err, ErrConflict)
			assert.Equal(t, before, tree(t, dir))
		})
	}
}

func TestWriteNamesNotOwnedFilesAndTheManifest(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, map[string]string{projectYML: "name: mine\n"})

	_, err := Write(dir, project())

	require.EqualError(t, err, "refusing to overwrite "+projectYML+" in "+dir+
		": not generated by invgen (not in .invgen-manifest); move it out of the way, "+
		"or write the project elsewhere")
	require.ErrorIs(t, err, ErrConflict)
	assert.Equal(t, "name: mine\n", read(t, dir, projectYML))
	assert.NoFileExists(t, filepath.Join(dir, ManifestName))
}

func TestWriteRejectsInvalidPaths(t *testing.T) {
	bad := map[string]string{
		"empty":              "",
		"absolute":           "/etc/passwd",
		"parent":             "../outside.sql",
		"inner parent":       "models/../../outside.sql",
		"dot":                "./models/a.sql",
		"empty segment":      "models//a.sql",
		"trailing slash":     "models/",
		"backslash":          `models\a.sql`,
		"newline":            "models/a.sql\nb.sql",
		"manifest":           ManifestName,
		"staging":            stagingPrefix + "x/a.sql",
		"file and directory": "dbt_project.yml/a.sql",
	}

	for name, rel := range bad {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			generated := project()
			generated[rel] = []byte("x\n")

			_, err := Write(dir, generated)
			require.ErrorContains(t, err, "invalid generated path")
			assert.NoDirExists(t, dir)

			_, err = Compare(dir, generated)
			require.ErrorContains(t, err, "invalid generated path")
		})
	}
}

func TestWriteRejectsMalformedManifest(t *testing.T) {
	cases := map[string]struct{ manifest, message string }{
		"foreign file": {
			manifest: "models/a.sql\n",
			message:  ":1: malformed manifest",
		},
		"path outside": {
			manifest: manifestHeader + "\nmodels/a.sql\n../../etc/passwd\n",
			message:  ":3: malformed manifest: \"../../etc/passwd\"",
		},
		"duplicate": {
			manifest: manifestHeader + "\na.sql\na.sql\n",
			message:  ":3: malformed manifest: \"a.sql\": listed twice",
		},
	}

	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			put(t, dir, map[string]string{ManifestName: c.manifest, "a.sql": "mine\n"})
			before := tree(t, dir)

			_, err := Write(dir, project())

			require.ErrorContains(t, err, filepath.Join(dir, ManifestName)+c.message)
			require.ErrorIs(t, err, ErrMalformedManifest, "the user must repair it")
			assert.Equal(t, before, tree(t, dir))
		})
	}
}

func TestWriteAcceptsManifestFromWindowsCheckout(t *testing.T) {
	dir := t.TempDir()
	_, err := Write(dir, files(map[string]string{"a.sql": "1\n", "b.sql": "2\n"}))
	require.NoError(t, err)
	crlf := strings.ReplaceAll(read(t, dir, ManifestName), "\n", "\r\n")
	put(t, dir, map[string]string{ManifestName: crlf})

	sum, err := Write(dir, files(map[string]string{"a.sql": "1\n"}))
	require.NoError(t, err)

	assert.Equal(t, []string{"b.sql"}, sum.Removed)
	assert.Equal(t, manifestHeader+"\na.sql\n", read(t, dir, ManifestName))
}

// errInjected is the failure the rollback tests make a rename return.
var errInjected = errors.New("injected rename failure")

// failingRename returns a rename that fails on its nth call and on every call after it when
// sticky is set, and otherwise renames.
func failingRename(n int, sticky bool) func(string, string) error {
	calls := 0

	return func(oldpath, newpath string) error {
		calls++
		if calls == n || (sticky && calls > n) {
			return errInjected
		}

		return os.Rename(oldpath, newpath)
	}
}

// rollbackScene writes a project and a user file into a fresh dir and returns the dir and a
// next generation that changes a file, adds files in new directories and drops files whose
// directories then empty.
func rollbackScene(t *testing.T) (string, Files) {
	dir := t.TempDir()
	first := project()
	first["models/legacy/deep/old.sql"] = []byte("select 0\n")
	_, err := Write(dir, first)
	require.NoError(t, err)
	put(t, dir, map[string]string{"models/staging/shop/notes.md": "mine\n"})

	next := project()
	delete(next, recSQL)
	next[ordersSQL] = []byte("select id from orders\n")
	next["models/marts/inventory/fct_stock.sql"] = []byte("select 3\n")
	next["analyses/check.sql"] = []byte("select 4\n")

	return dir, next
}

func TestWriteRollsBackWhereverTheCommitFails(t *testing.T) {
	failures := 0

	for n := 1; ; n++ {
		dir, next := rollbackScene(t)
		before := tree(t, dir)

		_, err := writer{rename: failingRename(n, false)}.write(dir, next)
		requireNoStaging(t, dir)
		if err == nil {
			break
		}

		require.ErrorIs(t, err, errInjected, "rename %d", n)
		assert.NotErrorIs(t, err, errBackupsKept, "rename %d", n)
		assert.Equal(t, before, tree(t, dir), "tree after failing rename %d", n)
		failures++
	}

	// Two stale files, one changed (backed up, then placed), two new, and the manifest
	// (backed up, then placed): eight renames can fail.
	assert.Equal(t, 8, failures)
}

func TestWriteRollsBackANewDir(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "repo", "dbt")

	_, err := writer{rename: failingRename(3, false)}.write(dir, project())

	require.ErrorIs(t, err, errInjected)
	assert.Empty(t, tree(t, parent))
}

func TestWriteKeepsBackupsWhenRollbackFails(t *testing.T) {
	dir, next := rollbackScene(t)

	// Renames 1 and 2 back up the stale files; from the third on, nothing can move back.
	_, err := writer{rename: failingRename(3, true)}.write(dir, next)

	require.ErrorIs(t, err, errInjected)
	require.ErrorIs(t, err, errBackupsKept)
	require.ErrorContains(t, err, "rolling back: restoring "+recSQL)
	staging, globErr := filepath.Glob(filepath.Join(dir, stagingPrefix+"*"))
	require.NoError(t, globErr)
	require.Len(t, staging, 1)
	backup := filepath.Join(staging[0], "backup", filepath.FromSlash(recSQL))
	assert.FileExists(t, backup)
	assert.ErrorContains(t, err, staging[0])
}
