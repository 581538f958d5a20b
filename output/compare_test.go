package output

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompareReportsEveryKindOfDrift(t *testing.T) {
	dir := t.TempDir()
	_, err := Write(dir, project())
	require.NoError(t, err)
	put(t, dir, map[string]string{
		ordersSQL:                    "select * from orders -- hand edit\n",
		"models/marts/fct_stock.sql": "the user's own model\n",
	})
	require.NoError(t, os.Mkdir(filepath.Join(dir, "seeds"), 0o755))
	next := project()
	delete(next, recSQL)
	next["analyses/check.sql"] = []byte("select 4\n")
	next["models/marts/fct_stock.sql"] = []byte("select 3\n")
	next["seeds"] = []byte("a directory on disk\n")
	before := tree(t, dir)

	drift, err := Compare(dir, next)
	require.NoError(t, err)

	assert.Equal(t, Drift{
		Changed: []FileDiff{
			{Path: ManifestName, Diff: "--- a/.invgen-manifest\n+++ b/.invgen-manifest\n" +
				"@@ -1,5 +1,7 @@\n" +
				" " + manifestHeader + "\n" +
				"+analyses/check.sql\n" +
				" dbt_project.yml\n" +
				"-models/reconciliation/rec_movement_conservation.sql\n" +
				"+models/marts/fct_stock.sql\n" +
				" models/staging/shop/_shop__sources.yml\n" +
				" models/staging/shop/stg_shop__orders.sql\n" +
				"+seeds\n"},
			{Path: ordersSQL, Diff: "--- a/" + ordersSQL + "\n+++ b/" + ordersSQL + "\n" +
				"@@ -1 +1 @@\n" +
				"-select * from orders -- hand edit\n" +
				"+select * from {{ source('shop', 'orders') }}\n"},
		},
		Missing: []string{"analyses/check.sql"},
		Stale:   []string{recSQL},
		Foreign: []string{"models/marts/fct_stock.sql", "seeds"},
	}, drift)
	assert.False(t, drift.Empty())
	assert.Equal(t, before, tree(t, dir), "Compare changed the disk")
}

func TestCompareIsEmptyAfterWrite(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, map[string]string{"models/notes.md": "the user's\n"})
	_, err := Write(dir, project())
	require.NoError(t, err)

	drift, err := Compare(dir, project())
	require.NoError(t, err)

	assert.True(t, drift.Empty(), "%+v", drift)
	assert.Equal(t, Drift{}, drift)
}

func TestCompareOnAFolderNeverWritten(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")

	drift, err := Compare(dir, project())
	require.NoError(t, err)

	assert.Equal(t, Drift{
		Missing: []string{ManifestName, projectYML, recSQL, sourcesYML, ordersSQL},
	}, drift)
	assert.NoDirExists(t, dir)
}

func TestCompareIgnoresStaleEntriesAlreadyDeleted(t *testing.T) {
	dir := t.TempDir()
	_, err := Write(dir, project())
	require.NoError(t, err)
	require.NoError(t, os.Remove(nativePath(dir, recSQL)))
	next := project()
	delete(next, recSQL)

	drift, err := Compare(dir, next)
	require.NoError(t, err)

	assert.Empty(t, drift.Stale)
	require.Len(t, drift.Changed, 1, "the manifest still lists the deleted file")
	assert.Equal(t, ManifestName, drift.Changed[0].Path)
}

func TestDriftEmpty(t *testing.T) {
	assert.True(t, Drift{}.Empty())
	assert.False(t, Drift{Changed: []FileDiff{{Path: "a"}}}.Empty())
	assert.False(t, Drift{Missing: []string{"a"}}.Empty())
	assert.False(t, Drift{Stale: []string{"a"}}.Empty())
	assert.False(t, Drift{Foreign: []string{"a"}}.Empty())
}

func TestConflictsNamesTheUsersFileWithoutWriting(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, map[string]string{projectYML: "name: mine\n"})
	before := tree(t, dir)

	err := Conflicts(dir, project())

	require.ErrorIs(t, err, ErrConflict)
	require.ErrorContains(t, err, "refusing to overwrite "+projectYML)
	assert.Equal(t, before, tree(t, dir))
	require.NoError(t, Conflicts(t.TempDir(), project()))
}
