package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/invgen/invgen/contractdiff"
	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/gitrev"
)

func (a *app) diffCommand() *cobra.Command {
	var base, format string
	cmd := &cobra.Command{
		Use:   "diff --base REF|DIR [DIR]",
		Short: "Classify contract changes against a git revision or folder as breaking or not",
		Long: "Compares the contracts in DIR with the folder named by --base or, when no " +
			"folder has that\nname, with DIR as of git revision REF, and prints each change " +
			"with its file and line:\nbreaking (a removed or renamed column, a narrowed type, " +
			"a changed role, quantity, unit,\ngrain, timezone, idempotency key or adjustment " +
			"sign, a loosened SLA or completeness ratio,\na removed source that a check reads) " +
			"or compatible. The head contracts must validate; a\nbase that no longer does is " +
			"compared as written. Positions in a git base read REF:path,\nthe path from the " +
			"repository's root. Formats: text, json, github (workflow annotations).\nExits 1 " +
			"on any breaking change, 2 when --base names neither a folder nor a commit, 3\n" +
			"when a contract cannot be read.\n\n",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.diff(cmd.Context(), dirArg(args), base, format)
		},
	}
	cmd.Flags().StringVar(&base, "base", "", "git revision or folder to compare with "+
		"(required)")
	cmd.Flags().StringVar(&format, "format", "text", "output: text, json or github")
	_ = cmd.MarkFlagRequired("base")
	return cmd
}

func (a *app) diff(ctx context.Context, dir, base, format string) error {
	write, ok := diffWriters[format]
	if !ok {
		return withCode(ExitUsage, fmt.Errorf("--format %q: want text, json or github", format))
	}
	estate, err := loadContracts(dir) // the head must validate: it is about to merge
	if err != nil {
		return err
	}
	head, err := contractdiff.NewSide(estate)
	if err != nil {
		return withCode(ExitFailure, err)
	}
	baseSide, err := a.loadBase(ctx, dir, base)
	if err != nil {
		return err
	}

	changes := contractdiff.Compare(baseSide, head)
	run := diffRun{ctx: ctx, dir: dir, base: base, rev: baseSide.Rev}
	if err := write(a, run, changes); err != nil {
		return withCode(ExitFailure, err)
	}
	n := contractdiff.Breaking(changes)
	a.progress("%d breaking, %d compatible changes against %s", n, len(changes)-n, base)
	if n > 0 {
		return errFindings
	}
	return nil
}

// loadBase reads the base side and says how it was read. A base that
// cannot be read names itself first, so its positions are not taken for
// the head's.
func (a *app) loadBase(ctx context.Context, dir, base string) (*contractdiff.Side, error) {
	b, err := baseFolder(ctx, dir, base)
	if err != nil {
		return nil, err
	}
	side, err := contractdiff.LoadBase(b.fsys, b.label)
	var ds contracts.Diagnostics
	switch {
	case errors.As(err, &ds):
		for i := range ds {
			if b.rev != "" {
				ds[i].Pos.File = contractdiff.GitName(b.rev, b.repoDir, ds[i].Pos.File)
			}
		}
		return nil, fmt.Errorf("--base %s: its contracts cannot be compared:\n%w", base, err)
	case err != nil:
		return nil, withCode(ExitFailure, fmt.Errorf("--base %s: %w", base, err))
	case b.rev == "" && len(side.Contracts) == 0:
		return nil, withCode(ExitUsage, fmt.Errorf("--base %s: no contracts in that folder",
			base))
	}
	side.Rev, side.RepoDir = b.rev, b.repoDir
	if side.Lenient {
		a.progress("base %s does not validate: compared as written; a removed source is "+
			"judged breaking by its feed", base)
	}
	return side, nil
}

// baseSide is where the base's contracts are read from: files labelled as
// the folder the user named and, for a git base, the revision and the
// folder's path from the repository's root.
type baseSide struct {
	fsys         fs.FS
	label        string
	rev, repoDir string
}

// baseFolder opens the base: the folder base when there is one, else the
// contracts folder dir as of git revision base, whose files carry dir's
// paths. Naming neither is a usage error; git failing is invgen's.
func baseFolder(ctx context.Context, dir, base string) (baseSide, error) {
	if info, err := os.Stat(base); err == nil && info.IsDir() {
		return baseSide{fsys: os.DirFS(base), label: filepath.ToSlash(filepath.Clean(base))},
			nil
	}
	fsys, repoDir, err := gitrev.Folder(ctx, dir, base)
	switch {
	case err == nil:
		return baseSide{fsys: fsys, label: filepath.ToSlash(filepath.Clean(dir)), rev: base,
			repoDir: repoDir}, nil
	case errors.Is(err, gitrev.ErrRevision):
		err = fmt.Errorf("not a folder, nor a commit of the git repository holding %s", dir)
		return baseSide{}, withCode(ExitUsage, fmt.Errorf("--base %s: %w", base, err))
	case errors.Is(err, gitrev.ErrNotRepository):
		err = fmt.Errorf("not a folder, and %s is %w", dir, err)
		return baseSide{}, withCode(ExitUsage, fmt.Errorf("--base %s: %w", base, err))
	}
	return baseSide{}, withCode(ExitFailure, fmt.Errorf("--base %s: %w", base, err))
}

// diffRun is what a writer may need to know of the comparison.
type diffRun struct {
	ctx       context.Context
	dir, base string
	rev       string // the base's git revision, "" for a folder
}

var diffWriters = map[string]func(*app, diffRun, []contractdiff.Change) error{
	"text": func(a *app, _ diffRun, cs []contractdiff.Change) error {
		return contractdiff.WriteText(a.stdout, cs)
	},
	"json": func(a *app, r diffRun, cs []contractdiff.Change) error {
		return contractdiff.WriteJSON(a.stdout, r.base, cs)
	},
	"github": func(a *app, r diffRun, cs []contractdiff.Change) error {
		return contractdiff.WriteGitHub(a.stdout, cs, githubPaths(r))
	},
}

// githubPaths names files from the root of the git work tree holding the
// contracts, where GitHub looks for them; outside one, as given.
func githubPaths(r diffRun) contractdiff.GitHubPaths {
	root, err := gitrev.Root(r.ctx, r.dir)
	if err != nil {
		root = ""
	}
	return contractdiff.GitHubPaths{Root: root, Rev: r.rev}
}
