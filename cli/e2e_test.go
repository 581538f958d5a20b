package cli_test

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/cli"
)

var update = flag.Bool("update", false, "rewrite the e2e cases' want_exit, want_stderr "+
	"and (where present) want_stdout from what invgen does now")

// e2eRoot holds one folder per end-to-end case. A case folder holds:
//
//	args         the command line, one argument per line; $DIR is the case's
//	             input folder (copied to a temp folder first), $OUT a fresh
//	             temp folder that does not exist yet
//	input/       the contracts folder (optional; empty when absent)
//	want_exit    the exit code
//	want_stderr  the exact stderr, with $DIR and $OUT for those folders and
//	             $ELAPSED for the duration build reports
//	want_stdout  the exact stdout, likewise (optional)
//	want_files   paths under $OUT that must exist afterwards (optional)
//	want_out/    files $OUT must hold afterwards, exactly, with $DIR and $OUT
//	             as in want_stderr (optional; other files in $OUT are not
//	             compared)
//	before_args  a command run first, which must exit 0 (optional)
//	remove       paths under $DIR to delete after before_args, one per
//	             line, relative and slash-separated (optional): the way
//	             to drop or rename a contract, which edit/ cannot
//	edit/        files copied over $DIR after before_args and remove
//	             (optional)
//
// Whatever the command, a non-zero exit must leave $DIR and $OUT as they
// were: nothing written on invalid input.
const e2eRoot = "../testdata/e2e"

func TestE2E(t *testing.T) {
	cases, err := os.ReadDir(e2eRoot)
	require.NoError(t, err)
	require.NotEmpty(t, cases)
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			t.Parallel()
			runCase(t, filepath.Join(e2eRoot, c.Name()))
		})
	}
}

// e2eRun is one case's folders and what its command did.
type e2eRun struct {
	dir, out       string
	code           int
	stdout, stderr string
}

func runCase(t *testing.T, caseDir string) {
	tmp := t.TempDir()
	r := &e2eRun{dir: filepath.Join(tmp, "input"), out: filepath.Join(tmp, "out")}
	require.NoError(t, os.MkdirAll(r.dir, 0o755))
	copyTree(t, filepath.Join(caseDir, "input"), r.dir)

	if before, ok := readOptional(t, filepath.Join(caseDir, "before_args")); ok {
		code, stdout, stderr := run(r.args(before))
		require.Equal(t, 0, code, "before_args failed:\n%s%s", stdout, stderr)
	}
	if remove, ok := readOptional(t, filepath.Join(caseDir, "remove")); ok {
		r.remove(t, remove)
	}
	copyTree(t, filepath.Join(caseDir, "edit"), r.dir)

	dirBefore, outBefore := snapshot(t, r.dir), snapshot(t, r.out)
	r.code, r.stdout, r.stderr = run(r.args(readFile(t, filepath.Join(caseDir, "args"))))
	r.stdout, r.stderr = r.normalise(r.stdout), r.normalise(r.stderr)

	if *update {
		r.write(t, caseDir)
		return
	}
	r.compare(t, caseDir)
	if r.code != 0 {
		require.Equal(t, dirBefore, snapshot(t, r.dir), "a failed command wrote into $DIR")
		require.Equal(t, outBefore, snapshot(t, r.out), "a failed command wrote into $OUT")
	}
}

func run(args []string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := cli.Run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// args splits a command file into arguments, one per non-blank line.
func (r *e2eRun) args(text string) []string {
	var args []string
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		line = strings.ReplaceAll(line, "$DIR", r.dir)
		args = append(args, strings.ReplaceAll(line, "$OUT", r.out))
	}
	return args
}

// remove deletes the files a case's remove file lists from $DIR. Each
// must exist, so a case cannot pass by removing nothing.
func (r *e2eRun) remove(t *testing.T, list string) {
	t.Helper()
	for _, line := range strings.Split(list, "\n") {
		rel := strings.TrimSpace(line)
		if rel == "" {
			continue
		}
		require.True(t, filepath.IsLocal(filepath.FromSlash(rel)),
			"remove: %q is not a path inside $DIR", rel)
		require.NoError(t, os.Remove(filepath.Join(r.dir, filepath.FromSlash(rel))),
			"remove: %s", rel)
	}
}

var elapsed = regexp.MustCompile(`(?m) in [0-9][0-9hmµns.]*s$`)

// normalise puts the placeholders back, so expectations do not depend on
// where the temp folders are or how fast the machine is.
func (r *e2eRun) normalise(s string) string {
	s = strings.ReplaceAll(s, filepath.ToSlash(r.dir), "$DIR")
	s = strings.ReplaceAll(s, r.dir, "$DIR")
	s = strings.ReplaceAll(s, filepath.ToSlash(r.out), "$OUT")
	s = strings.ReplaceAll(s, r.out, "$OUT")
	return elapsed.ReplaceAllLiteralString(s, " in $ELAPSED")
}

func (r *e2eRun) compare(t *testing.T, caseDir string) {
	wantExit, err := strconv.Atoi(strings.TrimSpace(readFile(t,
		filepath.Join(caseDir, "want_exit"))))
	require.NoError(t, err)
	want := readFile(t, filepath.Join(caseDir, "want_stderr"))
	require.Equal(t, want, r.stderr, "stderr (stdout was %q)", r.stdout)
	require.Equal(t, wantExit, r.code, "exit code")

	if want, ok := readOptional(t, filepath.Join(caseDir, "want_stdout")); ok {
		require.Equal(t, want, r.stdout, "stdout")
	}
	if files, ok := readOptional(t, filepath.Join(caseDir, "want_files")); ok {
		for _, f := range strings.Fields(files) {
			require.FileExists(t, filepath.Join(r.out, filepath.FromSlash(f)))
		}
	}
	for name, want := range r.wantOut(t, caseDir) {
		got, err := os.ReadFile(filepath.Join(r.out, name))
		require.NoError(t, err, "want_out/%s", name)
		require.Equal(t, want, r.normalise(string(got)), "$OUT/%s", name)
	}
}

// wantOut maps each file under the case's want_out/ to its contents.
func (r *e2eRun) wantOut(t *testing.T, caseDir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	dir := filepath.Join(caseDir, "want_out")
	for path, text := range snapshot(t, dir) {
		if text == folder {
			continue
		}
		rel, err := filepath.Rel(dir, path)
		require.NoError(t, err)
		out[rel] = text
	}
	return out
}

func (r *e2eRun) write(t *testing.T, caseDir string) {
	write := func(name, text string) {
		err := os.WriteFile(filepath.Join(caseDir, name), []byte(text), 0o644)
		require.NoError(t, err)
	}
	write("want_exit", strconv.Itoa(r.code)+"\n")
	write("want_stderr", r.stderr)
	if _, ok := readOptional(t, filepath.Join(caseDir, "want_stdout")); ok {
		write("want_stdout", r.stdout)
	}
	for name := range r.wantOut(t, caseDir) {
		got, err := os.ReadFile(filepath.Join(r.out, name))
		require.NoError(t, err, "want_out/%s", name)
		write(filepath.Join("want_out", name), r.normalise(string(got)))
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(data)
}

func readOptional(t *testing.T, name string) (string, bool) {
	t.Helper()
	data, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return "", false
	}
	require.NoError(t, err)
	return string(data), true
}

// copyTree copies the files under src, if it exists, into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if _, err := os.Stat(src); os.IsNotExist(err) {
		return
	}
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	require.NoError(t, err)
}

// snapshot maps every file under dir to its contents; nil when dir does
// not exist or holds no files.
// folder stands for a folder in a snapshot, where files stand for their
// text: no file's text starts with a NUL byte.
const folder = "\x00folder"

// snapshot is every file and folder under dir with what it holds, or nil
// when dir does not exist: a failed command that leaves an empty folder
// behind has written something.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return nil
	}
	snap := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			snap[path] = folder
			return nil
		}
		data, err := os.ReadFile(path)
		snap[path] = string(data)
		return err
	})
	require.NoError(t, err)
	return snap
}
