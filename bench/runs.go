package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/duckconn"
	"github.com/invgen/invgen/fixtures"
)

// runSize is one estate of the run benchmark: about a million movements
// per 100 SKUs at 25 locations over 100 days, with one ATP snapshot and one
// storefront showing per SKU-location and day.
func runSize(millions int) Estate {
	return Estate{SKUs: 100 * millions, Locations: 25, Days: 100, Seed: 1}
}

// runResult is what one run size measured.
type runResult struct {
	movements int64
	simulate  Measured
	run       Measured
	fileScan  time.Duration // the movement files read once and aggregated
	tableScan time.Duration // the loaded movement tables aggregated
	dbt       *Measured     // dbt-duckdb building the same project; nil without dbt
}

// runs measures `invgen run` on simulated estates of each size against a
// single aggregate scan of the same movements in the same DuckDB, and
// against dbt-duckdb building the same project on the same data. Target:
// the run under three times the scan of the movement files.
func (h *Harness) runs(ctx context.Context) (int, error) {
	var rows [][]string
	missed := 0
	for _, m := range h.Millions {
		r, err := h.measureRun(ctx, m)
		if err != nil {
			return 0, err
		}
		ratio := r.run.Wall.Seconds() / r.fileScan.Seconds()
		if ratio >= 3 {
			missed++
		}
		rows = append(rows, []string{fmt.Sprintf("%.1f million", float64(r.movements)/1e6),
			seconds(r.run.Wall), mib(r.run), seconds(r.fileScan), fmt.Sprintf("%.1f×", ratio),
			seconds(r.tableScan), dbtCell(r.dbt), seconds(r.simulate.Wall) + ", " +
				mib(r.simulate)})
	}
	fmt.Fprintln(h.out, "invgen run (load every feed, build every model, run every test, "+
		"on a DuckDB file) against one aggregate scan of the movements in the same DuckDB, "+
		"and dbt-duckdb building the same project from scratch on a DuckDB file holding "+
		"only the raw tables, loaded beforehand:")
	fmt.Fprintln(h.out)
	table(h.out, []string{"movements", "invgen run", "run memory", "scan of the files",
		"run / scan", "scan of the loaded tables", "dbt-duckdb build", "simulate"}, rows)
	return h.verdict("invgen run under 3× the scan of the movement files", missed == 0,
		fmt.Sprintf("%d of %d sizes missed", missed, len(h.Millions))), nil
}

func dbtCell(m *Measured) string {
	if m == nil {
		return "not measured"
	}
	return fmt.Sprintf("%s, %s", seconds(m.Wall), mib(*m))
}

func (h *Harness) measureRun(ctx context.Context, millions int) (runResult, error) {
	var r runResult
	size := runSize(millions)
	dir := filepath.Join(h.Work, fmt.Sprintf("run-%dm", millions))
	data, db := filepath.Join(dir, "data"), filepath.Join(dir, "state.duckdb")
	if err := os.RemoveAll(dir); err != nil {
		return r, err
	}

	h.progress("run: simulating %d million movements", millions)
	args := append([]string{"simulate", h.path(h.Example), "--out", data, "--culprits",
		"--snapshots-per-day", "1"}, size.flags()...)
	var err error
	if r.simulate, err = ExecWant(ctx, []int{0}, h.bin, args...); err != nil {
		return r, err
	}
	truth, err := readTruth(filepath.Join(data, "ground_truth.json"))
	if err != nil {
		return r, err
	}

	h.progress("run: invgen run")
	r.run, err = ExecWant(ctx, []int{0, 1}, h.bin, "run", h.path(h.Example), "--data", data,
		"--db", db, "--as-of", truth.AsOf)
	if err != nil {
		return r, err
	}
	if err := h.scanInChild(ctx, data, db, &r); err != nil {
		return r, err
	}
	r.dbt, err = h.dbtBuild(ctx, dir, data, truth.AsOf)
	return r, err
}

// scanCommand is the harness's child that times the scans, in a process of
// its own so that DuckDB's memory does not count towards the next
// measurement.
const scanCommand = "scan"

func (h *Harness) scanInChild(ctx context.Context, data, db string, r *runResult) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	m, err := ExecWant(ctx, []int{0}, self, scanCommand, h.path(h.Example), data, db)
	if err != nil {
		return err
	}
	var file, table int64
	if _, err := fmt.Sscan(m.Stdout, &r.movements, &file, &table); err != nil {
		return fmt.Errorf("reading the scan's figures %q: %w", m.Stdout, err)
	}
	r.fileScan, r.tableScan = time.Duration(file), time.Duration(table)
	return nil
}

// scanMain is the scan child: it prints the movements counted and the
// nanoseconds of each scan.
func scanMain(args []string, stdout, stderr io.Writer) int {
	if len(args) != 3 {
		fmt.Fprintln(stderr, "usage: invgen-bench scan ESTATE DATA DB")
		return 2
	}
	e, err := contracts.Load(os.DirFS(args[0]), args[0])
	if err == nil {
		var r runResult
		if err = scans(context.Background(), e, args[1], args[2], &r); err == nil {
			fmt.Fprintln(stdout, r.movements, int64(r.fileScan), int64(r.tableScan))
			return 0
		}
	}
	fmt.Fprintln(stderr, "invgen-bench scan:", err)
	return 5
}

// scans times one aggregate of every movement feed, read from its file and
// from the table the run loaded, in the run's own database.
func scans(ctx context.Context, e *contracts.Estate, data, dbPath string,
	r *runResult) error {
	db, err := duckconn.Open(dbPath + "?access_mode=read_only")
	if err != nil {
		return err
	}
	defer db.Close()
	var files, tables []string
	for _, con := range e.ByFeed(contracts.FeedMovements) {
		col, _ := con.Column(contracts.RoleQuantity)
		sum := "sum(cast(" + strconv.Quote(col.Name) + " as double))"
		path, err := fixtures.Find(data, con.Source)
		if err != nil {
			return err
		}
		files = append(files, "select count(*) as n, "+sum+" as q from read_csv("+
			"'"+path+"', all_varchar = true)")
		tables = append(tables, "select count(*) as n, "+sum+" as q from "+
			fixtures.Relation(con))
	}
	if r.fileScan, r.movements, err = timeScan(ctx, db, files); err != nil {
		return err
	}
	r.tableScan, _, err = timeScan(ctx, db, tables)
	return err
}

// timeScan runs the aggregate three times and keeps the fastest, the scan at
// its best, so that the ratio against it is not flattered.
func timeScan(ctx context.Context, db *sql.DB, parts []string) (time.Duration, int64, error) {
	query := "select sum(n), sum(q) from (" + strings.Join(parts, " union all ") + ")"
	best := time.Duration(0)
	var n int64
	for i := 0; i < 3; i++ {
		var q float64
		start := time.Now()
		if err := db.QueryRowContext(ctx, query).Scan(&n, &q); err != nil {
			return 0, 0, err
		}
		if d := time.Since(start); best == 0 || d < best {
			best = d
		}
	}
	return best, n, nil
}
