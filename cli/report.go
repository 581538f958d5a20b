package cli

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "github.com/duckdb/duckdb-go/v2" // registers the duckdb driver
	"github.com/spf13/cobra"

	"github.com/invgen/invgen/report"
)

func (a *app) reportCommand() *cobra.Command {
	var db, out, currency string
	cmd := &cobra.Command{
		Use:   "report --db FILE [--out FILE]",
		Short: "Write the breaks report card as one self-contained HTML page",
		Long: "Reads the DuckDB file that invgen run --db keeps (read-only) and writes one " +
			"HTML page:\nopen breaks and their value by tier, charts of break value by check " +
			"and by location,\nbreaks created and resolved, open value and time to resolution " +
			"per week, record\naccuracy against its target, and each monitor's latest " +
			"status. The page loads\nnothing from the network. Sections whose tables the " +
			"estate does not produce say so.\n\n",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.report(cmd, db, out, currency)
		},
	}
	cmd.Flags().StringVar(&db, "db", "", "the DuckDB file invgen run --db wrote (required)")
	cmd.Flags().StringVar(&out, "out", "report.html", "the HTML file to write")
	cmd.Flags().StringVar(&currency, "currency", "USD", "the currency of break values")
	_ = cmd.MarkFlagRequired("db")
	return cmd
}

func (a *app) report(cmd *cobra.Command, db, out, currency string) error {
	conn, err := openReadOnly(db)
	if err != nil {
		return withCode(ExitInvalid, err)
	}
	defer conn.Close()

	a.progress("reading %s", db)
	data, err := report.Read(cmd.Context(), conn)
	if err != nil {
		return withCode(ExitInvalid, fmt.Errorf("%s: %w", db, err))
	}
	data.Currency = currency
	page, err := report.Render(data)
	if err != nil {
		return withCode(ExitFailure, err)
	}
	if err := writeAtomic(out, page); err != nil {
		return withCode(ExitFailure, fmt.Errorf("writing %s: %w", out, err))
	}
	a.progress("wrote %d bytes", len(page))
	a.printf("%s\n", out)
	return nil
}

// openReadOnly opens a DuckDB file without the chance of changing it, and
// checks it is one: DuckDB would otherwise create a missing file.
func openReadOnly(path string) (*sql.DB, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("--db: %w", err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("--db %s: a folder, not a DuckDB file", path)
	}
	conn, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		return nil, fmt.Errorf("--db %s: %w", path, err)
	}
	if err := conn.Ping(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("--db %s: not a DuckDB database: %w", path, err)
	}
	return conn, nil
}

// writeAtomic replaces path through a temporary file in the same folder,
// so a reader never sees half a report and a failed write keeps the old.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".invgen-report-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
