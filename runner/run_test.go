package runner

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/proof"
	"github.com/invgen/invgen/synth"
)

func retail(t *testing.T) (*contracts.Estate, *generator.Result) {
	t.Helper()
	e, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(e, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	return e, res
}

// writeData renders a world into a folder of CSV files, one per source.
func writeData(t *testing.T, w *synth.World) string {
	t.Helper()
	dir := t.TempDir()
	for source, table := range w.Render() {
		f, err := os.Create(filepath.Join(dir, source+".csv"))
		require.NoError(t, err)
		require.NoError(t, table.WriteCSV(f))
		require.NoError(t, f.Close())
	}
	return dir
}

func history() synth.Params {
	p := synth.DefaultParams()
	p.Days = 40
	return p
}

func TestACleanEstateRaisesNoPageOrTicket(t *testing.T) {
	e, res := retail(t)
	w := synth.NewWorld(e, history())
	rep, err := Run(context.Background(), e, res, Options{DataDir: writeData(t, w),
		AsOf: w.AsOf()})
	require.NoError(t, err)
	require.False(t, rep.Paging())
	for _, a := range rep.Alerts {
		require.Equal(t, "digest", a.Tier, a.Test)
	}
	require.Equal(t, w.AsOf(), rep.AsOf)
	require.Greater(t, rep.Models, 60)
	require.Empty(t, rep.TopLocations, "no open breaks")
}

func TestCulpritsRaisePagesAndTicketsWithLineageAndValue(t *testing.T) {
	e, res := retail(t)
	w := synth.NewWorld(e, history())
	proof.InjectCulprits(w, res)
	rep, err := Run(context.Background(), e, res, Options{DataDir: writeData(t, w),
		AsOf: w.AsOf()})
	require.NoError(t, err)
	require.True(t, rep.Paging())

	byTest := map[string]Alert{}
	for _, a := range rep.Alerts {
		byTest[a.Test] = a
	}
	page := byTest["rec_storefront_honesty__page"]
	require.Equal(t, "page", page.Tier)
	require.Equal(t, "fail", page.Status)
	require.NotNil(t, page.Value)
	require.Positive(t, *page.Value)
	require.Equal(t, "storefront_honesty", page.Lineage.Check)
	require.Equal(t, []string{"int_availability_against_atp"}, page.Lineage.Intermediate)
	require.Equal(t, []string{"stg_storefront_availability", "stg_erp_atp"}, page.Lineage.Staging)
	require.Equal(t, []string{"examples/retail/storefront_availability.yml",
		"examples/retail/erp_atp.yml"}, page.Lineage.Contracts)
	require.Equal(t, []string{"priya.nair@retailer.example", "maria.keller@retailer.example"},
		page.Lineage.Owners)
	require.Equal(t, "main.quarantine_storefront_availability",
		page.Lineage.Quarantine[0].Relation)

	control := byTest["rec_control_totals__digest"]
	require.Equal(t, []string{"wms_eu_movements.movements",
		"wms_eu_control_totals.export_control"}, control.Lineage.Sources,
		"a control total break leads to the feed that fell short and to its control")
	require.Equal(t, []string{"examples/retail/wms_eu_movements.yml",
		"examples/retail/wms_eu_control_totals.yml"}, control.Lineage.Contracts)

	accuracy := byTest["rpt_inventory_record_accuracy__below_target"]
	require.Equal(t, []string{"wms_cycle_counts.cycle_counts", "wms_positions.stock_snapshot"},
		accuracy.Lineage.Sources, "counts lead to the stock record they were compared with")

	sla := byTest["mon_quarantine_sla__alert"]
	require.Equal(t, "ticket", sla.Tier)
	require.Equal(t, []string{"wms_eu_movements.movements"}, sla.Lineage.Sources,
		"a monitor's lineage leads to the source its failing rows name")

	require.Equal(t, "page", rep.Alerts[0].Tier, "pages first")
	require.NotEmpty(t, rep.TopLocations)
	for i := 1; i < len(rep.TopLocations); i++ {
		require.GreaterOrEqual(t, rep.TopLocations[i-1].Value, rep.TopLocations[i].Value)
	}
}

func count(t *testing.T, path, query string) int {
	t.Helper()
	db, err := sql.Open("duckdb", path)
	require.NoError(t, err)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRow(query).Scan(&n))
	return n
}

// Running daily against one database accumulates the ledger: a break seen
// on both days keeps the date it was first detected.
func TestDailyRunsAccumulateTheLedger(t *testing.T) {
	e, res := retail(t)
	dbPath := filepath.Join(t.TempDir(), "state.duckdb")
	w := synth.NewWorld(e, history())
	proof.InjectCulprits(w, res)
	data := writeData(t, w)

	ctx := context.Background()
	_, err := Run(ctx, e, res, Options{DataDir: data, DB: dbPath, AsOf: "2026-02-13"})
	require.NoError(t, err)
	_, err = Run(ctx, e, res, Options{DataDir: data, DB: dbPath, AsOf: "2026-02-14"})
	require.NoError(t, err)

	require.Equal(t, 2, count(t, dbPath,
		"select count(distinct observed_on) from main.breaks_observed"))
	open := count(t, dbPath, `select count(*) from main.breaks_ledger
		where first_detected = date '2026-02-13' and last_seen = date '2026-02-14'
		and status = 'open' and days_open = 1`)
	require.Positive(t, open)
	ledger := count(t, dbPath, "select count(*) from main.breaks_ledger")

	// A rerun of a date appends its observations under its own stamp and
	// replaces that date's in effect; a rerun of an earlier date judges it.
	_, err = Run(ctx, e, res, Options{DataDir: data, DB: dbPath, AsOf: "2026-02-14"})
	require.NoError(t, err)
	require.Equal(t, 2, count(t, dbPath, `select count(distinct observed_at)
		from main.breaks_observed where observed_on = date '2026-02-14'`))
	require.Equal(t, ledger, count(t, dbPath, "select count(*) from main.breaks_ledger"))
	require.Equal(t, open, count(t, dbPath, `select count(*) from main.breaks_ledger
		where first_detected = date '2026-02-13' and status = 'open' and days_open = 1`))

	_, err = Run(ctx, e, res, Options{DataDir: data, DB: dbPath, AsOf: "2026-02-13"})
	require.NoError(t, err)
	require.Zero(t, count(t, dbPath, `select count(*) from main.breaks_ledger
		where days_open < 0 or last_seen > date '2026-02-13' or status <> 'open'`))
	require.Equal(t, 4, count(t, dbPath, "select count(*) from main.breaks_runs"))
}

// A bad data file is reported with its file, row and column, and the
// database is left as it was: no half-loaded run is ever kept.
func TestABadDataFileLeavesTheDatabaseAsItWas(t *testing.T) {
	e, res := retail(t)
	dbPath := filepath.Join(t.TempDir(), "state.duckdb")
	w := synth.NewWorld(e, history())
	data := writeData(t, w)
	ctx := context.Background()
	_, err := Run(ctx, e, res, Options{DataDir: data, DB: dbPath, AsOf: w.AsOf()})
	require.NoError(t, err)
	before := count(t, dbPath, "select count(*) from main.breaks_observed") +
		count(t, dbPath, "select count(*) from duckdb_tables()")

	costs := filepath.Join(data, "costs.csv")
	require.NoError(t, os.WriteFile(costs, []byte("sku,unit_cost,valid_from\n"+
		"SKU-0001,12.50,2025-12-01\nSKU-0002,twelve,2025-12-01\n"), 0o644))
	require.NoError(t, os.Remove(filepath.Join(data, "locations.csv")))
	_, err = Run(ctx, e, res, Options{DataDir: data, DB: dbPath, AsOf: "2026-02-15"})
	var de *fixtures.DataError
	require.ErrorAs(t, err, &de)
	require.Contains(t, err.Error(), "no data for source locations")

	writeLocations(t, data, w)
	_, err = Run(ctx, e, res, Options{DataDir: data, DB: dbPath, AsOf: "2026-02-15"})
	require.ErrorAs(t, err, &de)
	require.Contains(t, err.Error(), costs+`:3:2: column unit_cost: "twelve" is not a valid`)

	after := count(t, dbPath, "select count(*) from main.breaks_observed") +
		count(t, dbPath, "select count(*) from duckdb_tables()")
	require.Equal(t, before, after)
	require.Zero(t, count(t, dbPath, "select count(*) from main.breaks_observed "+
		"where observed_on = date '2026-02-15'"))
}

// A first run that fails leaves no database file behind: the next run
// would take an empty file for the state a run kept.
func TestAFailedFirstRunLeavesNoDatabaseFile(t *testing.T) {
	e, res := retail(t)
	dbPath := filepath.Join(t.TempDir(), "state.duckdb")
	data := writeData(t, synth.NewWorld(e, history()))
	require.NoError(t, os.WriteFile(filepath.Join(data, "costs.csv"),
		[]byte("sku,unit_cost,valid_from\nSKU-0001,twelve,2025-12-01\n"), 0o644))

	_, err := Run(context.Background(), e, res, Options{DataDir: data, DB: dbPath,
		AsOf: "2026-02-14"})
	var de *fixtures.DataError
	require.ErrorAs(t, err, &de)
	require.NoFileExists(t, dbPath)
	require.NoFileExists(t, dbPath+".wal")
}

func writeLocations(t *testing.T, dir string, w *synth.World) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "locations.csv"))
	require.NoError(t, err)
	require.NoError(t, w.Render()["locations"].WriteCSV(f))
	require.NoError(t, f.Close())
}

// Each planted culprit reaches the ledger with the root-cause hint its
// signature calls for.
func TestTheLedgerHintsEachCulpritsRootCause(t *testing.T) {
	e, res := retail(t)
	w := synth.NewWorld(e, history())
	planted := proof.InjectCulprits(w, res)
	dbPath := filepath.Join(t.TempDir(), "state.duckdb")
	_, err := Run(context.Background(), e, res, Options{DataDir: writeData(t, w), DB: dbPath,
		AsOf: w.AsOf()})
	require.NoError(t, err)

	db, err := sql.Open("duckdb", dbPath)
	require.NoError(t, err)
	defer db.Close()
	hint := func(key string) string {
		var h string
		err := db.QueryRow("select root_cause_hint from main.breaks_ledger where break_key = ?",
			key).Scan(&h)
		require.NoError(t, err, "no ledger row for %s", key)
		return h
	}
	seen := map[synth.Fault]bool{}
	for _, p := range planted {
		if key := p.LedgerKey(); key != "" {
			require.Equal(t, proof.Hints[p.Fault], hint(key), "%s", p.Fault)
			seen[p.Fault] = true
		}
	}
	require.Len(t, seen, len(proof.Hints), "every culprit with a hint was planted")

	var frozen int
	require.NoError(t, db.QueryRow(`select count(*) from main.breaks_ledger
		where check_name = 'erp_wms_parity' and root_cause_hint = 'sync death'`).Scan(&frozen))
	require.Positive(t, frozen, "parity breaks on the frozen SKU-location are sync death")
}
