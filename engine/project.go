package engine

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Project is a dbt project read from its files.
type Project struct {
	Name    string
	Vars    map[string]any
	Models  []*Model // in dependency order once Load returns
	Seeds   []*Seed
	Tests   []*Test
	Sources map[string]SourceTable // keyed by "source.table"

	byName  map[string]*Model
	seeds   map[string]bool
	folders []folderConfig
	macros  map[string]string // macro file path → text
}

// Model is one model of the project.
type Model struct {
	Name         string
	Path         string
	SQL          string
	Materialized string
	UniqueKey    []string
	Deps         []string
	Sources      []string // the sources it reads directly, by source name
	Meta         map[string]any
}

// SourceTable is one table a source() call can name.
type SourceTable struct {
	Source, Table string
	Database      string
	Schema        string
	Identifier    string
}

type folderConfig struct {
	prefix       string
	materialized string
}

// Load reads a project from its files (path → contents, slash-separated
// paths relative to the project root), compiles every model once to learn
// its dependencies and config, and orders the models.
func Load(files map[string][]byte) (*Project, error) {
	p := &Project{Vars: map[string]any{}, Sources: map[string]SourceTable{},
		byName: map[string]*Model{}, seeds: map[string]bool{}, macros: map[string]string{}}

	if err := p.readProjectFile(files); err != nil {
		return nil, err
	}
	for _, name := range sortedPaths(files) {
		if err := p.readFile(name, files[name]); err != nil {
			return nil, err
		}
	}
	if err := p.applyYAML(files); err != nil {
		return nil, err
	}
	if err := p.resolve(); err != nil {
		return nil, err
	}
	return p, nil
}

func sortedPaths(files map[string][]byte) []string {
	out := make([]string, 0, len(files))
	for p := range files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

type projectFile struct {
	Name   string                    `yaml:"name"`
	Vars   map[string]any            `yaml:"vars"`
	Models map[string]map[string]any `yaml:"models"`
}

func (p *Project) readProjectFile(files map[string][]byte) error {
	data, ok := files["dbt_project.yml"]
	if !ok {
		return fmt.Errorf("dbt_project.yml: missing: not a dbt project")
	}
	var pf projectFile
	if err := yaml.Unmarshal(data, &pf); err != nil {
		return fmt.Errorf("dbt_project.yml: %w", err)
	}
	p.Name = pf.Name
	for k, v := range pf.Vars {
		p.Vars[k] = normalise(v)
	}
	p.folders = folderConfigs("models", pf.Models[pf.Name])
	return nil
}

// folderConfigs flattens dbt_project.yml's nested model config into path
// prefixes, longest last, so the most specific folder wins.
func folderConfigs(prefix string, tree map[string]any) []folderConfig {
	var out []folderConfig
	if m, ok := tree["+materialized"].(string); ok {
		out = append(out, folderConfig{prefix: prefix + "/", materialized: m})
	}
	for key, sub := range tree {
		if child, ok := sub.(map[string]any); ok && !strings.HasPrefix(key, "+") {
			out = append(out, folderConfigs(prefix+"/"+key, child)...)
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i].prefix) < len(out[j].prefix) })
	return out
}

var (
	testOpen  = regexp.MustCompile(`\{%(-?)\s*test\s+`)
	testClose = regexp.MustCompile(`\{%(-?)\s*endtest\b`)
)

func (p *Project) readFile(name string, data []byte) error {
	switch {
	case strings.HasPrefix(name, "models/") && strings.HasSuffix(name, ".sql"):
		model := strings.TrimSuffix(path.Base(name), ".sql")
		if prev, dup := p.byName[model]; dup {
			return fmt.Errorf("%s: model %s is also defined in %s", name, model, prev.Path)
		}
		m := &Model{Name: model, Path: name, SQL: string(data)}
		p.byName[model] = m
		p.Models = append(p.Models, m)
	case isMacroFile(name):
		p.macros[name] = testsAsMacros(string(data))
	case strings.HasPrefix(name, "seeds/") && strings.HasSuffix(name, ".csv"):
		return p.addSeed(name, data)
	}
	return nil
}

func isMacroFile(name string) bool {
	return strings.HasSuffix(name, ".sql") &&
		(strings.HasPrefix(name, "macros/") || strings.HasPrefix(name, "tests/generic/"))
}

// testsAsMacros rewrites generic test blocks into the macros dbt itself
// turns them into: {% test x(...) %} defines the macro test_x.
func testsAsMacros(src string) string {
	src = testOpen.ReplaceAllString(src, "{%$1 macro test_")
	return testClose.ReplaceAllString(src, "{%$1 endmacro")
}

// materialization decides how a model is built: its own config() call, else
// its YAML config, else the most specific folder in dbt_project.yml, else a
// view, as in dbt.
func (p *Project) folderMaterialization(m *Model) string {
	mat := "view"
	for _, f := range p.folders {
		if strings.HasPrefix(m.Path, f.prefix) {
			mat = f.materialized
		}
	}
	return mat
}

// normalise turns YAML-decoded values into the values the Jinja renderer
// works with.
func normalise(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalise(e)
		}
		return out
	}
	return v
}
