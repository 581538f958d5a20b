package report

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// The tables the page reads, all in schema main.
const (
	ledgerTable     = "breaks_ledger"
	reportCardTable = "rpt_breaks_report_card"
	accuracyTable   = "rpt_inventory_record_accuracy"
	monitorPrefix   = "mon_"
)

// tierOrder is the order an on-call reads tiers in; statusOrder, the order
// a break goes through.
var (
	tierOrder   = []string{"page", "ticket", "digest"}
	statusOrder = []string{"open", "reopened", "cleared", "resolved"}
)

// runsTable records every run that stored its observations: the page is
// as of the date the latest of them judged, which is what the ledger it
// rebuilt holds, even when that run replayed an earlier date.
const runsTable = "breaks_runs"

// Read gathers the page's data from a run's database. Tables the estate
// does not produce are left out of Data rather than reported as errors.
func Read(ctx context.Context, db *sql.DB) (*Data, error) {
	tables, err := mainTables(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("listing tables: %w", err)
	}
	d := &Data{}
	if tables[runsTable] {
		if d.AsOf, err = latestRun(ctx, db); err != nil {
			return nil, fmt.Errorf("reading main.%s: %w", runsTable, err)
		}
	}
	if tables[ledgerTable] {
		if d.Ledger, err = readLedger(ctx, db); err != nil {
			return nil, fmt.Errorf("reading main.%s: %w", ledgerTable, err)
		}
	}
	if d.HasReportCard = tables[reportCardTable]; d.HasReportCard {
		if d.Weeks, err = readWeeks(ctx, db); err != nil {
			return nil, fmt.Errorf("reading main.%s: %w", reportCardTable, err)
		}
	}
	if d.HasAccuracy = tables[accuracyTable]; d.HasAccuracy {
		if d.Accuracy, err = readAccuracy(ctx, db); err != nil {
			return nil, fmt.Errorf("reading main.%s: %w", accuracyTable, err)
		}
	}
	if d.Monitors, err = readMonitors(ctx, db, tables); err != nil {
		return nil, err
	}
	return d, nil
}

// mainTables lists the tables and views of schema main.
func mainTables(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	names, err := queryStrings(ctx, db, `select table_name from information_schema.tables
		where table_schema = 'main' and table_catalog = current_database()`)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out, nil
}

// latestRun reads the date the latest run judged; "" when there is none.
func latestRun(ctx context.Context, db *sql.DB) (string, error) {
	var date string
	err := db.QueryRowContext(ctx, "select coalesce(max_by(cast(observed_on as varchar), "+
		"observed_at), '') from main."+runsTable).Scan(&date)
	return date, err
}

func readLedger(ctx context.Context, db *sql.DB) (*Ledger, error) {
	l := &Ledger{Open: Amount{Label: "open"}}
	statuses, err := amounts(ctx, db, "status", "", "order by 1", 0)
	if err != nil {
		return nil, err
	}
	l.Statuses = ordered(statuses, statusOrder, false)
	for _, s := range l.Statuses {
		l.Unvalued += s.Unvalued
	}

	open := "where status in ('open', 'reopened')"
	tiers, err := amounts(ctx, db, "alert_tier", open, "order by 1", 0)
	if err != nil {
		return nil, err
	}
	l.Tiers = ordered(tiers, tierOrder, true)
	for _, t := range l.Tiers {
		l.Open.Breaks += t.Breaks
		l.Open.Value += t.Value
		l.Open.Unvalued += t.Unvalued
	}

	byValue := "order by 3 desc nulls last, 2 desc, 1"
	if l.ByCheck, err = amounts(ctx, db, "check_name", open, byValue, 0); err != nil {
		return nil, err
	}
	l.ByLocation, err = amounts(ctx, db, "location_id", open+" and location_id is not null",
		byValue, 10)
	return l, err
}

// amounts counts breaks and sums their absolute value per value of column,
// counting apart the breaks that have no value. The sum runs on the
// ledger's decimals before the cast, so it is exact and the same on every
// run whatever the parallelism.
func amounts(ctx context.Context, db *sql.DB, column, where, order string,
	limit int) ([]Amount, error) {
	q := fmt.Sprintf(`select coalesce(cast(%s as varchar), '(none)'), count(*),
		cast(sum(abs(break_value)) as double), count(*) - count(break_value)
		from main.breaks_ledger %s group by 1 %s`, column, where, order)
	if limit > 0 {
		q += fmt.Sprintf(" limit %d", limit)
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Amount
	for rows.Next() {
		var a Amount
		var value sql.NullFloat64
		if err := rows.Scan(&a.Label, &a.Breaks, &value, &a.Unvalued); err != nil {
			return nil, err
		}
		a.Value = value.Float64 // null only when no break has a value: Unvalued says so
		out = append(out, a)
	}
	return out, rows.Err()
}

// ordered puts the known labels first in their order, then the others as
// found. With all, every known label is there even when it counts nothing,
// so the header always shows page, ticket and digest.
func ordered(found []Amount, known []string, all bool) []Amount {
	var out []Amount
	for _, name := range known {
		i := slices.IndexFunc(found, func(f Amount) bool { return f.Label == name })
		switch {
		case i >= 0:
			out = append(out, found[i])
		case all:
			out = append(out, Amount{Label: name})
		}
	}
	for _, f := range found {
		if !slices.Contains(known, f.Label) {
			out = append(out, f)
		}
	}
	return out
}

func readWeeks(ctx context.Context, db *sql.DB) ([]Week, error) {
	// A null value is a sum over breaks none of which has a value: unknown,
	// not zero. The report card writes 0 where nothing was created or open.
	rows, err := db.QueryContext(ctx, `select cast(week as varchar),
		coalesce(cast(breaks_created as bigint), 0),
		cast(value_created as double),
		coalesce(cast(breaks_resolved as bigint), 0),
		cast(median_days_to_resolution as double),
		cast(open_value as double)
		from main.rpt_breaks_report_card
		where dimension = 'all' and week is not null
		order by week`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Week
	for rows.Next() {
		var w Week
		var created, median, open sql.NullFloat64
		err := rows.Scan(&w.Week, &w.Created, &created, &w.Resolved, &median, &open)
		if err != nil {
			return nil, err
		}
		w.ValueCreated, w.HasValueCreated = created.Float64, created.Valid
		w.MedianDays, w.HasMedianDays = median.Float64, median.Valid
		w.OpenValue, w.HasOpenValue = open.Float64, open.Valid
		out = append(out, w)
	}
	return out, rows.Err()
}

func readAccuracy(ctx context.Context, db *sql.DB) ([]ClassAccuracy, error) {
	rows, err := db.QueryContext(ctx, `select coalesce(location_class, '(none)'),
		coalesce(cast(counted as bigint), 0), coalesce(cast(accurate_counts as bigint), 0),
		cast(record_accuracy as double), cast(target as double),
		coalesce(meets_target, false), coalesce(status, '')
		from main.rpt_inventory_record_accuracy
		order by location_class = 'all', location_class`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ClassAccuracy
	for rows.Next() {
		var c ClassAccuracy
		var acc, target sql.NullFloat64
		err := rows.Scan(&c.Class, &c.Counted, &c.Accurate, &acc, &target, &c.MeetsTarget,
			&c.Status)
		if err != nil {
			return nil, err
		}
		c.Accuracy, c.HasAccuracy = acc.Float64, acc.Valid
		c.Target, c.HasTarget = target.Float64, target.Valid
		out = append(out, c)
	}
	return out, rows.Err()
}

func queryStrings(ctx context.Context, db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// quoteIdent quotes a name read from the catalog for use in SQL.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
