package cli

import (
	"fmt"
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
	if err != nil {
		return nil, withCode(ExitInvalid, err)
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
	rel, err := relativeDir(ws.out, dir)
	if err != nil {
		return nil, err
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
