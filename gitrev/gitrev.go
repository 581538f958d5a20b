// Package gitrev reads a folder of the work tree as it was at a git
// revision, so that contracts can be compared with what was merged without
// checking anything out. It runs the git command, reads objects only, and
// never touches the work tree or the repository's state.
package gitrev

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"
	"testing/fstest"
)

// ErrRevision is returned when rev names no commit of the repository. It
// and ErrNotRepository are the caller's mistakes, told apart from git
// failing, so a command line that names nothing is not reported as a
// broken tool.
var ErrRevision = errors.New("not a commit of the repository")

// ErrNotRepository is returned when the folder is not inside a git work
// tree, so no revision of it can be read.
var ErrNotRepository = errors.New("not inside a git work tree")

// Folder returns the files directly inside dir, a folder of a git work
// tree, as of revision rev, and dir's path from the repository's root
// ("" for the root itself): git names a file at a revision REV:path by
// that path, wherever the command runs. Subfolders are left out, as
// contracts.Load reads only the top of a folder. A folder that did not
// exist at rev is empty, not an error: every contract in it is then new.
func Folder(ctx context.Context, dir, rev string) (fs.FS, string, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, "", fmt.Errorf("git is needed to read revision %s: %w", rev, err)
	}
	prefix, err := git(ctx, dir, "rev-parse", "--show-prefix")
	if err != nil {
		// git runs, so failing on the folder means git sees no work tree
		// there (or refuses it, as with an unsafe owner); its words say which.
		return nil, "", fmt.Errorf("%w: %w", ErrNotRepository, err)
	}
	prefix = strings.TrimSuffix(strings.TrimSpace(prefix), "/")
	commit, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", "--end-of-options",
		rev+"^{commit}")
	if err != nil {
		return nil, "", ErrRevision
	}
	args := []string{"ls-tree", "-z", "--full-tree", strings.TrimSpace(commit)}
	if prefix != "" {
		args = append(args, "--", prefix+"/")
	}
	list, err := git(ctx, dir, args...)
	if err != nil {
		return nil, "", err
	}
	fsys, err := readBlobs(ctx, dir, list)
	return fsys, prefix, err
}

// Root returns the top of the git work tree holding dir, as an absolute
// path, or ErrNotRepository: paths in GitHub annotations are relative to
// it, wherever the command runs.
func Root(ctx context.Context, dir string) (string, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return "", fmt.Errorf("%w: %w", ErrNotRepository, err)
	}
	top, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrNotRepository, err)
	}
	return strings.TrimRight(top, "\r\n"), nil
}

// readBlobs reads the regular files of `git ls-tree -z` output into memory.
// Each entry is "<mode> <type> <object>\t<path>". Symbolic links are blobs
// too, holding the link's target rather than a contract, so only the modes
// of regular files are read.
func readBlobs(ctx context.Context, dir, list string) (fs.FS, error) {
	files := fstest.MapFS{}
	for _, entry := range strings.Split(list, "\x00") {
		meta, name, ok := strings.Cut(entry, "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 3 || fields[1] != "blob" || !regular(fields[0]) {
			continue
		}
		data, err := git(ctx, dir, "cat-file", "blob", fields[2])
		if err != nil {
			return nil, err
		}
		base := name[strings.LastIndex(name, "/")+1:]
		files[base] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
	}
	return files, nil
}

func regular(mode string) bool { return mode == "100644" || mode == "100755" }

// git runs one git command in dir and returns its stdout; the error
// carries git's own message.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", args[0], msg)
	}
	return stdout.String(), nil
}
