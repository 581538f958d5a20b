package integration

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/synth"
)

// recModel is a reconciliation model: its check and its columns in order,
// as invgen's engine built it.
type recModel struct {
	name  string
	check string
	cols  []recColumn
}

// recColumn is a column and how its values are compared.
type recColumn struct {
	name string
	kind columnKind
}

type columnKind int

const (
	kindText columnKind = iota
	kindNumber
	kindDate
	kindTimestamp
)

// recKeys are the columns that identify a break of each reconciliation: a
// row under dbt and a row under invgen with the same key are the same break,
// and a diff names the columns where they disagree.
var recKeys = map[string][]string{
	"rec_movement_conservation": {"system", "sku", "location_id", "business_date"},
	"rec_erp_wms_parity":        {"sku", "location_id", "business_date"},
	"rec_storefront_honesty":    {"sku", "location_id", "shown_at"},
	"rec_returns_closure":       {"refund_id", "sku"},
	"rec_control_totals":        {"source_name", "business_date"},
}

// recModels lists the engine's rec_ models and their columns, typed as
// DuckDB typed them, and names each model's check from its tests.
func recModels(ctx context.Context, db *sql.DB, tests map[string]*engine.Test) (
	[]recModel, error) {
	rows, err := db.QueryContext(ctx, "select table_name, column_name, data_type "+
		"from information_schema.columns where table_schema = 'main' "+
		"and starts_with(table_name, 'rec_') order by table_name, ordinal_position")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []recModel
	for rows.Next() {
		var table, column, typ string
		if err := rows.Scan(&table, &column, &typ); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].name != table {
			out = append(out, recModel{name: table, check: checkOf(table, tests)})
		}
		m := &out[len(out)-1]
		m.cols = append(m.cols, recColumn{name: column, kind: kindOf(typ)})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the engine built no rec_ models")
	}
	return out, nil
}

// checkOf is the check a model's tests name in their meta.
func checkOf(model string, tests map[string]*engine.Test) string {
	for _, t := range tests {
		if check, ok := t.Meta["check"].(string); ok && t.Model == model {
			return check
		}
	}
	return ""
}

// numberTypes are DuckDB's numeric types, bar DECIMAL(p,s).
var numberTypes = map[string]bool{"TINYINT": true, "SMALLINT": true, "INTEGER": true,
	"BIGINT": true, "HUGEINT": true, "UTINYINT": true, "USMALLINT": true, "UINTEGER": true,
	"UBIGINT": true, "UHUGEINT": true, "FLOAT": true, "DOUBLE": true}

func kindOf(duckdbType string) columnKind {
	t := strings.ToUpper(duckdbType)
	switch {
	case t == "DATE":
		return kindDate
	case strings.HasPrefix(t, "TIMESTAMP"):
		return kindTimestamp
	case numberTypes[t], strings.HasPrefix(t, "DECIMAL"):
		return kindNumber
	}
	return kindText
}

// dialect is how an adapter writes a value as text. Dates and timestamps
// are formatted explicitly, whatever type the adapter gave the column;
// numbers go out as doubles and are rounded in Go, one way for all.
type dialect struct {
	text, double    string
	date, timestamp string // format expressions; %s is the column
}

var dialects = map[string]dialect{
	"duckdb": {text: "varchar", double: "double",
		date:      "strftime(cast(%s as timestamp), '%%Y-%%m-%%d')",
		timestamp: "strftime(cast(%s as timestamp), '%%Y-%%m-%%d %%H:%%M:%%S')"},
	"postgres": {text: "varchar", double: "double precision",
		date:      "to_char(cast(%s as timestamp), 'YYYY-MM-DD')",
		timestamp: "to_char(cast(%s as timestamp), 'YYYY-MM-DD HH24:MI:SS')"},
	"spark": {text: "string", double: "double",
		date:      "date_format(cast(%s as timestamp), 'yyyy-MM-dd')",
		timestamp: "date_format(cast(%s as timestamp), 'yyyy-MM-dd HH:mm:ss')"},
}

// nullText is how a NULL reads in a row.
const nullText = "NULL"

// valueSep separates a row's values in the one text column the query
// returns: dbt show would otherwise retype each value as it saw fit.
const valueSep = "|"

func (c recColumn) text(d dialect) string {
	var expr string
	switch c.kind {
	case kindNumber:
		expr = fmt.Sprintf("cast(cast(%s as %s) as %s)", c.name, d.double, d.text)
	case kindDate:
		expr = fmt.Sprintf(d.date, c.name)
	case kindTimestamp:
		expr = fmt.Sprintf(d.timestamp, c.name)
	default:
		expr = fmt.Sprintf("cast(%s as %s)", c.name, d.text)
	}
	return fmt.Sprintf("coalesce(%s, '%s')", expr, nullText)
}

// recQuery selects every row of every reconciliation model as the model's
// name and one text of all its values, in SQL the adapter runs. relation
// names a model.
func (est *estate) recQuery(adapter string, relation func(string) string) string {
	d := dialects[adapter]
	parts := make([]string, len(est.recs))
	for i, m := range est.recs {
		values := make([]string, len(m.cols))
		for j, c := range m.cols {
			values[j] = c.text(d)
		}
		parts[i] = fmt.Sprintf("select '%s' as model_name, %s as row_text from %s", m.name,
			strings.Join(values, " || '"+valueSep+"' || "), relation(m.name))
	}
	return strings.Join(parts, "\nunion all\n")
}

// recRows are the rows of each reconciliation model, each value in one
// canonical text whichever engine produced it, sorted.
type recRows map[string][][]string

// add splits a row's text into its values and canonicalises them.
func (r recRows) add(models []recModel, model, text string) error {
	m := findModel(models, model)
	if m == nil {
		return fmt.Errorf("a row of unknown model %q", model)
	}
	values := strings.Split(text, valueSep)
	if len(values) != len(m.cols) {
		return fmt.Errorf("%s: %d values in %q, want %d", model, len(values), text,
			len(m.cols))
	}
	for i, c := range m.cols {
		if c.kind == kindNumber && values[i] != nullText {
			values[i] = canonicalNumber(values[i])
		}
	}
	r[model] = append(r[model], values)
	return nil
}

func (r recRows) sort() {
	for _, rows := range r {
		sort.Slice(rows, func(i, j int) bool {
			return strings.Join(rows[i], valueSep) < strings.Join(rows[j], valueSep)
		})
	}
}

func (r recRows) count() int {
	n := 0
	for _, rows := range r {
		n += len(rows)
	}
	return n
}

func findModel(models []recModel, name string) *recModel {
	for i := range models {
		if models[i].name == name {
			return &models[i]
		}
	}
	return nil
}

// canonicalNumber rounds a number to four decimals: adapters write doubles
// as "1.0E7", "10000000" or "1e+07", and compute in decimal or binary.
func canonicalNumber(s string) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return s // not a number: left as it is, so the diff shows it
	}
	return formatNumber(f)
}

func formatNumber(f float64) string {
	r := math.Round(f*1e4) / 1e4
	if r == 0 {
		r = 0 // no negative zero
	}
	return strconv.FormatFloat(r, 'f', 4, 64)
}

// index is the position of a column, or -1.
func (m *recModel) index(col string) int {
	for i, c := range m.cols {
		if c.name == col {
			return i
		}
	}
	return -1
}

// key is what identifies a row of the model: its key columns, or every
// column that is not a number when the model has none listed.
func (m *recModel) key(row []string) string {
	var parts []string
	for i, c := range m.cols {
		if m.isKey(c) {
			parts = append(parts, c.name+"="+row[i])
		}
	}
	return strings.Join(parts, " ")
}

func (m *recModel) isKey(c recColumn) bool {
	keys, ok := recKeys[m.name]
	if !ok {
		return c.kind != kindNumber
	}
	for _, k := range keys {
		if k == c.name {
			return true
		}
	}
	return false
}

// holds reports whether a row of the model is the break b: its keys, its
// quantity and its value.
func (m *recModel) holds(rows [][]string, b synth.Break) bool {
	want := map[string]string{"break_qty": formatNumber(b.Qty), "break_value": nullText}
	if b.Value != nil {
		want["break_value"] = formatNumber(*b.Value)
	}
	for k, v := range b.Keys {
		want[k] = v
	}
	for _, row := range rows {
		if m.matches(row, want) {
			return true
		}
	}
	return false
}

func (m *recModel) matches(row []string, want map[string]string) bool {
	for col, v := range want {
		i := m.index(col)
		if i < 0 || row[i] != v {
			return false
		}
	}
	return true
}
