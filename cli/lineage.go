package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	c "github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/runner"
)

func (a *app) lineageCommand() *cobra.Command {
	var tree bool
	cmd := &cobra.Command{
		Use:   "lineage NAME [DIR]",
		Short: "Print the path from a generated model or test to its contracts and owners",
		Long: "NAME is a model (rec_movement_conservation, stg_refunds, ...) or a test " +
			"(rec_movement_conservation__ticket). A test, or a check or monitor model, " +
			"prints its\nalert's lineage, the path invgen run and triage print for it: " +
			"check, model, the\nintermediate models that compare, then each source's " +
			"staging model, raw relation,\ncontract, owner and quarantine. Any other model, " +
			"or any with --tree, prints every\nmodel it reads once, down to the raw " +
			"sources, reference data included, each with\nits contract file and owner.\n\n",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(_ *cobra.Command, args []string) error {
			return a.lineage(args[0], dirArg(args[1:]), tree)
		},
	}
	cmd.Flags().BoolVar(&tree, "tree", false, "print every model it reads, not the "+
		"alert's path")
	return cmd
}

func (a *app) lineage(name, dir string, tree bool) error {
	ws, err := generate(dir, "")
	if err != nil {
		return err
	}
	project, err := engine.Load(ws.result.All())
	if err != nil {
		return withCode(ExitFailure, err)
	}
	model, meta, test := name, map[string]any(nil), (*engine.Test)(nil)
	for _, t := range project.Tests {
		if t.Name == name {
			model, meta, test = t.Model, t.Meta, t
		}
	}
	m := project.Model(model)
	if m == nil {
		return withCode(ExitUsage, unknownNode(name, project))
	}
	if test != nil {
		printTest(a.stdout, test)
	} else {
		meta = m.Meta
	}

	quarantined := false
	if _, decided := meta["lineage"]; (test != nil || decided) && !tree {
		if test == nil {
			fmt.Fprintf(a.stdout, "model %s  %s\n", m.Name, m.Path)
		}
		l := runner.AlertLineage(model, meta, nil, func(source string) (runner.SourceInfo,
			bool) {
			return runner.EstateSource(ws.estate, project, source, targetSchema)
		})
		printLineage(a.stdout, l)
		quarantined = len(l.Quarantine) > 0
	} else {
		quarantined = printTree(a.stdout, project, ws.estate, model, "", map[string]bool{})
	}
	if quarantined {
		fmt.Fprintf(a.stdout, "\n%s is the schema of the dbt target, where every model "+
			"is built:\nmain under invgen run and dbt-duckdb's default; profiles.yml "+
			"names it in a warehouse.\n", targetSchema)
	}
	return nil
}

// unknownNode says a name is no model or test, and suggests the nearest
// names there are.
func unknownNode(name string, p *engine.Project) error {
	var names []string
	for _, m := range p.Models {
		names = append(names, m.Name)
	}
	for _, t := range p.Tests {
		names = append(names, t.Name)
	}
	near := nearNames(name, names, 3)
	if len(near) == 0 {
		return fmt.Errorf("%s: no generated model or test of that name", name)
	}
	return fmt.Errorf("%s: no generated model or test of that name; did you mean %s?", name,
		strings.Join(near, ", "))
}

// targetSchema stands for the schema quarantine models are built in. The
// generated project gives them no schema of their own, so dbt builds them
// in the target's schema, which the user's profiles.yml names and invgen
// never reads.
const targetSchema = "<target schema>"

func printTest(w io.Writer, t *engine.Test) {
	if tier := t.Meta["alert_tier"]; tier != nil {
		fmt.Fprintf(w, "test %s (%s, tier %v)\n", t.Name, t.Generic, tier)
		return
	}
	fmt.Fprintf(w, "test %s (%s)\n", t.Name, t.Generic)
}

// printTree prints a model and what it reads, each model once, and reports
// whether it printed a quarantine relation.
func printTree(w io.Writer, p *engine.Project, e *c.Estate, name, indent string,
	seen map[string]bool) bool {
	m := p.Model(name)
	if seen[name] {
		fmt.Fprintf(w, "%s%s (above)\n", indent, name)
		return false
	}
	seen[name] = true
	fmt.Fprintf(w, "%s%s  %s\n", indent, name, m.Path)
	quarantined := false
	for _, s := range m.Sources {
		con := e.Contract(s)
		if con == nil {
			continue
		}
		fmt.Fprintf(w, "%s  source %s.%s  contract %s  owner %s", indent, s,
			con.Relation.Table, con.File, con.Owner)
		if p.Model("quarantine_"+s) != nil {
			fmt.Fprintf(w, "  quarantine %s.quarantine_%s", targetSchema, s)
			quarantined = true
		}
		fmt.Fprintln(w)
	}
	for _, d := range m.Deps {
		if printTree(w, p, e, d, indent+strings.Repeat(" ", 2), seen) {
			quarantined = true
		}
	}
	return quarantined
}

// nearNames are up to n names a mistyped or shortened name most likely
// meant: those a few edits away, or that it begins, nearest first.
func nearNames(name string, names []string, n int) []string {
	type scored struct {
		name string
		dist int
	}
	var near []scored
	for _, cand := range names {
		d := c.TypoDistance(name, cand)
		if strings.HasPrefix(cand, name) {
			d = min(d, 1)
		}
		if d <= len(name)/4+2 {
			near = append(near, scored{cand, d})
		}
	}
	sort.SliceStable(near, func(i, j int) bool {
		if near[i].dist != near[j].dist {
			return near[i].dist < near[j].dist
		}
		return near[i].name < near[j].name
	})
	var out []string
	for _, s := range near[:min(n, len(near))] {
		out = append(out, s.name)
	}
	return out
}
