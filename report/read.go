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

// tierOrder is the order an on-call reads tiers in.
var tierOrder = []string{"page", "ticket", "digest"}

// Read gathers the page's data from a run's database. Tables the estate
// does not produce are left out of Data rather than reported as errors.
func Read(ctx context.Context, db *sql.DB) (*Data, error) {
	tables, err := mainTables(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("listing tables: %w", err)
	}
	d := &Data{}
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

func readLedger(ctx context.Context, db *sql.DB) (*Ledger, error) {
	l := &Ledger{}
	err := db.QueryRowContext(ctx, `select coalesce(cast(max(last_seen) as varchar), '')
		from main.breaks_ledger`).Scan(&l.AsOf)
	if err != nil {
		return nil, err
	}
	if l.Statuses, err = amounts(ctx, db, "status", "", "order by 1", 0); err != nil {
		return nil, err
	}
	open := "where status in ('open', 'reopened')"
	tiers, err := amounts(ctx, db, "alert_tier", open, "order by 1", 0)
	if err != nil {
		return nil, err
	}
	l.Tiers = orderTiers(tiers)
	for _, t := range l.Tiers {
		l.OpenBreaks += t.Breaks
		l.OpenValue += t.Value
	}
	if l.ByCheck, err = amounts(ctx, db, "check_name", open, "order by 3 desc, 1", 0); err != nil {
		return nil, err
	}
	l.ByLocation, err = amounts(ctx, db, "location_id", open+" and location_id is not null",
		"order by 3 desc, 1", 10)
	return l, err
}

// amounts counts breaks and sums their absolute value per value of column.
// The sum runs on the ledger's decimals before the cast, so it is exact and
// the same on every run whatever the parallelism.
func amounts(ctx context.Context, db *sql.DB, column, where, order string,
	limit int) ([]Amount, error) {
	q := fmt.Sprintf(`select coalesce(cast(%s as varchar), '(none)'), count(*),
		coalesce(cast(sum(abs(break_value)) as double), 0)
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
		if err := rows.Scan(&a.Label, &a.Breaks, &a.Value); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// orderTiers puts the known tiers first, each present even when empty, so
// the header always shows page, ticket and digest.
func orderTiers(found []Amount) []Amount {
	var out []Amount
	for _, name := range tierOrder {
		a := Amount{Label: name}
		if i := slices.IndexFunc(found, func(f Amount) bool { return f.Label == name }); i >= 0 {
			a = found[i]
		}
		out = append(out, a)
	}
	for _, f := range found {
		if !slices.Contains(tierOrder, f.Label) {
			out = append(out, f)
		}
	}
	return out
}

func readWeeks(ctx context.Context, db *sql.DB) ([]Week, error) {
	rows, err := db.QueryContext(ctx, `select cast(week as varchar),
		coalesce(cast(breaks_created as bigint), 0),
		coalesce(cast(value_created as double), 0),
		coalesce(cast(breaks_resolved as bigint), 0),
		cast(median_days_to_resolution as double),
		coalesce(cast(open_value as double), 0)
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
		var median sql.NullFloat64
		err := rows.Scan(&w.Week, &w.Created, &w.ValueCreated, &w.Resolved, &median,
			&w.OpenValue)
		if err != nil {
			return nil, err
		}
		w.MedianDays, w.HasMedianDays = median.Float64, median.Valid
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
