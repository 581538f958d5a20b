package runner

import (
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/synth"
)

const csvTime = "2006-01-02 15:04:05"

// runTables writes tables as the CSV files of a data folder, runs the
// retail project on them into a database file and opens it.
func runTables(t *testing.T, tables map[string]*synth.Table, asOf string) *sql.DB {
	t.Helper()
	e, res := retail(t)
	dir := t.TempDir()
	for source, table := range tables {
		f, err := os.Create(filepath.Join(dir, source+".csv"))
		require.NoError(t, err)
		require.NoError(t, table.WriteCSV(f))
		require.NoError(t, f.Close())
	}
	dbPath := filepath.Join(t.TempDir(), "state.duckdb")
	_, err := Run(context.Background(), e, res, Options{DataDir: dir, DB: dbPath, AsOf: asOf})
	require.NoError(t, err)
	db, err := sql.Open("duckdb", dbPath)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// cell reads a table's value by column name.
func cell(t *testing.T, table *synth.Table, row []string, column string) string {
	t.Helper()
	for i, c := range table.Columns {
		if c == column {
			return row[i]
		}
	}
	t.Fatalf("%s has no column %s", table.Source, column)
	return ""
}

func ledgerHint(t *testing.T, db *sql.DB, key string) string {
	t.Helper()
	var hint string
	err := db.QueryRow("select root_cause_hint from main.breaks_ledger where break_key = ?",
		key).Scan(&hint)
	require.NoError(t, err, "no ledger row for %s", key)
	return hint
}

// atpSnapshot is one available-to-promise snapshot, its row in the ATP
// table, and the row of the snapshot before it at its SKU and location.
type atpSnapshot struct {
	sku, location string
	at            time.Time
	qty           float64
	row, previous int
}

// snapshotBeforeAGap finds an ATP snapshot of a given day that has one
// before it and that the next one follows only hours later.
func snapshotBeforeAGap(t *testing.T, atp *synth.Table, day string) atpSnapshot {
	t.Helper()
	bySKULocation := map[string][]atpSnapshot{}
	for i, row := range atp.Rows {
		at, err := time.Parse(csvTime, cell(t, atp, row, "computed_at"))
		require.NoError(t, err)
		s := atpSnapshot{sku: cell(t, atp, row, "sku"),
			location: cell(t, atp, row, "location_id"), at: at, qty: number(t, atp, row), row: i}
		bySKULocation[s.sku+"|"+s.location] = append(bySKULocation[s.sku+"|"+s.location], s)
	}
	keys := make([]string, 0, len(bySKULocation))
	for k := range bySKULocation {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		snaps := bySKULocation[k]
		sort.Slice(snaps, func(i, j int) bool { return snaps[i].at.Before(snaps[j].at) })
		for i := 1; i+1 < len(snaps); i++ {
			s := snaps[i]
			if s.at.Format(time.DateOnly) == day && s.qty > 0 &&
				snaps[i+1].at.Sub(s.at) >= 4*time.Hour {
				s.previous = snaps[i-1].row
				return s
			}
		}
	}
	t.Fatal("no ATP snapshot followed by a gap of hours on " + day)
	return atpSnapshot{}
}

func number(t *testing.T, atp *synth.Table, row []string) float64 {
	t.Helper()
	qty, err := strconv.ParseFloat(cell(t, atp, row, "atp_qty"), 64)
	require.NoError(t, err)
	return qty
}

// neverPromised is a quantity no ATP snapshot ever promised.
func neverPromised(t *testing.T, atp *synth.Table) int {
	t.Helper()
	most := 0.0
	for _, row := range atp.Rows {
		most = math.Max(most, number(t, atp, row))
	}
	return int(most) + 10
}

// show appends a showing of a quantity at a given time after a snapshot
// and returns its break key.
func show(shop *synth.Table, s atpSnapshot, after time.Duration, qty int) string {
	at := s.at.Add(after)
	row := make([]string, len(shop.Columns))
	for i, c := range shop.Columns {
		switch c {
		case "sku":
			row[i] = s.sku
		case "fulfilment_location":
			row[i] = s.location
		case "channel":
			row[i] = "web"
		case "shown_qty":
			row[i] = strconv.Itoa(qty)
		case "shown_at":
			row[i] = at.Format(csvTime)
		case "_loaded_at":
			row[i] = at.Add(time.Minute).Format(csvTime)
		}
	}
	shop.Rows = append(shop.Rows, row)
	return strings.Join([]string{"storefront_honesty", "storefront_availability", s.sku,
		s.location, at.Format(csvTime)}, "|")
}

// An honesty break's hint and owner come from its signature: showing what
// an ATP promised hours ago, not the latest, is a stale cache in the
// storefront; a showing whose latest ATP was older than the availability
// feed's SLA (15 minutes) is a late ATP, for the ATP feed's owner; a
// showing above a fresh ATP that no ATP ever promised is an oversell.
func TestAnHonestyBreaksHintAndOwnerComeFromItsSignature(t *testing.T) {
	e, _ := retail(t)
	w := synth.NewWorld(e, history())
	tables := w.Render()
	atp, shop := tables["erp_atp"], tables["storefront_availability"]
	day := date(t, w.AsOf()).AddDate(0, 0, -1).Format(time.DateOnly)
	s := snapshotBeforeAGap(t, atp, day)

	// The snapshot before promised more than any other: a cache still
	// holding it shows more than the latest ATP.
	cached := neverPromised(t, atp)
	for c, name := range atp.Columns {
		if name == "atp_qty" {
			atp.Rows[s.previous][c] = strconv.Itoa(cached)
		}
	}
	stale := show(shop, s, 10*time.Minute, cached)
	late := show(shop, s, 3*time.Hour, cached+1)
	oversell := show(shop, s, 12*time.Minute, cached+2)
	db := runTables(t, tables, w.AsOf())

	storefront, erp := e.Contract("storefront_availability").Owner, e.Contract("erp_atp").Owner
	require.Equal(t, "stale cache "+storefront, ledgerHintOwner(t, db, stale))
	require.Equal(t, "late ATP "+erp, ledgerHintOwner(t, db, late))
	require.Equal(t, "oversell "+storefront, ledgerHintOwner(t, db, oversell))
	var honesty int
	require.NoError(t, db.QueryRow(`select count(*) from main.breaks_ledger
		where check_name = 'storefront_honesty'`).Scan(&honesty))
	require.Equal(t, 3, honesty, "the clean estate's showings break nothing")
}

func ledgerHintOwner(t *testing.T, db *sql.DB, key string) string {
	t.Helper()
	var hint, owner string
	err := db.QueryRow("select root_cause_hint, owner from main.breaks_ledger "+
		"where break_key = ?", key).Scan(&hint, &owner)
	require.NoError(t, err, "no ledger row for %s", key)
	return hint + " " + owner
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	require.NoError(t, err)
	return d
}

// A retry that delivers a movement again under its own key but with another
// quantity is held in quarantine as a duplicate; when the first delivery
// was the wrong one, conservation breaks that day, and the hint names the
// retry from the duplicate held on that day.
func TestABreakOnADayWithAHeldDuplicateIsARetryDoublePost(t *testing.T) {
	e, _ := retail(t)
	w := synth.NewWorld(e, history())
	tables := w.Render()
	moves := tables["wms_eu_movements"]
	i := midDayReceipt(t, moves, date(t, w.AsOf()).AddDate(0, 0, -10))

	retry := append([]string(nil), moves.Rows[i]...)
	loaded, err := time.Parse(csvTime, cell(t, moves, retry, "_loaded_at"))
	require.NoError(t, err)
	for c, name := range moves.Columns {
		switch name {
		case "qty":
			qty, err := strconv.ParseFloat(retry[c], 64)
			require.NoError(t, err)
			moves.Rows[i][c] = strconv.FormatFloat(qty+3, 'f', -1, 64) // kept: loaded first
		case "_loaded_at":
			retry[c] = loaded.Add(time.Hour).Format(csvTime)
		}
	}
	moves.Rows = append(moves.Rows, retry)
	db := runTables(t, tables, w.AsOf())

	var sku, location, day string
	require.NoError(t, db.QueryRow(`select sku, location_id, cast(business_date as varchar)
		from main.quarantine_wms_eu_movements
		where quarantine_reason = 'duplicate idempotency key' and movement_id = ?`,
		cell(t, moves, retry, "movement_id")).Scan(&sku, &location, &day))
	key := strings.Join([]string{"movement_conservation", "wms", sku, location, day}, "|")
	require.Equal(t, "retry double-post", ledgerHint(t, db, key))

	var qty float64
	require.NoError(t, db.QueryRow("select break_qty from main.breaks_ledger "+
		"where break_key = ?", key).Scan(&qty))
	require.Equal(t, -3.0, qty, "on-hand is three short of the receipt kept")
}

// midDayReceipt finds a receipt booked once, around noon, on a given day:
// far from midnight, so no timezone trap is near it.
func midDayReceipt(t *testing.T, moves *synth.Table, day time.Time) int {
	t.Helper()
	ids := map[string]int{}
	for _, row := range moves.Rows {
		ids[cell(t, moves, row, "movement_id")]++
	}
	for i, row := range moves.Rows {
		at, err := time.Parse(csvTime, cell(t, moves, row, "posted_at"))
		require.NoError(t, err)
		once := ids[cell(t, moves, row, "movement_id")] == 1
		if cell(t, moves, row, "move_type") == "GR" && once &&
			at.Format(time.DateOnly) == day.Format(time.DateOnly) &&
			at.Hour() >= 10 && at.Hour() < 15 {
			return i
		}
	}
	t.Fatalf("no receipt around noon on %s", day.Format(time.DateOnly))
	return 0
}
