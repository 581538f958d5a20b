package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
)

// workspace is a folder of contracts and the project generated from it.
type workspace struct {
	dir    string // the contracts folder, as the user named it
	out    string // where the dbt project goes
	estate *contracts.Estate
	result *generator.Result
}

// loadContracts reads and validates the contracts in dir.
func loadContracts(dir string) (*contracts.Estate, error) {
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, withCode(ExitInvalid, fmt.Errorf("%s: no such folder of contracts", dir))
	}
	if err != nil {
		return nil, withCode(ExitInvalid, fmt.Errorf("%s: the folder of contracts cannot "+
			"be read: %w", dir, pathCause(err)))
	}
	if !info.IsDir() {
		return nil, withCode(ExitInvalid, fmt.Errorf("%s: not a folder of contracts", dir))
	}
	return contracts.Load(os.DirFS(dir), filepath.ToSlash(filepath.Clean(dir)))
}

// generate loads the contracts and renders the project in memory. out
// overrides the project file's output folder.
func generate(dir, out string) (*workspace, error) {
	estate, err := loadContracts(dir)
	if err != nil {
		return nil, err
	}

	ws := &workspace{dir: dir, estate: estate, out: out}
	if ws.out == "" {
		ws.out = filepath.Join(dir, filepath.FromSlash(estate.Project.Output))
	}
	if err := checkOutput(ws.out, dir, out != "", &estate.Project); err != nil {
		return nil, err
	}
	rel, err := relativeDir(ws.out, dir)
	if err != nil {
		return nil, err
	}
	if p := contracts.TextProblem(rel); p != "" {
		return nil, withCode(ExitInvalid, fmt.Errorf("%s: the path from the output folder "+
			"to the contracts, which the generated project records, is %q: %s", dir, rel, p))
	}

	gen, err := generator.New()
	if err != nil {
		return nil, err
	}
	ws.result, err = gen.Generate(estate, generator.Options{ContractDir: rel})
	if err != nil {
		return nil, err
	}
	return ws, nil
}

// checkOutput refuses an output folder invgen cannot use: the contracts
// folder itself, where the project's YAML files would be read as contracts
// by the next run, or a file. flag says whether --out named it; otherwise
// invgen.yml's output did.
func checkOutput(out, dir string, flag bool, p *contracts.Project) error {
	named := fmt.Sprintf("%s: output: %s", p.Pos("output"), out)
	code := ExitInvalid
	if flag {
		named, code = "--out "+out, ExitUsage
	}
	if sameFolder(out, dir) {
		return withCode(code, fmt.Errorf("%s is the contracts folder: dbt_project.yml and "+
			"the project's other YAML files would be read as contracts; write the project "+
			"to a folder of its own, such as %s", named, filepath.Join(dir, "dbt")))
	}
	info, err := os.Stat(out)
	if err == nil && !info.IsDir() {
		return withCode(ExitInvalid, fmt.Errorf("%s: the output folder is a file, not a "+
			"folder", named))
	}
	return nil
}

// sameFolder reports whether a and b name one folder, spelt alike or not.
func sameFolder(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

// pathCause is what went wrong with a path, without the operation and the
// path that a message names already.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// relativeDir is dir as seen from inside out, slash-separated: how the
// generated project points at its contracts.
func relativeDir(out, dir string) (string, error) {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absOut, absDir)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), nil
}

func dirArg(args []string) string {
	if len(args) == 0 {
		return "."
	}
	return args[0]
}
