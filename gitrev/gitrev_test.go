package gitrev

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFolderReadsTheCommittedFilesNotTheWorkTree(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not on PATH")
	}
	repo := t.TempDir()
	dir := filepath.Join(repo, "contracts")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("a.yml", "committed")
	write("sub/b.yml", "in a subfolder")
	require.NoError(t, os.Symlink("a.yml", filepath.Join(dir, "link.yml")))
	run := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	run("init", "-q")
	run("config", "user.name", "t")
	run("config", "user.email", "t@example.com")
	run("add", ".")
	run("-c", "commit.gpgsign=false", "commit", "-q", "-m", "one")
	write("a.yml", "edited after the commit")

	ctx := context.Background()
	fsys, inRepo, err := Folder(ctx, dir, "HEAD")
	require.NoError(t, err)
	require.Equal(t, "contracts", inRepo, "the path git's HEAD:path wants")
	data, err := fs.ReadFile(fsys, "a.yml")
	require.NoError(t, err)
	require.Equal(t, "committed", string(data))
	_, err = fs.Stat(fsys, "b.yml")
	require.ErrorIs(t, err, fs.ErrNotExist, "subfolders are not read")
	_, err = fs.Stat(fsys, "link.yml")
	require.ErrorIs(t, err, fs.ErrNotExist, "a link's blob is its target, not a contract")

	require.NoError(t, os.MkdirAll(filepath.Join(repo, "new"), 0o755))
	fsys, inRepo, err = Folder(ctx, filepath.Join(repo, "new"), "HEAD")
	require.NoError(t, err)
	require.Equal(t, "new", inRepo)
	entries, err := fs.ReadDir(fsys, ".")
	require.NoError(t, err)
	require.Empty(t, entries, "a folder that did not exist at the revision is empty")

	_, inRepo, err = Folder(ctx, repo, "HEAD")
	require.NoError(t, err)
	require.Equal(t, "", inRepo, "the root is the empty path")

	_, _, err = Folder(ctx, dir, "no-such-branch")
	require.True(t, errors.Is(err, ErrRevision), "%v", err)

	outside := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(outside)) // even if TMPDIR is in a repo
	_, _, err = Folder(ctx, outside, "HEAD")
	require.True(t, errors.Is(err, ErrNotRepository), "%v", err)
	require.Contains(t, err.Error(), "not a git repository", "git's own words are kept")
}
