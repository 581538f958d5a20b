package engine

import (
	"fmt"
	"sort"
	"strings"
)

// resolve compiles every model once, as dbt's parse does, to learn its
// dependencies and config, then orders the models so each runs after what
// it reads.
func (p *Project) resolve() error {
	c, err := newCompiler(p, Options{Schema: "main"})
	if err != nil {
		return err
	}
	for _, m := range p.Models {
		res, err := c.compile(m, false)
		if err != nil {
			return err
		}
		m.Deps = uniqueSorted(res.deps)
		m.Sources = uniqueSorted(res.sources)
		m.UniqueKey = res.uniqueKey
		switch {
		case res.materialized != "":
			m.Materialized = res.materialized
		case m.Materialized == "":
			m.Materialized = p.folderMaterialization(m)
		}
		if err := supported(m); err != nil {
			return err
		}
	}
	return p.order()
}

func supported(m *Model) error {
	switch m.Materialized {
	case "view", "table", "incremental":
		return nil
	}
	return fmt.Errorf("%s: materialization %q is not supported by invgen's engine "+
		"(view, table and incremental are)", m.Path, m.Materialized)
}

func uniqueSorted(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// order sorts the models topologically, breaking ties by name so the order
// is stable, and names the models of any cycle.
func (p *Project) order() error {
	remaining := map[string]int{}
	dependents := map[string][]string{}
	for _, m := range p.Models {
		remaining[m.Name] = len(m.Deps)
		for _, d := range m.Deps {
			dependents[d] = append(dependents[d], m.Name)
		}
	}

	var ready, ordered []string
	for name, n := range remaining {
		if n == 0 {
			ready = append(ready, name)
		}
	}
	for len(ready) > 0 {
		sort.Strings(ready)
		next := ready[0]
		ready = ready[1:]
		ordered = append(ordered, next)
		for _, d := range dependents[next] {
			if remaining[d]--; remaining[d] == 0 {
				ready = append(ready, d)
			}
		}
	}

	if len(ordered) < len(p.Models) {
		return fmt.Errorf("models form a cycle: %s", strings.Join(cycleMembers(remaining), ", "))
	}
	models := make([]*Model, len(ordered))
	for i, name := range ordered {
		models[i] = p.byName[name]
	}
	p.Models = models
	return nil
}

func cycleMembers(remaining map[string]int) []string {
	var out []string
	for name, n := range remaining {
		if n > 0 {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Model returns a model by name, or nil.
func (p *Project) Model(name string) *Model { return p.byName[name] }

// Upstream returns the named models and every model they read, directly or
// not: what must be built for them, as dbt's +model selector.
func (p *Project) Upstream(names ...string) []string {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(name string) {
		m := p.byName[name]
		if m == nil || seen[name] {
			return
		}
		seen[name] = true
		for _, d := range m.Deps {
			visit(d)
		}
	}
	for _, n := range names {
		visit(n)
	}
	return sortedKeys(seen)
}

// Downstream returns, in dependency order, every model that reads one of
// the named sources, directly or through other models: what must be rebuilt
// when those sources change.
func (p *Project) Downstream(sources ...string) []string {
	changed := map[string]bool{}
	for _, s := range sources {
		changed[s] = true
	}
	dirty := map[string]bool{}
	var out []string
	for _, m := range p.Models { // already in dependency order
		hit := false
		for _, s := range m.Sources {
			hit = hit || changed[s]
		}
		for _, d := range m.Deps {
			hit = hit || dirty[d]
		}
		if hit {
			dirty[m.Name] = true
			out = append(out, m.Name)
		}
	}
	return out
}
