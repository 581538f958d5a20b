package generator

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/templates"
)

// Options are the facts about where the project is written that its
// contents mention.
type Options struct {
	// ContractDir is the folder holding the contracts, relative to the
	// generated project's root (".." when the project sits in a subfolder
	// beside them). Model metadata points at contracts through it, so the
	// lineage works from the project's own files.
	ContractDir string
}

// Result is a generated project.
type Result struct {
	// Files maps a slash-separated path inside the project to its contents.
	Files map[string][]byte

	// Scaffold holds files invgen creates once, when they are missing, and
	// then leaves to the team: the resolutions seed they keep.
	Scaffold map[string][]byte

	// Notes tell the user what generation inferred or could not do, such as
	// which sources it paired for each check. The CLI prints them.
	Notes []string

	// Checks are the reconciliations the project contains.
	Checks []Check

	// Monitors are the distributional monitors it contains.
	Monitors []Monitor
}

// Monitor is one distributional monitor of the project.
type Monitor struct {
	Name  string // feed_volume, flatline, ...
	Model string // its mon_ model, or the report it judges

	// Target is the source whose pattern the monitor exists to catch: where
	// a proof injects it.
	Target string
}

// Check is one reconciliation of the project.
type Check struct {
	Name  string // movement_conservation, erp_wms_parity, ...
	Model string // its rec_ model

	// Target is the source whose misreporting the check exists to catch:
	// where a proof injects its fault.
	Target string
}

// Generator renders projects. It holds the parsed templates, so build one
// per process and reuse it.
type Generator struct {
	tpl *templates.Set
}

// New parses the embedded templates.
func New() (*Generator, error) {
	tpl, err := templates.Load()
	if err != nil {
		return nil, err
	}
	return &Generator{tpl: tpl}, nil
}

// Generate renders the dbt project of an estate. The estate must have passed
// contracts.Load; Generate does not re-validate it.
func (g *Generator) Generate(e *contracts.Estate, opt Options) (*Result, error) {
	if opt.ContractDir == "" {
		opt.ContractDir = "."
	}
	r := &renderer{g: g, estate: e, opt: opt, files: map[string][]byte{},
		scaffold: map[string][]byte{}}

	r.project()
	r.macros()
	for _, c := range e.Contracts {
		r.staging(c)
	}
	r.reconciliations()
	r.nameSources()
	if r.err != nil {
		return nil, r.err
	}
	return &Result{Files: r.files, Scaffold: r.scaffold, Notes: r.notes, Checks: r.result,
		Monitors: r.monitorList}, nil
}

// renderer accumulates files; the first error stops further rendering.
type renderer struct {
	g           *Generator
	estate      *contracts.Estate
	opt         Options
	files       map[string][]byte
	scaffold    map[string][]byte
	notes       []string
	result      []Check
	monitorList []Monitor
	err         error
}

func (r *renderer) render(file, tpl string, data any) {
	if r.err != nil {
		return
	}
	if _, dup := r.files[file]; dup {
		r.err = fmt.Errorf("internal error: %s generated twice", file)
		return
	}
	if v, ok := data.(modelView); ok {
		data = v.laidOut()
	}
	out, err := r.g.tpl.Render(tpl, data)
	if err != nil {
		r.err = fmt.Errorf("rendering %s: %w", file, err)
		return
	}
	if strings.HasSuffix(file, ".yml") {
		out = foldYAML(out)
	}
	r.files[file] = out
}

func (r *renderer) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

// contractPath is a contract's path relative to the project root.
func (r *renderer) contractPath(c *contracts.Contract) string {
	return path.Join(r.opt.ContractDir, path.Base(c.File))
}

// All returns the whole project as dbt sees it: the generated files and the
// scaffold.
func (res *Result) All() map[string][]byte {
	all := make(map[string][]byte, len(res.Files)+len(res.Scaffold))
	for p, b := range res.Files {
		all[p] = b
	}
	for p, b := range res.Scaffold {
		all[p] = b
	}
	return all
}

// Paths returns the files' paths, sorted.
func (res *Result) Paths() []string {
	paths := make([]string, 0, len(res.Files))
	for p := range res.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}
