package report

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// Monitor statuses as the generated models write them, and the page's own
// for a monitor that judged nothing.
const (
	statusAlert        = "alert"
	statusInsufficient = "insufficient history"
	statusOK           = "ok"
	statusNoRows       = "no rows"
)

// readMonitors reads every mon_ table's verdict on its latest date.
func readMonitors(ctx context.Context, db *sql.DB, tables map[string]bool) ([]Monitor, error) {
	var names []string
	for name := range tables {
		if strings.HasPrefix(name, monitorPrefix) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, nil
	}
	dated, err := withColumn(ctx, db, "business_date")
	if err != nil {
		return nil, fmt.Errorf("listing monitor columns: %w", err)
	}
	judged, err := withColumn(ctx, db, "status")
	if err != nil {
		return nil, fmt.Errorf("listing monitor columns: %w", err)
	}
	var out []Monitor
	for _, name := range names {
		m := Monitor{Name: name}
		err := readMonitor(ctx, db, &m, monitorQuery(name, dated[name], judged[name]))
		if err != nil {
			return nil, fmt.Errorf("reading main.%s: %w", name, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// withColumn lists the tables of schema main that have a column.
func withColumn(ctx context.Context, db *sql.DB, column string) (map[string]bool, error) {
	names, err := queryStrings(ctx, db, `select table_name from information_schema.columns
		where table_schema = 'main' and table_catalog = current_database()
		and column_name = ?`, column)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out, nil
}

// monitorQuery counts a monitor's rows per status on its latest business
// date, or over all its rows when it has no business date. A monitor
// without a status column counts its rows under an empty status.
func monitorQuery(name string, dated, judged bool) string {
	table := "main." + quoteIdent(name)
	status := "''"
	if judged {
		status = "coalesce(cast(status as varchar), '')"
	}
	if !dated {
		return "select " + status + ", count(*), '' from " + table + " group by 1 order by 1"
	}
	return "select " + status + `, count(*),
		coalesce(cast(max(business_date) as varchar), '') from ` + table + `
		where business_date is not distinct from (select max(business_date) from ` +
		table + ") group by 1 order by 1"
}

// readMonitor fills in a monitor's counts and verdict from monitorQuery.
func readMonitor(ctx context.Context, db *sql.DB, m *Monitor, q string) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var status, date string
		var n int64
		if err := rows.Scan(&status, &n, &date); err != nil {
			return err
		}
		m.count(status, n)
		m.BusinessDate = max(m.BusinessDate, date)
	}
	m.Status = m.verdict()
	return rows.Err()
}

func (m *Monitor) count(status string, n int64) {
	m.Rows += n
	switch status {
	case statusAlert:
		m.Alerts += n
	case statusInsufficient:
		m.Insufficient += n
	}
}

func (m *Monitor) verdict() string {
	switch {
	case m.Alerts > 0:
		return statusAlert
	case m.Insufficient > 0:
		return statusInsufficient
	case m.Rows > 0:
		return statusOK
	}
	return statusNoRows
}
