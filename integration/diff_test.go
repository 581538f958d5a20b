package integration

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// maxDiffLines caps the differences shown per model: the first few say
// what is wrong, hundreds only bury it.
const maxDiffLines = 20

// diffRows describes where two engines' reconciliation rows differ, model
// by model: a row only one side has, or a row both have under one key whose
// values differ, column by column. It is empty when they agree.
func diffRows(models []recModel, got, want recRows, gotName, wantName string) string {
	var b strings.Builder
	for i := range models {
		m := &models[i]
		lines := m.diff(got[m.name], want[m.name], gotName, wantName)
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s (%d rows under %s, %d under %s):\n", m.name, len(got[m.name]),
			gotName, len(want[m.name]), wantName)
		for j, line := range lines {
			if j == maxDiffLines {
				fmt.Fprintf(&b, "  ... and %d more\n", len(lines)-j)
				break
			}
			b.WriteString("  " + line + "\n")
		}
	}
	for name := range got {
		if findModel(models, name) == nil {
			fmt.Fprintf(&b, "%s: rows under %s of a model invgen did not build\n", name,
				gotName)
		}
	}
	return b.String()
}

func (m *recModel) diff(got, want [][]string, gotName, wantName string) []string {
	g, w := m.byKey(got), m.byKey(want)
	var out []string
	for _, k := range unionKeys(g, w) {
		gs, ws := g[k], w[k]
		n := min(len(gs), len(ws))
		for i := 0; i < n; i++ {
			if d := m.columnDiff(gs[i], ws[i], gotName, wantName); d != "" {
				out = append(out, k+": "+d)
			}
		}
		for _, row := range gs[n:] {
			out = append(out, "only under "+gotName+": "+m.describe(row))
		}
		for _, row := range ws[n:] {
			out = append(out, "only under "+wantName+": "+m.describe(row))
		}
	}
	return out
}

// byKey groups rows by their key, each group in the rows' sorted order.
func (m *recModel) byKey(rows [][]string) map[string][][]string {
	out := map[string][][]string{}
	for _, row := range rows {
		k := m.key(row)
		out[k] = append(out[k], row)
	}
	return out
}

func unionKeys(a, b map[string][][]string) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// columnDiff names every column where two rows differ, and both values.
func (m *recModel) columnDiff(got, want []string, gotName, wantName string) string {
	var parts []string
	for i, c := range m.cols {
		if got[i] != want[i] {
			parts = append(parts, fmt.Sprintf("%s is %s under %s, %s under %s", c.name,
				got[i], gotName, want[i], wantName))
		}
	}
	return strings.Join(parts, "; ")
}

// describe writes a whole row as column=value pairs.
func (m *recModel) describe(row []string) string {
	parts := make([]string, len(m.cols))
	for i, c := range m.cols {
		parts[i] = c.name + "=" + row[i]
	}
	return strings.Join(parts, " ")
}

// TestDiffRowsNamesTheColumnsThatDiffer guards the diff itself, without dbt:
// a disagreement must read as the break and the column, not as two dumps.
func TestDiffRowsNamesTheColumnsThatDiffer(t *testing.T) {
	m := recModel{name: "rec_returns_closure", cols: []recColumn{{"refund_id", kindText},
		{"sku", kindText}, {"break_qty", kindNumber}, {"break_value", kindNumber}}}
	dbt := recRows{m.name: {{"R-1", "SKU-1", "3.0000", "64.8600"}, {"R-2", "SKU-2",
		"1.0000", "NULL"}}}
	invgen := recRows{m.name: {{"R-1", "SKU-1", "3.0000", "64.8700"}}}
	got := diffRows([]recModel{m}, dbt, invgen, "dbt-duckdb", "invgen")
	for _, want := range []string{
		"rec_returns_closure (2 rows under dbt-duckdb, 1 under invgen):",
		"refund_id=R-1 sku=SKU-1: break_value is 64.8600 under dbt-duckdb, 64.8700 under " +
			"invgen",
		"only under dbt-duckdb: refund_id=R-2 sku=SKU-2 break_qty=1.0000 break_value=NULL",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("diff lacks %q:\n%s", want, got)
		}
	}
	if diffRows([]recModel{m}, invgen, invgen, "a", "b") != "" {
		t.Error("equal rows differ")
	}
}
