package proof

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/generator"
)

// retail builds the retail example's project in a fresh database whose raw
// tables hold exactly the rows the test inserts.
func retail(t *testing.T, inserts ...string) *sql.DB {
	t.Helper()
	return retailOn(t, nil, inserts...)
}

// retailOn is retail with dbt vars, such as the as-of date.
func retailOn(t *testing.T, vars map[string]any, inserts ...string) *sql.DB {
	t.Helper()
	return retailWith(t, nil, vars, inserts...)
}

// retailWith is retailOn with the project settings changed first.
func retailWith(t *testing.T, settings func(*contracts.Project), vars map[string]any,
	inserts ...string) *sql.DB {
	t.Helper()
	ctx := context.Background()
	estate, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	if settings != nil {
		settings(&estate.Project)
	}
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	project, err := engine.Load(res.All())
	require.NoError(t, err)

	db, err := Open("")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, fixtures.CreateRaw(ctx, db, estate))
	for _, stmt := range inserts {
		_, err := db.Exec(stmt)
		require.NoError(t, err, stmt)
	}
	require.NoError(t, project.Build(ctx, db, engine.Options{Vars: vars}))
	return db
}

func rows(t *testing.T, db *sql.DB, query string) [][]string {
	t.Helper()
	r, err := db.Query(query)
	require.NoError(t, err, query)
	defer r.Close()
	cols, err := r.Columns()
	require.NoError(t, err)
	var out [][]string
	for r.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, r.Scan(ptrs...))
		Row := make([]string, len(cols))
		for i, v := range vals {
			Row[i] = text(v)
		}
		out = append(out, Row)
	}
	require.NoError(t, r.Err())
	return out
}

// text renders a scanned value the way the assertions spell it.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	}
	return fmt.Sprint(v)
}

const conversions = `insert into pim.pack_sizes values
	('SKU-1', 'EA', 1), ('SKU-1', 'CS', 12)`

// The Chicago WMS states UTC times, units per row and inverted adjustments.
const usMovements = `insert into wms_us.inventory_transactions values
	(1, 'SKU-1', 'DC-1', 2, 'CS', 'RCV', '2026-01-06 05:30:00', 'b1', '2026-01-06 05:31:00'),
	(2, 'SKU-1', 'DC-1', 3, 'EA', 'CYC', '2026-01-06 12:00:00', 'b1', '2026-01-06 12:01:00'),
	(1, 'SKU-1', 'DC-1', 2, 'CS', 'RCV', '2026-01-06 05:30:00', 'b2', '2026-01-06 06:30:00'),
	(3, 'SKU-1', 'DC-1', 1, 'EA', 'XXX', '2026-01-06 12:00:00', 'b1', '2026-01-06 12:01:00'),
	(4, 'SKU-1', 'DC-1', 1, 'PL', 'RCV', '2026-01-06 12:00:00', 'b1', '2026-01-06 12:01:00'),
	(5, NULL, 'DC-1', 1, 'EA', 'RCV', '2026-01-06 12:00:00', 'b1', '2026-01-06 12:01:00'),
	(6, 'SKU-1', 'DC-1', -4, 'EA', 'SHP', '2026-01-06 12:00:00', 'b1', '2026-01-06 12:01:00'),
	(7, 'SKU-2', 'DC-1', 1, 'CS', 'RCV', '2026-01-06 12:00:00', 'b1', '2026-01-06 12:01:00'),
	(2, 'SKU-1', 'DC-1', 3, 'EA', 'CYC', '2026-01-06 12:00:00', 'b1', '2026-01-06 13:01:00')`

func TestStagingKeepsRowsThatHonourTheContract(t *testing.T) {
	db := retail(t, conversions, usMovements)

	got := rows(t, db, `select movement_id, business_date, event_time, movement_type,
		quantity, uom, on_hand_effect from main.stg_wms_us_movements order by movement_id`)
	require.Equal(t, [][]string{
		// 05:30 UTC is 23:30 the evening before in Chicago; 2 cases of 12.
		{"1", "2026-01-05", "2026-01-05 23:30:00", "receipt", "24", "cases", "24"},
		// An inverted adjustment of 3 is a loss of 3.
		{"2", "2026-01-06", "2026-01-06 06:00:00", "adjustment", "3", "eaches", "-3"},
	}, got)
}

func TestQuarantineHoldsEveryViolationWithItsReason(t *testing.T) {
	db := retail(t, conversions, usMovements)

	got := rows(t, db, `select movement_id, quarantine_reason, quarantined_at
		from main.quarantine_wms_us_movements order by movement_id, quarantined_at`)
	require.Equal(t, [][]string{
		// The second row of key 1 came in another batch: it conflicts. The
		// second row of key 2 is the same row landing again: a replay.
		{"1", "duplicate idempotency key", "2026-01-06 06:30:00"},
		{"2", "exact replay", "2026-01-06 13:01:00"},
		{"3", "unmapped movement_type code", "2026-01-06 12:01:00"},
		{"4", "unmapped uom code", "2026-01-06 12:01:00"},
		{"5", "missing sku", "2026-01-06 12:01:00"},
		{"6", "negative quantity for a directional movement", "2026-01-06 12:01:00"},
		{"7", "no eaches conversion for the sku", "2026-01-06 12:01:00"},
	}, got)

	counts := rows(t, db, `select
		(select count(*) from wms_us.inventory_transactions),
		(select count(*) from main.stg_wms_us_movements),
		(select count(*) from main.quarantine_wms_us_movements)`)
	require.Equal(t, [][]string{{"9", "2", "7"}}, counts, "every raw row is staged or held")
}

// A source without a loaded_at column does not say when a row landed: its
// held rows have a null quarantined_at, which the quarantine SLA neither
// escalates nor trips over, while a row held past the SLA by a source that
// says when it landed escalates, and the ledger builds beside them.
func TestQuarantineAgesOnlyRowsThatSayWhenTheyLanded(t *testing.T) {
	db := retailOn(t, map[string]any{"invgen_as_of_date": "2026-02-01"}, conversions,
		usMovements, `insert into erp.unit_costs values
		('SKU-1', 10, '2026-01-01'), ('SKU-1', 11, '2026-01-01')`)

	held := rows(t, db, `select sku, unit_cost, quarantine_reason, quarantined_at
		from main.quarantine_costs`)
	require.Equal(t, [][]string{{"SKU-1", "11", "duplicate idempotency key", "NULL"}}, held)

	sla := rows(t, db, `select source_name, quarantine_reason, held_rows, status
		from main.mon_quarantine_sla order by quarantine_reason`)
	require.Equal(t, [][]string{
		{"wms_us_movements", "duplicate idempotency key", "1", "alert"},
		{"wms_us_movements", "missing sku", "1", "alert"},
		{"wms_us_movements", "negative quantity for a directional movement", "1", "alert"},
		{"wms_us_movements", "no eaches conversion for the sku", "1", "alert"},
		{"wms_us_movements", "unmapped movement_type code", "1", "alert"},
		{"wms_us_movements", "unmapped uom code", "1", "alert"},
	}, sla)
	require.Equal(t, [][]string{{"0"}}, rows(t, db, `select count(*) from main.breaks_ledger`))
}

// The Berlin WMS states local wall-clock times: half past midnight belongs
// to that Berlin date even though it is the previous day in UTC.
func TestLocalTimesKeepTheirBusinessDate(t *testing.T) {
	db := retail(t, `insert into wms_eu.movements values
		('M1', 'SKU-1', 'DC-BER', 5, 'GI', '2026-01-05 00:30:00', '2026-01-05 00:31:00'),
		('M2', 'SKU-1', 'DC-BER', -2, 'ADJ', '2026-01-05 23:45:00', '2026-01-05 23:46:00')`)

	got := rows(t, db, `select movement_id, business_date, event_time_utc, on_hand_effect
		from main.stg_wms_eu_movements order by movement_id`)
	require.Equal(t, [][]string{
		{"M1", "2026-01-05", "2026-01-04 23:30:00", "-5"},
		{"M2", "2026-01-05", "2026-01-05 22:45:00", "-2"},
	}, got)
}

func TestValidateRunsEveryModelOnSynthesisedData(t *testing.T) {
	estate, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	require.NoError(t, err)

	rep, err := Validate(context.Background(), estate, res.All(), Data{})
	require.NoError(t, err)
	require.True(t, rep.Synthetic)
	require.Equal(t, len(project(t, res.All()).Models), rep.Models)
	require.Len(t, rep.Loaded, len(estate.Contracts))
}

func project(t *testing.T, files map[string][]byte) *engine.Project {
	t.Helper()
	p, err := engine.Load(files)
	require.NoError(t, err)
	require.Greater(t, len(p.Models), 3*12, "staging for 12 sources and the checks")
	return p
}
