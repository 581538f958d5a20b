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
// observations, one run a day at 06:00, and the team's resolutions.
func buildLedger(t *testing.T, breaks []ledgerBreak, asOf string) *sql.DB {
	t.Helper()
	log := newLedgerLog(t)
	days := map[string]bool{}
	resolutions := ""
	for _, b := range breaks {
		for day := date(t, b.first); !day.After(date(t, b.last)); day = day.AddDate(0, 0, 1) {
			log.observe(b, day.Format(time.DateOnly), day.Add(6*time.Hour))
			days[day.Format(time.DateOnly)] = true
		}
		if b.resolved != "" {
			resolutions += b.key + ",fixed,fixed," + b.resolved + "\n"
		}
	}
	for day := range days {
		log.run(day, date(t, day).Add(6*time.Hour))
	}
	log.build(asOf, resolutions)
	return log.db
}

// ledgerLog is the ledger's history as runs left it: what each observed,
// and each run.
type ledgerLog struct {
	t  *testing.T
	db *sql.DB
}

func newLedgerLog(t *testing.T) *ledgerLog {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })

	_, err = db.Exec(`create table main.breaks_observed (check_name varchar,
		break_key varchar, sku varchar, location_id varchar, business_date date,
		break_qty double, break_value double, owner varchar, root_cause_hint varchar,
		alert_tier varchar, observed_on date, observed_at timestamp)`)
	require.NoError(t, err)
	_, err = db.Exec(`create table main.breaks_runs (observed_on date, observed_at timestamp)`)
	require.NoError(t, err)
	return &ledgerLog{t: t, db: db}
}

// observe logs a break as the run of day started at stamp saw it.
func (l *ledgerLog) observe(b ledgerBreak, day string, stamp time.Time) {
	l.t.Helper()
	_, err := l.db.Exec(`insert into main.breaks_observed values ('erp_wms_parity', ?,
		'S', ?, ?, 1, ?, ?, 'sync lag', 'digest', ?, ?)`, b.key, b.location, b.first,
		b.value, b.owner, day, stamp)
	require.NoError(l.t, err)
}

// run logs a run of day that started at stamp.
func (l *ledgerLog) run(day string, stamp time.Time) {
	l.t.Helper()
	_, err := l.db.Exec(`insert into main.breaks_runs values (?, ?)`, day, stamp)
	require.NoError(l.t, err)
}

// build builds the ledger and report card as of a date, with resolutions
// as the seed's rows.
func (l *ledgerLog) build(asOf, resolutions string) {
	l.t.Helper()
	files := retail(l.t).All()
	files[generator.ResolutionsPath] = []byte("break_key,root_cause,resolution," +
		"resolved_at\n" + resolutions)
	project, err := engine.Load(files)
	require.NoError(l.t, err)
	require.NoError(l.t, project.Build(context.Background(), l.db, engine.Options{
		Vars:   map[string]any{"invgen_as_of_date": asOf},
		Select: []string{"breaks_ledger", "rpt_breaks_report_card"}}))
}

// ledger reads each break's status, first and last sighting and days open.
func (l *ledgerLog) ledger() map[string]string {
	l.t.Helper()
	rows, err := l.db.Query(`select break_key, status, cast(first_detected as varchar),
		cast(last_seen as varchar), days_open from main.breaks_ledger`)
	require.NoError(l.t, err)
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var key, status, first, last string
		var days int
		require.NoError(l.t, rows.Scan(&key, &status, &first, &last, &days))
		got[key] = fmt.Sprintf("%s %s..%s %d", status, first, last, days)
	}
	require.NoError(l.t, rows.Err())
	return got
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
// age today; one seen again after its resolution is reopened and ages until
// the as-of date.
func TestDaysOpenStopWhenABreakIsResolvedOrCleared(t *testing.T) {
	breaks := []ledgerBreak{
		{"open", "o1", "L1", "2026-02-10", "2026-02-15", 10, ""},
		{"cleared", "o1", "L1", "2026-01-20", "2026-02-14", 10, ""},
		{"resolved", "o1", "L1", "2026-02-01", "2026-02-05", 10, "2026-02-05"},
		{"reopened", "o1", "L1", "2026-02-01", "2026-02-15", 10, "2026-02-05"},
		{"reopened then cleared", "o1", "L1", "2026-02-01", "2026-02-12", 10, "2026-02-05"},
	}
	log := &ledgerLog{t: t, db: buildLedger(t, breaks, "2026-02-15")}
	require.Equal(t, map[string]string{
		"open":                  "open 2026-02-10..2026-02-15 5",
		"cleared":               "cleared 2026-01-20..2026-02-14 25",
		"resolved":              "resolved 2026-02-01..2026-02-05 4",
		"reopened":              "reopened 2026-02-01..2026-02-15 14",
		"reopened then cleared": "cleared 2026-02-01..2026-02-12 11",
	}, log.ledger())
}
