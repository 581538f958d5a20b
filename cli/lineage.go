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
			fmt.Fprintf(a.stdout, "test %s (%s, tier %v)\n", t.Name, t.Generic,
				t.Meta["alert_tier"])
		}
	}
	if project.Model(model) == nil {
		return withCode(ExitUsage, fmt.Errorf("%s: no generated model or test of that name",
			name))
	}
	printTree(a.stdout, project, ws.estate, model, "", map[string]bool{})
	return nil
}

// printTree prints a model and what it reads, each model once.
func printTree(w io.Writer, p *engine.Project, e *c.Estate, name, indent string,
	seen map[string]bool) {
	m := p.Model(name)
	if seen[name] {
		fmt.Fprintf(w, "%s%s (above)\n", indent, name)
		return
	}
	seen[name] = true
	fmt.Fprintf(w, "%s%s  %s\n", indent, name, m.Path)
	for _, s := range m.Sources {
		con := e.Contract(s)
		if con == nil {
			continue
		}
		fmt.Fprintf(w, "%s  source %s.%s  contract %s  owner %s", indent, s,
			con.Relation.Table, con.File, con.Owner)
		if p.Model("quarantine_"+s) != nil {
			fmt.Fprintf(w, "  quarantine main.quarantine_%s", s)
		}
		fmt.Fprintln(w)
	}
	for _, d := range m.Deps {
		printTree(w, p, e, d, indent+strings.Repeat(" ", 2), seen)
	}
}
