package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/spf13/cobra"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/odcs"
)

func (a *app) importCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Convert contracts from other formats into invgen contracts",
		Long:  "Formats: odcs (Open Data Contract Standard v3.x).\n\n",
	}
	var out string
	var force bool
	var opt odcs.Options
	odcsCmd := &cobra.Command{
		Use:   "odcs FILE... --out DIR",
		Short: "Convert ODCS v3 data contracts into invgen contracts, one per schema object",
		Long: "Inventory semantics come from customProperties named invgen.* (see the README); " +
			"every\nmissing or wrong answer is listed as file:line:col of the ODCS file, " +
			"with the " +
			"property\nto set. The contracts are validated with those already in DIR, and " +
			"written only when\nall of them are: each to DIR/<source>.yml through a temporary " +
			"file and a rename, so no\nreader sees half a contract. An existing file is never " +
			"replaced unless --force.\n\nA file that lists several servers needs --server to " +
			"say which one holds the tables,\nunless its objects set invgen.schema: the " +
			"relation is not guessed.\n\n" + exitCodeHelp,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return a.importODCS(args, out, force, opt)
		},
	}
	odcsCmd.Long = odcsCmd.Short + "\n\n" + odcsCmd.Long // as root does for its own
	odcsCmd.Flags().StringVar(&out, "out", "", "the contracts folder to write to (required)")
	odcsCmd.Flags().BoolVar(&force, "force", false, "replace contracts that exist")
	odcsCmd.Flags().StringVar(&opt.Server, "server", "", "the server (its server field) "+
		"whose database and schema the relations take, where a file lists several")
	_ = odcsCmd.MarkFlagRequired("out")
	cmd.AddCommand(odcsCmd)
	return cmd
}

func (a *app) importODCS(files []string, out string, force bool, opt odcs.Options) error {
	converted, err := convertAll(files, opt)
	if err != nil {
		return err
	}
	label := filepath.ToSlash(filepath.Clean(out))
	existing, err := readContracts(out)
	if err != nil {
		return err
	}
	if err := join(existing, converted, label, force); err != nil {
		return err
	}
	if err := writeAll(out, converted, force); err != nil {
		return withCode(ExitFailure, err)
	}
	for _, f := range converted {
		a.printf("%s\n", path.Join(label, f.Source+".yml"))
	}
	a.progress("imported %d contracts into %s", len(converted), label)
	return nil
}

// join adds the converted contracts to the estate already in the folder
// and validates them together, as `invgen validate` will. What that finds
// in a converted contract is reported at the ODCS line it came from: the
// contract itself is not written.
func join(estate fstest.MapFS, converted []odcs.File, label string, force bool) error {
	var diags contracts.Diagnostics
	imported := map[string]odcs.File{}
	for _, f := range converted {
		name := f.Source + ".yml"
		if _, taken := estate[name]; taken && !force {
			diags = append(diags, contracts.Diagnostic{Pos: f.Pos, Msg: fmt.Sprintf(
				"%s exists: not replaced without --force", path.Join(label, name))})
		}
		estate[name] = &fstest.MapFile{Data: f.Data}
		imported[path.Join(label, name)] = f
	}
	if len(diags) > 0 {
		return diags.Sorted()
	}
	_, err := contracts.Load(estate, label)
	if !errors.As(err, &diags) {
		return err
	}
	for i, d := range diags {
		if f, ok := imported[d.Pos.File]; ok {
			diags[i] = contracts.Diagnostic{Pos: f.Origin(d.Pos.Line, d.Pos.Col),
				Msg: fmt.Sprintf("imported as %s: %s", d.Pos.File, d.Msg)}
		}
	}
	return fmt.Errorf("the imported contracts do not validate with those in %s; nothing "+
		"written:\n%w", label, diags.Sorted())
}

// convertAll converts every file and reports every problem of every file
// together, so one run lists all that is missing.
func convertAll(files []string, opt odcs.Options) ([]odcs.File, error) {
	var all []odcs.File
	var diags contracts.Diagnostics
	seen := map[string]odcs.File{}
	for _, file := range files {
		data, err := contracts.ReadFile(os.DirFS(filepath.Dir(file)), filepath.Base(file),
			filepath.ToSlash(file))
		if contracts.IsInvalid(err) {
			return nil, err
		}
		if err != nil {
			return nil, withCode(ExitInvalid, err)
		}
		got, err := odcs.Convert(filepath.ToSlash(file), data, opt)
		var ds contracts.Diagnostics
		if errors.As(err, &ds) {
			diags = append(diags, ds...)
			continue
		}
		for _, f := range got {
			if prev, dup := seen[f.Source]; dup {
				diags = append(diags, contracts.Diagnostic{Pos: f.Pos, Msg: fmt.Sprintf(
					"source %s is also imported from %s", f.Source, prev.Pos)})
			}
			seen[f.Source] = f
		}
		all = append(all, got...)
	}
	if len(diags) > 0 {
		return nil, diags.Sorted()
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Source < all[j].Source })
	return all, nil
}

// readContracts reads the YAML files at the top of dir, so the imported
// contracts are validated with the estate they join; none when dir does
// not exist yet.
func readContracts(dir string) (fstest.MapFS, error) {
	files := fstest.MapFS{}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return files, nil
	case err != nil:
		return nil, withCode(ExitFailure, err)
	case !info.IsDir():
		return nil, withCode(ExitUsage, fmt.Errorf("--out %s: not a folder", dir))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, withCode(ExitFailure, err)
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !(strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".yaml")) {
			continue
		}
		data, err := contracts.ReadFile(os.DirFS(dir), n, filepath.Join(dir, n))
		if contracts.IsInvalid(err) {
			return nil, err
		}
		if err != nil {
			return nil, withCode(ExitFailure, err)
		}
		files[n] = &fstest.MapFile{Data: data}
	}
	return files, nil
}

// writeAll stages every contract beside its destination, then puts each in
// place: by rename with force, else by a hard link, which fails rather
// than replace a file that appeared since the check. A failure part way
// removes the contracts this run created, so a retry starts clean; one it
// replaced under --force stays replaced.
func writeAll(dir string, files []odcs.File, force bool) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	staged := make([]string, 0, len(files))
	var created []string
	defer func() {
		for _, tmp := range staged {
			_ = os.Remove(tmp) // gone already once renamed
		}
		if err != nil {
			for _, f := range created {
				_ = os.Remove(f)
			}
		}
	}()
	for _, f := range files {
		tmp, err := stage(dir, f)
		if tmp != "" {
			staged = append(staged, tmp)
		}
		if err != nil {
			return err
		}
	}
	for i, f := range files {
		dest := filepath.Join(dir, f.Source+".yml")
		isNew, err := place(staged[i], dest, force)
		if isNew {
			created = append(created, dest)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// place moves a staged file to dest, and says whether it created dest.
// Where the file system has no hard links, a check just before the rename
// stands in for the link's guarantee.
func place(tmp, dest string, force bool) (bool, error) {
	if force {
		_, err := os.Lstat(dest)
		return errors.Is(err, fs.ErrNotExist), os.Rename(tmp, dest)
	}
	err := os.Link(tmp, dest)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrExist):
		return false, fmt.Errorf("%s appeared while importing: not replaced", dest)
	}
	if _, err := os.Lstat(dest); !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("%s appeared while importing: not replaced", dest)
	}
	return true, os.Rename(tmp, dest)
}

// stage writes one contract to a hidden temporary file beside its
// destination, which contract loaders skip, and returns its name.
func stage(dir string, f odcs.File) (string, error) {
	tmp, err := os.CreateTemp(dir, "."+f.Source+".*.tmp")
	if err != nil {
		return "", err
	}
	err = tmp.Chmod(0o644) // CreateTemp's 0600 would hide the contract from the team
	if err == nil {
		_, err = tmp.Write(f.Data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	return tmp.Name(), err
}
