package runner

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	c "github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
)

// Report is what a run found. Values are in Currency, the project's.
type Report struct {
	AsOf         string          `json:"as_of"`
	Currency     string          `json:"currency"`
	Models       int             `json:"models"`
	Tests        int             `json:"tests"`
	Elapsed      time.Duration   `json:"-"`
	Tiers        []TierSummary   `json:"tiers"`
	Alerts       []Alert         `json:"alerts"`
	TopLocations []LocationValue `json:"top_locations"`
}

// TierSummary counts a tier's alerts and what their breaks are worth: the
// sum of the values known, rounded to cents, or nil when no alert of the
// tier has one. NoValue says why it is nil when every alert of the tier
// carries no value: there is nothing to know, rather than something
// unknown.
type TierSummary struct {
	Tier    string   `json:"tier"`
	Alerts  int      `json:"alerts"`
	Value   *float64 `json:"value"`
	NoValue bool     `json:"no_value,omitempty"`
}

// Alert is a test that failed or warned. Value is what its failing rows'
// breaks are worth, rounded to cents, or nil: either the rows carry no
// money value (a monitor's, a quarantine's, a control total's), which
// NoValue says, or the value is not known: a warehouse run triaged without
// its database, or a test that did not run.
type Alert struct {
	Tier    string   `json:"tier"`
	Test    string   `json:"test"`
	Status  string   `json:"status"`
	Rows    int      `json:"rows"`
	Value   *float64 `json:"value"`
	NoValue bool     `json:"no_value,omitempty"`
	Lineage Lineage  `json:"lineage"`
}

// Cents rounds money to the cent, as reports show it: a sum of float
// break values carries binary noise (143842.91999999998) nobody should
// read.
func Cents(v float64) float64 {
	return math.Round(v*100) / 100
}

// Lineage leads from a failed test to the people who can fix it.
type Lineage struct {
	Check        string       `json:"check,omitempty"`
	Monitor      string       `json:"monitor,omitempty"`
	Model        string       `json:"model"`
	Intermediate []string     `json:"intermediate,omitempty"`
	Staging      []string     `json:"staging,omitempty"`
	Sources      []string     `json:"sources,omitempty"`
	Contracts    []string     `json:"contracts,omitempty"`
	Owners       []string     `json:"owners,omitempty"`
	Quarantine   []Quarantine `json:"quarantine,omitempty"`
}

// Quarantine is a relation holding a source's violating rows. HeldRows is
// -1 when the rows could not be counted.
type Quarantine struct {
	Relation string `json:"relation"`
	HeldRows int    `json:"held_rows"`
}

// LocationValue is the open break value at one location.
type LocationValue struct {
	LocationID string  `json:"location_id"`
	Breaks     int     `json:"breaks"`
	Value      float64 `json:"value"`
}

// Tiers in the order an on-call reads them.
var tierOrder = []string{"page", "ticket", "digest"}

// Paging reports whether any page or ticket alert failed: the run's
// findings exit code.
func (r *Report) Paging() bool {
	for _, a := range r.Alerts {
		if a.Status == "fail" && (a.Tier == "page" || a.Tier == "ticket") {
			return true
		}
	}
	return false
}

// reporter reads a finished run's database.
type reporter struct {
	db      *sql.DB
	estate  *c.Estate
	project *engine.Project
}

func report(ctx context.Context, b *reporter, results []engine.TestResult,
	asOf string) (*Report, error) {
	if asOf == "" {
		asOf = time.Now().UTC().Format("2006-01-02")
	}
	rep := &Report{AsOf: asOf, Tests: len(results)}
	for _, res := range results {
		if res.Status == "pass" {
			continue
		}
		a, err := b.alertOf(ctx, res)
		if err != nil {
			return nil, err
		}
		rep.Alerts = append(rep.Alerts, a)
	}
	Finish(rep)

	var err error
	if b.project.Model("breaks_ledger") != nil {
		rep.TopLocations, err = TopLocations(ctx, b.db, "main.breaks_ledger")
	}
	return rep, err
}

func (b *reporter) alertOf(ctx context.Context, res engine.TestResult) (Alert, error) {
	t := res.Test
	a := Alert{Tier: metaString(t.Meta, "alert_tier"), Test: t.Name, Status: res.Status,
		Rows: res.Failures}
	if a.Tier == "" {
		a.Tier = "digest"
	}
	v, err := failingValue(ctx, b.db, t.Name)
	if err != nil {
		return a, err
	}
	a.Value, a.NoValue = v, v == nil
	a.Lineage, err = b.lineageOf(ctx, t)
	return a, err
}

// failingValue sums what a test's failing rows' breaks are worth.
func failingValue(ctx context.Context, db *sql.DB, test string) (*float64, error) {
	return SumBreakValue(ctx, db, fmt.Sprintf(`"%s"."%s"`, engine.AuditSchema, test))
}

// SumBreakValue sums abs(break_value) over a relation of stored failures,
// rounded to cents, or returns nil when its rows carry no value: no
// break_value column, or none that is not null.
func SumBreakValue(ctx context.Context, db *sql.DB, relation string) (*float64, error) {
	rows, err := db.QueryContext(ctx, "select * from "+relation+" limit 0")
	if err != nil {
		return nil, err
	}
	cols, err := rows.Columns()
	rows.Close()
	if err != nil || !slices.Contains(cols, "break_value") {
		return nil, err
	}
	var v sql.NullFloat64
	err = db.QueryRowContext(ctx, "select sum(abs(break_value)) from "+relation).Scan(&v)
	if err != nil || !v.Valid {
		return nil, err
	}
	cents := Cents(v.Float64)
	return &cents, nil
}

func (b *reporter) lineageOf(ctx context.Context, t *engine.Test) (Lineage, error) {
	failing, err := FailingSources(ctx, b.db, engine.AuditSchema, t.Name,
		fmt.Sprintf(`"%s"."%s"`, engine.AuditSchema, t.Name))
	if err != nil {
		return Lineage{}, err
	}
	l := AlertLineage(t.Model, t.Meta, failing, func(source string) (SourceInfo, bool) {
		return EstateSource(b.estate, b.project, source, "main")
	})
	for i, q := range l.Quarantine {
		err := b.db.QueryRowContext(ctx, "select count(*) from "+q.Relation).
			Scan(&l.Quarantine[i].HeldRows)
		if err != nil {
			return l, err
		}
	}
	return l, nil
}

// EstateSource is what the contracts say of a source, with its quarantine
// relation in schema when the project builds one.
func EstateSource(e *c.Estate, p *engine.Project, source, schema string) (SourceInfo, bool) {
	con := e.Contract(source)
	if con == nil {
		return SourceInfo{}, false
	}
	si := SourceInfo{Table: con.Relation.Table, Contract: con.File, Owner: con.Owner}
	if q := "quarantine_" + source; p.Model(q) != nil {
		si.Quarantine = schema + "." + q
	}
	return si, true
}

// FailingSources is the set of sources the failing rows a test stored in
// relation (table in schema) name, when the rows have a source_name: the
// lineage then leads to those alone, and to the partner sources they were
// compared with, which the rows name in columns such as control_source.
func FailingSources(ctx context.Context, db *sql.DB, schema, table,
	relation string) (map[string]bool, error) {
	cols, err := sourceColumns(ctx, db, schema, table)
	if err != nil || !slices.Contains(cols, "source_name") {
		return nil, err
	}
	out := map[string]bool{}
	for _, col := range cols {
		rows, err := db.QueryContext(ctx, fmt.Sprintf(`select distinct "%s" from %s
			where "%s" is not null`, col, relation, col))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return nil, err
			}
			out[s] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sourceColumns lists the columns of a test's stored failures that name a
// source: source_name and those ending in _source.
func sourceColumns(ctx context.Context, db *sql.DB, schema, table string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "select column_name from duckdb_columns() where "+
		"schema_name = ? and table_name = ? and (column_name = 'source_name' "+
		"or column_name like '%\\_source' escape '\\') order by column_index",
		schema, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Finish orders a report's alerts as an on-call reads them, pages first and
// the most valuable first within a tier, and totals each tier.
func Finish(rep *Report) {
	sortAlerts(rep.Alerts)
	rep.Tiers = summarise(rep.Alerts)
}

func sortAlerts(alerts []Alert) {
	rank := map[string]int{}
	for i, t := range tierOrder {
		rank[t] = i
	}
	sort.SliceStable(alerts, func(i, j int) bool {
		a, b := alerts[i], alerts[j]
		if rank[a.Tier] != rank[b.Tier] {
			return rank[a.Tier] < rank[b.Tier]
		}
		if worth(a) != worth(b) {
			return worth(a) > worth(b)
		}
		return a.Test < b.Test
	})
}

// worth orders alerts by value, those of unknown value last.
func worth(a Alert) float64 {
	if a.Value == nil {
		return -1
	}
	return *a.Value
}

func summarise(alerts []Alert) []TierSummary {
	var out []TierSummary
	for _, tier := range tierOrder {
		s := TierSummary{Tier: tier}
		sum, known, unvalued := 0.0, 0, 0
		for _, a := range alerts {
			if a.Tier != tier {
				continue
			}
			s.Alerts++
			switch {
			case a.Value != nil:
				sum += *a.Value
				known++
			case a.NoValue:
				unvalued++
			}
		}
		sum = Cents(sum)
		switch {
		case known > 0 || s.Alerts == 0:
			s.Value = &sum
		case unvalued == s.Alerts:
			s.NoValue = true
		}
		out = append(out, s)
	}
	return out
}

// TopLocations ranks the locations by the value of their open breaks in a
// breaks ledger relation, reopened ones included: the five worth most.
func TopLocations(ctx context.Context, db *sql.DB, ledger string) ([]LocationValue, error) {
	rows, err := db.QueryContext(ctx, `select location_id, count(*), sum(abs(break_value))
		from `+ledger+`
		where status in ('open', 'reopened') and location_id is not null
			and break_value is not null
		group by location_id order by 3 desc, 1 limit 5`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LocationValue
	for rows.Next() {
		var lv LocationValue
		if err := rows.Scan(&lv.LocationID, &lv.Breaks, &lv.Value); err != nil {
			return nil, err
		}
		lv.Value = Cents(lv.Value)
		out = append(out, lv)
	}
	return out, rows.Err()
}

func metaString(meta map[string]any, key string) string {
	if v, ok := meta[key]; ok && v != nil {
		return fmt.Sprint(v)
	}
	return ""
}

func metaList(meta map[string]any, key string) []string {
	list, _ := meta[key].([]any)
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = fmt.Sprint(v)
	}
	return out
}
