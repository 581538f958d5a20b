package cli

import (
	"database/sql"
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/invgen/invgen/triage"
)

func (a *app) triageCommand() *cobra.Command {
	var target, db, currency string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "triage --target PATH",
		Short: "Show the tiered alerts of a dbt run of the generated project",
		Long: "Reads run_results.json and manifest.json from a dbt target folder (dbt 1.10 " +
			"to 1.12)\nand prints the alerts by tier with each one's lineage from the " +
			"manifest. With --db,\nthe DuckDB file the run wrote to, it values each alert from " +
			"its stored failures.\nExits 1 when a page or ticket alert failed.\n\n",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			art, err := triage.Read(target)
			if err != nil {
				return withCode(ExitInvalid, err)
			}
			var conn *sql.DB
			if db != "" {
				if conn, err = sql.Open("duckdb", db+"?access_mode=read_only"); err != nil {
					return err
				}
				defer conn.Close()
			}
			rep, err := art.Report(cmd.Context(), conn)
			if err != nil {
				return withCode(ExitFailure, err)
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				printReport(a.stdout, rep, currency)
			}
			if rep.Paging() {
				return errFindings
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&target, "target", "target", "the dbt target folder")
	cmd.Flags().StringVar(&db, "db", "", "the DuckDB file the run wrote, to value alerts")
	cmd.Flags().StringVar(&currency, "currency", "USD", "the currency of break values")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}
