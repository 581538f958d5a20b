package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/runner"
)

func (a *app) runCommand() *cobra.Command {
	var opt runner.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "run [DIR] --data PATH",
		Short: "Run the generated project on embedded DuckDB and report its alerts",
		Long: "Loads <source>.csv or <source>.parquet for every contract in DIR from the data " +
			"folder,\nbuilds every model and runs every test in one transaction, then prints " +
			"the alerts by\ntier with their value, the top locations by open break value, and " +
			"each alert's lineage\nto its contracts and owners. With --db, state (the breaks " +
			"ledger) is kept in that\nDuckDB file between runs. When the project has been " +
			"built, the run takes the\nresolutions the team records in its " +
			"seeds/invgen_resolutions.csv. Exits 1 when a page or\nticket alert fires.\n\n",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.run(cmd, dirArg(args), opt, asJSON)
		},
	}
	cmd.Flags().StringVar(&opt.DataDir, "data", "", "folder of raw data files (required)")
	cmd.Flags().StringVar(&opt.DB, "db", "", "DuckDB file that keeps state between runs "+
		"(default: in memory)")
	cmd.Flags().StringVar(&opt.AsOf, "as-of", "", "judge the data as of this date, "+
		"YYYY-MM-DD (default: today)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	_ = cmd.MarkFlagRequired("data")
	return cmd
}

func (a *app) run(cmd *cobra.Command, dir string, opt runner.Options, asJSON bool) error {
	if opt.AsOf != "" {
		if _, err := time.Parse("2006-01-02", opt.AsOf); err != nil {
			return withCode(ExitUsage, fmt.Errorf("--as-of %q: want YYYY-MM-DD", opt.AsOf))
		}
	}
	ws, err := generate(dir, "")
	if err != nil {
		return err
	}
	if err := a.useResolutions(ws); err != nil {
		return withCode(ExitInvalid, err)
	}
	opt.Progress = func(model string, d time.Duration) {
		a.progress("built %s in %s", model, d.Round(time.Millisecond))
	}
	rep, err := runner.Run(cmd.Context(), ws.estate, ws.result, opt)
	if err != nil {
		var de *fixtures.DataError
		if errors.As(err, &de) {
			return withCode(ExitInvalid, err)
		}
		return withCode(ExitFailure, err)
	}

	if asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(a.stdout, rep, ws.estate.Project.Currency)
	}
	if rep.Paging() {
		return errFindings
	}
	return nil
}

// useResolutions takes the resolutions the team keeps in the generated
// project, when it has been built, in place of the empty scaffold: a run
// judges the same ledger dbt would. The team edits the seed by hand, so it
// is checked first, with its path as the user can open it.
func (a *app) useResolutions(ws *workspace) error {
	path := filepath.Join(ws.out, filepath.FromSlash(generator.ResolutionsPath))
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := runner.CheckResolutions(path, data); err != nil {
		return err
	}
	a.progress("resolutions from %s", path)
	ws.result.Scaffold[generator.ResolutionsPath] = bytes.TrimPrefix(data,
		[]byte("\ufeff"))
	return nil
}

// printReport writes the alerts for a person: totals per tier first, then
// each alert with its lineage, then where the money is.
func printReport(w io.Writer, rep *runner.Report, currency string) {
	fmt.Fprintf(w, "as of %s: %d models, %d tests, %d alerts\n\n", rep.AsOf,
		rep.Models, rep.Tests, len(rep.Alerts))
	for _, t := range rep.Tiers {
		fmt.Fprintf(w, "%-7s %3d alerts%s\n", strings.ToUpper(t.Tier), t.Alerts,
			worth(currency, t.Value, t.NoValue, "  "))
	}
	for _, al := range rep.Alerts {
		fmt.Fprintf(w, "\n[%s] %s: %s, %d rows%s\n", al.Tier, al.Test, al.Status, al.Rows,
			worth(currency, al.Value, al.NoValue, ", "))
		printLineage(w, al.Lineage)
	}
	if len(rep.TopLocations) > 0 {
		fmt.Fprintf(w, "\nTop locations by open break value:\n")
		for _, l := range rep.TopLocations {
			fmt.Fprintf(w, "  %-12s %4d breaks  %s\n", l.LocationID, l.Breaks,
				money(currency, l.Value))
		}
	}
}

func printLineage(w io.Writer, l runner.Lineage) {
	steps := []string{}
	if l.Check != "" {
		steps = append(steps, "check "+l.Check)
	}
	if l.Monitor != "" {
		steps = append(steps, "monitor "+l.Monitor)
	}
	steps = append(steps, "model "+l.Model)
	for _, part := range []struct {
		what  string
		items []string
	}{
		{"via", l.Intermediate}, {"staging", l.Staging}, {"source", l.Sources},
		{"contract", l.Contracts}, {"owner", l.Owners},
	} {
		if len(part.items) > 0 {
			steps = append(steps, part.what+" "+strings.Join(part.items, ", "))
		}
	}
	for _, q := range l.Quarantine {
		if q.HeldRows < 0 {
			steps = append(steps, "quarantine "+q.Relation)
			continue
		}
		steps = append(steps, fmt.Sprintf("quarantine %s (%d held)", q.Relation, q.HeldRows))
	}
	fmt.Fprintf(w, "    %s\n", strings.Join(steps, "\n    -> "))
}

// worth is a value as money after sep, or says it is not known; rows that
// carry no value get nothing, not a zero.
func worth(currency string, v *float64, none bool, sep string) string {
	switch {
	case v != nil:
		return sep + money(currency, *v)
	case none:
		return ""
	}
	return sep + "value unknown"
}

// money formats a value to the cent with thousands separators, in the
// project currency.
func money(currency string, v float64) string {
	whole, cents, _ := strings.Cut(fmt.Sprintf("%.2f", v), ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return currency + " -" + b.String() + "." + cents
	}
	return currency + " " + b.String() + "." + cents
}
