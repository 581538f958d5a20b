package runner

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/proof"
	"github.com/invgen/invgen/synth"
)

const exampleData = "../examples/retail/data"

// runExample runs the example's data into a database file and opens it,
// with the ground truth of what was planted in the data.
func runExample(t *testing.T) (*sql.DB, proof.GroundTruth) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(exampleData, "ground_truth.json"))
	require.NoError(t, err)
	var truth proof.GroundTruth
	require.NoError(t, json.Unmarshal(raw, &truth))

	e, res := retail(t)
	dbPath := filepath.Join(t.TempDir(), "state.duckdb")
	_, err = Run(context.Background(), e, res, Options{DataDir: exampleData, DB: dbPath,
		AsOf: truth.AsOf})
	require.NoError(t, err)
	db, err := sql.Open("duckdb", dbPath)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, truth
}

// On the example's data every planted cause reaches the ledger with its
// own hint, and a case-sized on-hand is a uom drift in conservation too:
// its two breaks net to zero over adjacent dates like a timezone split's,
// and the pack size tells them apart.
func TestTheExampleLedgerGivesEachPlantedCauseItsOwnHint(t *testing.T) {
	db, truth := runExample(t)
	hints := ledgerColumn(t, db, "root_cause_hint")

	planted := map[synth.Fault]bool{}
	for _, p := range truth.Injected {
		if key := p.LedgerKey(); key != "" {
			require.Equal(t, proof.Hints[p.Fault], hints[key], "%s at %s", p.Fault, key)
			planted[p.Fault] = true
		}
		if p.Fault != synth.FaultCasesAsEaches {
			continue
		}
		day, err := time.Parse(time.DateOnly, p.Break.Keys["business_date"])
		require.NoError(t, err)
		for _, d := range []time.Time{day, day.AddDate(0, 0, 1)} {
			key := "movement_conservation|wms|" + p.Break.Keys["sku"] + "|" +
				p.Break.Keys["location_id"] + "|" + d.Format(time.DateOnly)
			require.Equal(t, "uom drift", hints[key], key)
		}
	}
	require.Len(t, planted, len(proof.Hints), "the example plants every culprit")

	var splits, sides int
	for _, p := range truth.Injected {
		if p.Fault == synth.FaultTimezoneSplit {
			sides += 2
		}
	}
	require.NoError(t, db.QueryRow(`select count(*) from main.breaks_ledger
		where root_cause_hint = 'timezone split'`).Scan(&splits))
	require.Positive(t, sides)
	require.Equal(t, sides, splits, "each planted split: one break each side of midnight")
}

// A break's owner follows the data: the owner of the feed its signature
// blames, at its SKU-location.
func TestTheExampleLedgerOwnsEachBreakByTheFeedItBlames(t *testing.T) {
	db, _ := runExample(t)
	e, _ := retail(t)
	owner := func(source string) string { return e.Contract(source).Owner }

	// want counts breaks of a kind, and those of another owner.
	want := func(what, kind, who string) {
		t.Helper()
		var all, others int
		require.NoError(t, db.QueryRow(`select count(*),
			count(case when owner <> ? then 1 end)
			from main.breaks_ledger where `+kind, who).Scan(&all, &others))
		require.Positive(t, all, what)
		require.Zero(t, others, what)
	}
	want("parity breaks of the frozen ERP", `check_name = 'erp_wms_parity'
		and root_cause_hint = 'sync death'`, owner("erp_onhand"))
	want("parity breaks of a case-sized WMS on-hand", `check_name = 'erp_wms_parity'
		and root_cause_hint = 'uom drift'`, owner("wms_positions"))
	want("conservation breaks of a case-sized on-hand", `check_name = 'movement_conservation'
		and root_cause_hint = 'uom drift'`, owner("wms_positions"))
	want("conservation breaks at the locations the US WMS books",
		`check_name = 'movement_conservation'
		and root_cause_hint not in ('uom drift', 'sync death')
		and location_id in (select location_id from main.stg_wms_us_movements)`,
		owner("wms_us_movements"))
	want("conservation breaks at the locations the EU WMS books",
		`check_name = 'movement_conservation'
		and root_cause_hint not in ('uom drift', 'sync death')
		and location_id in (select location_id from main.stg_wms_eu_movements)`,
		owner("wms_eu_movements"))
	want("stale storefront caches", "root_cause_hint = 'stale cache'",
		owner("storefront_availability"))
	want("refunds in limbo", "check_name = 'returns_closure'", owner("dispositions"))
	want("days short of the control total", "check_name = 'control_totals'",
		owner("wms_eu_movements"))

	var owners []string
	rows, err := db.Query(`select distinct dimension_value from main.rpt_breaks_report_card
		where dimension = 'owner' order by 1`)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var o string
		require.NoError(t, rows.Scan(&o))
		owners = append(owners, o)
	}
	require.Equal(t, []string{"jane.doe@retailer.example", "luis.ortega@retailer.example",
		"maria.keller@retailer.example", "priya.nair@retailer.example"}, owners,
		"the report card asks everyone whose feed breaks")
}

// ledgerColumn reads one column of the ledger by break key.
func ledgerColumn(t *testing.T, db *sql.DB, column string) map[string]string {
	t.Helper()
	rows, err := db.Query("select break_key, " + column + " from main.breaks_ledger")
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var key, v string
		require.NoError(t, rows.Scan(&key, &v))
		out[key] = v
	}
	require.NoError(t, rows.Err())
	return out
}
