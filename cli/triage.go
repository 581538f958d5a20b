package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/invgen/invgen/triage"
)

func (a *app) triageCommand() *cobra.Command {
	var opt triageOptions
	cmd := &cobra.Command{
		Use:   "triage --target PATH",
		Short: "Show the tiered alerts of a dbt run of the generated project",
		Long: "Reads run_results.json and manifest.json from a dbt target folder (dbt 1.10 " +
			"to 1.12)\nand prints the alerts by tier with each one's lineage from the " +
			"manifest, and the models\nthat errored or were skipped. With --db, the DuckDB " +
			"file the run wrote to, it values\neach alert from its stored failures and ranks " +
			"the locations by open break value;\nwithout it values are unknown. Exits 1 " +
			"when a page or ticket test failed,\nerrored or was skipped.\n\n",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.triage(cmd.Context(), opt)
		},
	}
	cmd.Flags().StringVar(&opt.target, "target", "target", "the dbt target folder")
	cmd.Flags().StringVar(&opt.db, "db", "", "the DuckDB file the run wrote, to value alerts")
	cmd.Flags().StringVar(&opt.currency, "currency", "USD", "the currency of break values")
	cmd.Flags().BoolVar(&opt.asJSON, "json", false, "print the report as JSON")
	return cmd
}

type triageOptions struct {
	target, db, currency string
	asJSON               bool
}

func (a *app) triage(ctx context.Context, opt triageOptions) error {
	art, err := triage.Read(opt.target)
	if err != nil {
		return withCode(ExitInvalid, err)
	}
	for _, w := range art.Warnings {
		fmt.Fprintf(a.stderr, "warning: %s\n", w)
	}
	conn, err := openRunDB(opt.db)
	if err != nil {
		return err
	}
	if conn != nil {
		defer conn.Close()
	}

	rep, err := art.Report(ctx, conn)
	var dbe *triage.DBError
	if errors.As(err, &dbe) {
		return withCode(ExitInvalid, err)
	}
	if err != nil {
		return withCode(ExitFailure, err)
	}
	rep.Currency = opt.currency
	if err := a.printTriage(rep, opt.currency, opt.asJSON); err != nil {
		return err
	}
	if rep.Paging() {
		return errFindings
	}
	return nil
}

// openRunDB opens the run's DuckDB file read-only, or nothing without one.
// A file that is not there is the user's mistake, not invgen's: DuckDB
// would only say so at the first query.
func openRunDB(path string) (*sql.DB, error) {
	if path == "" {
		return nil, nil
	}
	if _, err := os.Stat(path); err != nil {
		return nil, withCode(ExitInvalid, fmt.Errorf("--db: %w", err))
	}
	conn, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err == nil {
		err = conn.Ping()
	}
	if err != nil {
		if conn != nil {
			conn.Close()
		}
		return nil, withCode(ExitInvalid, fmt.Errorf("--db %s: %w", path, err))
	}
	return conn, nil
}

func (a *app) printTriage(rep *triage.Report, currency string, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printReport(a.stdout, &rep.Report, currency)
	printNotBuilt(a.stdout, rep.NotBuilt)
	return nil
}

// printNotBuilt lists what did not build, errors first with the first
// lines of dbt's message, which name the file and the database's complaint.
func printNotBuilt(w io.Writer, nodes []triage.NotBuilt) {
	if len(nodes) == 0 {
		return
	}
	fmt.Fprintf(w, "\nNot built:\n")
	for _, status := range []string{"error", "skipped"} {
		for _, n := range nodes {
			if n.Status != status {
				continue
			}
			fmt.Fprintf(w, "  [%s] %s %s", n.Status, n.ResourceType, n.Name)
			if len(n.After) > 0 {
				fmt.Fprintf(w, ", after %s", strings.Join(n.After, ", "))
			}
			fmt.Fprintln(w)
			for _, line := range messageLines(n.Message, 2) {
				fmt.Fprintf(w, "      %s\n", line)
			}
		}
	}
}

func messageLines(msg string, n int) []string {
	var out []string
	for _, line := range strings.Split(msg, "\n") {
		if line = strings.TrimSpace(line); line != "" && len(out) < n {
			out = append(out, line)
		}
	}
	return out
}
