package generator_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/generator"
)

// ledgerBreak is a break as daily runs observed it, from its first day to
// its last, and when the team resolved it, if it did.
type ledgerBreak struct {
	key, owner, location string
	first, last          string
	value                float64
	resolved             string
}

// The report card counts each event in its own week: a break is created
// in the week of first detection, resolved in the week of resolution, and
// open at the end of each week it was seen past unresolved; overall, by
// owner and by location. Weeks start on Monday: 2026-02-02 and 2026-02-09.
func TestTheReportCardCountsEachEventInItsOwnWeek(t *testing.T) {
	breaks := []ledgerBreak{
		{"A", "o1", "L1", "2026-02-02", "2026-02-14", 100, ""},
		{"B", "o1", "L2", "2026-02-03", "2026-02-10", 50, "2026-02-10"},
		{"C", "o2", "L1", "2026-02-04", "2026-02-05", 30, ""}, // cleared, not resolved
		{"D", "o2", "L2", "2026-02-09", "2026-02-11", 20, "2026-02-11"},
	}
	db := buildLedger(t, breaks, "2026-02-14")

	// week, created, value created, resolved, median days, open value
	require.Equal(t, map[string]string{
		"all/all/2026-02-02":     "3 180 0 - 150",
		"all/all/2026-02-09":     "1 20 2 4.5 100",
		"owner/o1/2026-02-02":    "2 150 0 - 150",
		"owner/o1/2026-02-09":    "0 0 1 7 100",
		"owner/o2/2026-02-02":    "1 30 0 - 0",
		"owner/o2/2026-02-09":    "1 20 1 2 0",
		"location/L1/2026-02-02": "2 130 0 - 100",
		"location/L1/2026-02-09": "0 0 0 - 100",
		"location/L2/2026-02-02": "1 50 0 - 50",
		"location/L2/2026-02-09": "1 20 2 4.5 0",
	}, reportCard(t, db))
}

// buildLedger builds the ledger and its report card over a log of daily
// observations and the team's resolutions.
func buildLedger(t *testing.T, breaks []ledgerBreak, asOf string) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })

	_, err = db.Exec(`create table main.breaks_observed (check_name varchar,
		break_key varchar, sku varchar, location_id varchar, business_date date,
		break_qty double, break_value double, owner varchar, root_cause_hint varchar,
		alert_tier varchar, observed_on date, observed_at timestamp)`)
	require.NoError(t, err)
	resolutions := "break_key,root_cause,resolution,resolved_at\n"
	for _, b := range breaks {
		for day := date(t, b.first); !day.After(date(t, b.last)); day = day.AddDate(0, 0, 1) {
			_, err := db.Exec(`insert into main.breaks_observed values ('erp_wms_parity', ?,
				'S', ?, ?, 1, ?, ?, 'sync lag', 'digest', ?, ?)`, b.key, b.location, b.first,
				b.value, b.owner, day.Format(time.DateOnly), day.Add(6*time.Hour))
			require.NoError(t, err)
		}
		if b.resolved != "" {
			resolutions += b.key + ",fixed,fixed," + b.resolved + "\n"
		}
	}

	files := retail(t).All()
	files[generator.ResolutionsPath] = []byte(resolutions)
	project, err := engine.Load(files)
	require.NoError(t, err)
	require.NoError(t, project.Build(ctx, db, engine.Options{
		Vars:   map[string]any{"invgen_as_of_date": asOf},
		Select: []string{"breaks_ledger", "rpt_breaks_report_card"}}))
	return db
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	require.NoError(t, err)
	return d
}

// reportCard reads the card as dimension/value/week to its measures.
func reportCard(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query(`select dimension, dimension_value, cast(week as varchar),
		breaks_created, value_created, breaks_resolved, median_days_to_resolution, open_value
		from main.rpt_breaks_report_card`)
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var dim, value, week string
		var created, resolved int
		var valueCreated, openValue float64
		var median sql.NullFloat64
		require.NoError(t, rows.Scan(&dim, &value, &week, &created, &valueCreated, &resolved,
			&median, &openValue))
		days := "-"
		if median.Valid {
			days = fmt.Sprint(median.Float64)
		}
		out[dim+"/"+value+"/"+week] = fmt.Sprintf("%d %v %d %s %v", created, valueCreated,
			resolved, days, openValue)
	}
	require.NoError(t, rows.Err())
	return out
}

// Days open count from first detection to the day a break stopped being
// open: its resolution, the last run that saw it when it cleared, or the
// as-of date while runs still see it. A break cleared yesterday does not
// age today.
func TestDaysOpenStopWhenABreakIsResolvedOrCleared(t *testing.T) {
	breaks := []ledgerBreak{
		{"open", "o1", "L1", "2026-02-10", "2026-02-15", 10, ""},
		{"cleared", "o1", "L1", "2026-01-20", "2026-02-14", 10, ""},
		{"resolved", "o1", "L1", "2026-02-01", "2026-02-15", 10, "2026-02-05"},
	}
	db := buildLedger(t, breaks, "2026-02-15")

	rows, err := db.Query("select break_key, status, days_open from main.breaks_ledger")
	require.NoError(t, err)
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var key, status string
		var days int
		require.NoError(t, rows.Scan(&key, &status, &days))
		got[key] = fmt.Sprintf("%s %d", status, days)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, map[string]string{
		"open":     "open 5",
		"cleared":  "cleared 25",
		"resolved": "resolved 4",
	}, got)
}
