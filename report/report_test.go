package report

import (
	"context"
	"database/sql"
	"regexp"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/stretchr/testify/require"
)

// The tables a run leaves, with the columns and types the generated
// models give them, and a small estate's worth of rows.
var estateSQL = []string{
	`create table breaks_ledger (check_name varchar, break_key varchar, sku varchar,
		location_id varchar, business_date date, first_detected date, last_seen date,
		days_open bigint, break_qty decimal(38,3), break_value decimal(38,4),
		alert_tier varchar, owner varchar, root_cause_hint varchar, root_cause varchar,
		resolution varchar, resolved_at date, status varchar)`,
	// Twelve conservation breaks worth 100 to 1,200, one of them negative:
	// value is abs(break_value).
	`insert into breaks_ledger (check_name, break_key, location_id, first_detected,
		last_seen, break_value, alert_tier, status)
		select 'movement_conservation', 'mc|' || i, 'L' || lpad(cast(i as varchar), 2, '0'),
		date '2026-02-02', date '2026-02-14',
		case when i = 3 then -300 else 100 * i end, 'digest', 'open'
		from range(1, 13) t(i)`,
	`insert into breaks_ledger (check_name, break_key, location_id, first_detected,
		last_seen, break_value, alert_tier, status, resolved_at) values
		('erp_wms_parity', 'p|1', 'L12', '2026-02-09', '2026-02-14', -7000.5, 'ticket',
			'open', null),
		('storefront_honesty', 's|1', 'L01', '2026-02-13', '2026-02-14', 259.44, 'page',
			'reopened', '2026-02-13'),
		('control_totals', 'c|1', null, '2026-02-13', '2026-02-14', null, 'digest',
			'open', null),
		('<script>alert("x")</script>', 'x|1', 'A&B "q"', '2026-02-13', '2026-02-14',
			50000, 'digest', 'open', null),
		('erp_wms_parity', 'p|2', 'L05', '2026-01-26', '2026-02-01', 999, 'ticket',
			'cleared', null),
		('returns_closure', 'r|1', 'L07', '2026-01-26', '2026-01-30', 25, 'digest',
			'resolved', '2026-01-30')`,
	// The runs; the page is as of the date the latest judged, here a
	// replay of the 14th after a run as of the 15th.
	`create table breaks_runs (observed_on date, observed_at timestamp)`,
	`insert into breaks_runs values ('2026-02-02', '2026-02-02 06:00'),
		('2026-02-15', '2026-02-15 06:00'), ('2026-02-14', '2026-02-15 09:30')`,
	`create table rpt_breaks_report_card (week date, dimension varchar,
		dimension_value varchar, breaks_created bigint, value_created decimal(38,4),
		breaks_resolved hugeint, median_days_to_resolution double,
		open_value decimal(38,4))`,
	`insert into rpt_breaks_report_card values
		('2026-02-09', 'all', 'all', 4, 1800, 1, 1, 800),
		('2026-01-26', 'all', 'all', 5, 1500.25, 2, 3.5, 1000),
		('2026-02-02', 'all', 'all', 7, 2500, 0, null, 2500),
		('2026-02-16', 'owner', 'jane.doe@retailer.example', 9, 9, 0, null, 9),
		('2026-02-09', 'location', 'L01', 2, 10, 0, null, 10)`,
	`create table rpt_inventory_record_accuracy (location_class varchar, counted bigint,
		accurate_counts hugeint, tolerance_qty double, record_accuracy double,
		target decimal(4,3), meets_target boolean, status varchar)`,
	`insert into rpt_inventory_record_accuracy values
		('store', 48, 48, 0, 1.0, 0.997, true, 'ok'),
		('all', 192, 190, null, 190 / 192, 0.997, false, 'alert'),
		('dc', 96, 94, 0, 94 / 96, 0.997, false, 'alert'),
		('kit_build', 48, 48, 0.5, 1.0, 0.997, true, 'ok')`,
	`create table mon_feed_volume (source_name varchar, business_date date,
		row_count bigint, status varchar)`,
	`insert into mon_feed_volume values ('erp', '2026-02-12', 1, 'alert'),
		('erp', '2026-02-13', 24, 'ok'), ('wms', '2026-02-13', 48, 'ok')`,
	`create table mon_flatline (sku varchar, business_date date, status varchar)`,
	`insert into mon_flatline values ('a', '2026-02-13', 'alert'), ('b', '2026-02-13', 'ok'),
		('c', '2026-02-13', 'ok'), ('d', '2026-02-13', 'ok')`,
	`create table mon_zero_adjustments (source_name varchar, business_date date,
		status varchar)`,
	`insert into mon_zero_adjustments values ('wms', '2026-02-13', 'insufficient history'),
		('erp', '2026-02-13', 'ok')`,
	`create table mon_quarantine_sla (source_name varchar, held_rows bigint, status varchar)`,
	`insert into mon_quarantine_sla values ('wms', 3, 'alert')`,
	`create table mon_shrinkage_drift (location_id varchar, business_date date,
		status varchar)`,
	`create schema main_dbt_test__audit`,
	`create table main_dbt_test__audit.mon_flatline__alert (status varchar)`,
}

// chartNames are every chart the page draws.
var chartNames = []string{"break-value-by-check", "break-value-by-location",
	"breaks-per-week", "open-value-per-week", "time-to-resolution", "record-accuracy"}

func openDB(t *testing.T, stmts ...string) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	for _, s := range stmts {
		_, err := db.Exec(s)
		require.NoError(t, err, s)
	}
	return db
}

func readEstate(t *testing.T) *Data {
	t.Helper()
	d, err := Read(context.Background(), openDB(t, estateSQL...))
	require.NoError(t, err)
	d.Currency = "USD"
	return d
}

// requireHas fails unless page holds want, quoting only what is missing:
// a page is too long to read in a failure message.
func requireHas(t *testing.T, page, want string, msg ...any) {
	t.Helper()
	if !strings.Contains(page, want) {
		t.Errorf("the page lacks %q %v", want, msg)
	}
}

func render(t *testing.T, d *Data) string {
	t.Helper()
	page, err := Render(d)
	require.NoError(t, err)
	return string(page)
}

func TestReadSummarisesTheLedger(t *testing.T) {
	d := readEstate(t)
	require.Equal(t, "2026-02-14", d.AsOf, "the date the latest run judged")
	l := d.Ledger
	require.NotNil(t, l)
	require.Equal(t, Amount{Label: "open", Breaks: 16, Value: 7800 + 7000.5 + 259.44 + 50000,
		Unvalued: 1}, l.Open)
	require.Equal(t, []Amount{
		{Label: "page", Breaks: 1, Value: 259.44},
		{Label: "ticket", Breaks: 1, Value: 7000.5},
		{Label: "digest", Breaks: 14, Value: 57800, Unvalued: 1},
	}, l.Tiers)
	require.Equal(t, []Amount{{"open", 15, 64800.5, 1}, {"reopened", 1, 259.44, 0},
		{"cleared", 1, 999, 0}, {"resolved", 1, 25, 0}}, l.Statuses,
		"in the order a break goes through; a reopened break counts as open")
	require.EqualValues(t, 1, l.Unvalued)
	require.Equal(t, []Amount{
		{`<script>alert("x")</script>`, 1, 50000, 0}, {"movement_conservation", 12, 7800, 0},
		{"erp_wms_parity", 1, 7000.5, 0}, {"storefront_honesty", 1, 259.44, 0},
		{"control_totals", 1, 0, 1},
	}, l.ByCheck, "a check without a value last, its value not taken for zero")
	require.Len(t, l.ByLocation, 10, "the top ten of thirteen")
	require.Equal(t, Amount{`A&B "q"`, 1, 50000, 0}, l.ByLocation[0])
	require.Equal(t, Amount{"L12", 2, 8200.5, 0}, l.ByLocation[1])
	require.Equal(t, Amount{"L04", 1, 400, 0}, l.ByLocation[9],
		"L01 (359.44), L03 (abs -300) and L02 fall below the cut")
}

func TestReadTakesTheOverallReportCardAndAccuracy(t *testing.T) {
	d := readEstate(t)
	require.True(t, d.HasReportCard)
	require.Equal(t, []Week{
		{Week: "2026-01-26", Created: 5, ValueCreated: 1500.25, HasValueCreated: true,
			Resolved: 2, MedianDays: 3.5, HasMedianDays: true, OpenValue: 1000,
			HasOpenValue: true},
		{Week: "2026-02-02", Created: 7, ValueCreated: 2500, HasValueCreated: true,
			OpenValue: 2500, HasOpenValue: true},
		{Week: "2026-02-09", Created: 4, ValueCreated: 1800, HasValueCreated: true,
			Resolved: 1, MedianDays: 1, HasMedianDays: true, OpenValue: 800,
			HasOpenValue: true},
	}, d.Weeks)

	require.True(t, d.HasAccuracy)
	var classes []string
	for _, c := range d.Accuracy {
		classes = append(classes, c.Class)
		require.True(t, c.HasTarget)
		require.InDelta(t, 0.997, c.Target, 1e-12)
	}
	require.Equal(t, []string{"dc", "kit_build", "store", "all"}, classes)
	require.InDelta(t, 94.0/96, d.Accuracy[0].Accuracy, 1e-12)
	require.False(t, d.Accuracy[3].MeetsTarget)
}

func TestReadJudgesEachMonitorOnItsLatestDate(t *testing.T) {
	require.Equal(t, []Monitor{
		{Name: "mon_feed_volume", BusinessDate: "2026-02-13", Status: "ok", Rows: 2},
		{Name: "mon_flatline", BusinessDate: "2026-02-13", Status: "alert", Rows: 4,
			Alerts: 1},
		{Name: "mon_quarantine_sla", Status: "alert", Rows: 1, Alerts: 1},
		{Name: "mon_shrinkage_drift", Status: "no rows"},
		{Name: "mon_zero_adjustments", BusinessDate: "2026-02-13",
			Status: "insufficient history", Rows: 2, Insufficient: 1},
	}, readEstate(t).Monitors)
}

func TestRenderShowsTheNumbers(t *testing.T) {
	page := render(t, readEstate(t))
	for _, want := range []string{
		"Breaks report, as of 2026-02-14", "USD 65,060 &#43; 1 unvalued", "USD 259",
		"USD 7,001", "USD 57,800 &#43; 1 unvalued",
		"The ledger holds 18 breaks: 15 open, 1 reopened, 1 cleared and 1 resolved.",
		"1 break in the ledger has no value", "USD 1,500", "3.5",
		"none resolved", "97.92%", "98.96%", "target 99.7%", "5 monitors, 2 alerting",
		`<td>control_totals</td><td class="num">1</td><td class="num">value unknown</td>`,
		`<tr class="alert"><td>mon_flatline</td>`,
		`<tr class="insufficient"><td>mon_zero_adjustments</td>`,
	} {
		requireHas(t, page, want)
	}
	require.NotContains(t, page, "2026-02-16", "only the overall report card rows")
	require.NotContains(t, page, "Every break in the ledger")
}

// svgs maps each chart's name to its SVG.
func svgs(t *testing.T, page string) map[string]string {
	t.Helper()
	out := map[string]string{}
	re := regexp.MustCompile(`(?s)<svg data-chart="([^"]+)".*?</svg>`)
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		require.NotContains(t, out, m[1], "chart names are unique")
		out[m[1]] = m[0]
	}
	return out
}

func TestEveryChartHasItsBarsTitlesAndTable(t *testing.T) {
	page := render(t, readEstate(t))
	charts := svgs(t, page)
	require.Len(t, charts, len(chartNames))
	for _, name := range chartNames {
		svg := charts[name]
		require.NotEmpty(t, svg, name)
		require.Regexp(t, `<title id="`+name+`-title">[^<]+</title>`, svg)
		require.Equal(t, 2, strings.Count(svg, `class="axis-title"`), name+": axis labels")
		after := page[strings.Index(page, svg)+len(svg):]
		require.True(t, strings.HasPrefix(after, "\n<table>\n<caption>Data for the chart"),
			name+": a data table follows")
	}
	for name, points := range map[string]int{
		"break-value-by-check": 5, "break-value-by-location": 10, "breaks-per-week": 6,
		"time-to-resolution": 3, "record-accuracy": 4, "open-value-per-week": 0,
	} {
		require.Equal(t, points, strings.Count(charts[name], `<rect class="bar `), name)
	}
	require.Equal(t, 3, strings.Count(charts["open-value-per-week"], `<circle class="point"`))
	require.Contains(t, charts["record-accuracy"], `class="target"`)
}

func TestRenderEscapesText(t *testing.T) {
	page := render(t, readEstate(t))
	require.NotContains(t, page, "<script")
	require.NotContains(t, page, `A&B "q"`)
	requireHas(t, page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
	requireHas(t, page, "A&amp;B &#34;q&#34;")
}

func TestRenderLoadsNothingFromOutside(t *testing.T) {
	page := strings.ToLower(render(t, readEstate(t)))
	for _, ref := range []string{"http://", "https://", "src=", "href=", "<link", "<img",
		"<script", "url(", "@import", "xlink:"} {
		require.NotContains(t, page, ref)
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	first := render(t, readEstate(t))
	for range 3 {
		require.Equal(t, first, render(t, readEstate(t)))
	}
}

func TestMissingTablesAreSaidNotFailed(t *testing.T) {
	d, err := Read(context.Background(), openDB(t))
	require.NoError(t, err)
	require.Equal(t, &Data{}, d)
	page := render(t, d)
	require.Empty(t, svgs(t, page))
	requireHas(t, page, "Breaks report, as of unknown")
	for _, missing := range []string{"main.breaks_ledger is missing",
		"main.rpt_breaks_report_card is missing", "main.rpt_inventory_record_accuracy is missing",
		"no main.mon_ tables"} {
		requireHas(t, page, missing)
	}
}

func TestEmptyTablesDrawEmptyCharts(t *testing.T) {
	var empty []string
	for _, s := range estateSQL {
		if !strings.HasPrefix(s, "insert") {
			empty = append(empty, s)
		}
	}
	d, err := Read(context.Background(), openDB(t, empty...))
	require.NoError(t, err)
	d.Currency = "USD"
	page := render(t, d)
	charts := svgs(t, page)
	require.Len(t, charts, len(chartNames))
	for name, svg := range charts {
		require.Contains(t, svg, ">no data</text>", name)
		require.NotContains(t, svg, `<rect class="bar `, name)
	}
	requireHas(t, page, "Breaks report, as of unknown")
	requireHas(t, page, "<p>The ledger holds no breaks.</p>")
	requireHas(t, page, `<span class="value">USD 0</span>`,
		"no open breaks are worth a real zero")
	require.NotContains(t, page, "value unknown")
}

// A run without unit costs values no break: the page says the value is
// unknown wherever it would show one, never zero.
func TestUnknownValuesAreNotZero(t *testing.T) {
	stmts := append([]string{}, estateSQL...)
	stmts = append(stmts, `update breaks_ledger set break_value = null`,
		`update rpt_breaks_report_card set value_created = null, open_value = null
			where week = '2026-02-02'`)
	d, err := Read(context.Background(), openDB(t, stmts...))
	require.NoError(t, err)
	d.Currency = "USD"
	page := render(t, d)

	requireHas(t, page, `<span class="label">open value</span>`+
		`<span class="value">value unknown</span>`)
	requireHas(t, page, "18 breaks in the ledger have no value")
	require.Regexp(t, `<td>2026-02-02</td><td class="num">7</td>`+
		`<td class="num">value unknown</td>`, page)
	require.Regexp(t, `<td>2026-02-02</td><td class="num">value unknown</td>`, page)
	charts := svgs(t, page)
	for _, name := range []string{"break-value-by-check", "break-value-by-location"} {
		require.Contains(t, charts[name], `class="value">value unknown</text>`, name)
		require.NotContains(t, charts[name], "USD 0<", name)
	}
	trend := charts["open-value-per-week"]
	require.Equal(t, 2, strings.Count(trend, `<circle class="point"`), "no point for unknown")
	require.NotContains(t, trend, "<polyline", "no line across the unknown week")
}

// The accuracy chart's axis starts at zero, so bars are in proportion, and
// the target's label sits above the plot, clear of every bar and label.
func TestTheAccuracyAxisStartsAtZero(t *testing.T) {
	svg := svgs(t, render(t, readEstate(t)))["record-accuracy"]
	require.Contains(t, svg, `class="tick">0%</text>`)
	require.Contains(t, svg, `class="tick">100%</text>`)
	label := regexp.MustCompile(`<text x="[\d.]+" y="([\d.]+)"[^>]*class="target-label">`).
		FindStringSubmatch(svg)
	require.NotNil(t, label)
	require.Equal(t, "15.0", label[1], "in the margin above the plot, which starts at 28")
	require.Equal(t, 4, strings.Count(svg, `class="inside">`), "each bar labelled inside")
}

func TestNiceTicksAndNumbers(t *testing.T) {
	require.Equal(t, []float64{0, 20000, 40000, 60000, 80000}, niceTicks(0, 61634, 4, 0))
	require.Equal(t, []float64{0, 1, 2, 3}, niceTicks(0, 3, 5, 1))
	require.Equal(t, []float64{0.97, 0.98, 0.99, 1}, niceTicks(0.9738, 1, 5, 0))
	require.Equal(t, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}, niceTicks(0, 0, 5, 0))
	require.Equal(t, "USD 61,634", money("USD", 61633.56))
	require.Equal(t, "USD -1,000", money("USD", -999.6))
	require.Equal(t, "1,234,567", count(1234567))
	require.Equal(t, "98.96%", percent(190.0/192))
	require.Equal(t, "2.5k", compact(2500))
	require.Equal(t, "1.2M", compact(1.2e6))
	require.Equal(t, "erp_wms…", shorten("erp_wms_parity", 8))
}
