package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	c "github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
)

func (a *app) lineageCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "lineage NAME [DIR]",
		Short: "Print the path from a generated model or test to its contracts and owners",
		Long: "NAME is a model (rec_movement_conservation, stg_refunds, ...) or a test " +
			"(rec_movement_conservation__ticket). Every model it reads is printed once, down " +
			"to the\nraw sources, each with its contract file and owner.\n\n",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(_ *cobra.Command, args []string) error {
			return a.lineage(args[0], dirArg(args[1:]))
		},
	}
}

func (a *app) lineage(name, dir string) error {
	ws, err := generate(dir, "")
	if err != nil {
		return err
	}
	project, err := engine.Load(ws.result.All())
	if err != nil {
		return withCode(ExitFailure, err)
	}
	model := name
	for _, t := range project.Tests {
		if t.Name == name {
			model = t.Model
			printTest(a.stdout, t)
		}
	}
	if project.Model(model) == nil {
		return withCode(ExitUsage, fmt.Errorf("%s: no generated model or test of that name",
			name))
	}
	quarantined := printTree(a.stdout, project, ws.estate, model, "", map[string]bool{})
	if quarantined {
		fmt.Fprintf(a.stdout, "\n%s is the schema of the dbt target, where every model "+
			"is built:\nmain under invgen run and dbt-duckdb's default; profiles.yml "+
			"names it in a warehouse.\n", targetSchema)
	}
	return nil
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
