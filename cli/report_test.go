package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/cli"
)

// chartNames are the charts a report of the example estate must draw.
var chartNames = []string{"break-value-by-check", "break-value-by-location",
	"breaks-per-week", "open-value-per-week", "time-to-resolution", "record-accuracy"}

// exampleReport replays the example estate week by week into one DuckDB
// file, resolving two breaks on the way as a team would, and writes its
// report, returning the report's path.
func exampleReport(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, "../examples/retail", dir)
	db := filepath.Join(dir, "retail.duckdb")
	for _, day := range []string{"2026-01-21", "2026-01-28", "2026-02-04"} {
		runExample(t, dir, db, day)
	}
	resolve(t, db, filepath.Join(dir, "dbt", "seeds", "invgen_resolutions.csv"))
	for _, day := range []string{"2026-02-11", "2026-02-14"} {
		runExample(t, dir, db, day)
	}
	return writeReport(t, dir, db)
}

// writeReport writes the report of a run's database and returns its path.
func writeReport(t *testing.T, dir, db string) string {
	t.Helper()
	out := filepath.Join(dir, "report.html")
	var stdout, stderr bytes.Buffer
	code := cli.Run([]string{"report", "--db", db, "--out", out}, nil, &stdout, &stderr)
	require.Equal(t, cli.ExitOK, code, stderr.String())
	require.Equal(t, out+"\n", stdout.String())
	return out
}

// exampleAsOf is the date the example's data is judged on.
const exampleAsOf = "2026-02-14"

// cleanReport is the report of a run on a simulated estate without
// culprits: an empty ledger.
func cleanReport(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, "../examples/retail", dir)
	data := filepath.Join(dir, "clean")
	var stdout, stderr bytes.Buffer
	code := cli.Run([]string{"simulate", dir, "--days", "40", "--out", data}, nil, &stdout,
		&stderr)
	require.Equal(t, cli.ExitOK, code, stderr.String())
	db := filepath.Join(dir, "clean.duckdb")
	stdout.Reset()
	stderr.Reset()
	code = cli.Run([]string{"run", dir, "--data", data, "--as-of", exampleAsOf, "--db", db},
		nil, &stdout, &stderr)
	require.Equal(t, cli.ExitOK, code, stderr.String())
	return writeReport(t, dir, db)
}

// editedReport is the report of one run on the example's data after edit
// rewrote its files.
func editedReport(t *testing.T, edit func(name, text string) string) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, "../examples/retail", dir)
	files, err := filepath.Glob(filepath.Join(dir, "data", "*.csv"))
	require.NoError(t, err)
	for _, f := range files {
		text, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(f, []byte(edit(filepath.Base(f), string(text))),
			0o644))
	}
	db := filepath.Join(dir, "retail.duckdb")
	runExample(t, dir, db, exampleAsOf)
	return writeReport(t, dir, db)
}

// noCostsReport is the report of a run whose costs feed is empty: no break
// has a value.
func noCostsReport(t *testing.T) string {
	return editedReport(t, func(name, text string) string {
		if name == "costs.csv" {
			return text[:strings.Index(text, "\n")+1]
		}
		return text
	})
}

// specialID is a location id made of HTML's special characters.
const specialID = `STO<&>'03`

// specialIDsReport is the report of the example's run with one location
// renamed to specialID in every feed.
func specialIDsReport(t *testing.T) string {
	return editedReport(t, func(_, text string) string {
		return strings.ReplaceAll(text, "STO-03", specialID)
	})
}

func runExample(t *testing.T, dir, db, asOf string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Run([]string{"run", dir, "--data", filepath.Join(dir, "data"),
		"--as-of", asOf, "--db", db}, nil, &stdout, &stderr)
	require.Equal(t, cli.ExitFindings, code, stderr.String())
}

// resolve records the two oldest parity breaks as resolved on the day of
// the replay's last run, in the seed invgen run reads from the built
// project: the runs before that day do not know of it yet, and that day's
// run sees them for the last time. (Resolved any earlier, the runs that
// still see them would report them reopened.)
func resolve(t *testing.T, db, seed string) {
	t.Helper()
	conn, err := sql.Open("duckdb", db)
	require.NoError(t, err)
	defer conn.Close()
	rows, err := conn.Query(`select break_key, '2026-02-14'
		from breaks_ledger where check_name = 'erp_wms_parity'
		order by first_detected, break_key limit 2`)
	require.NoError(t, err)
	defer rows.Close()

	var b bytes.Buffer
	w := csv.NewWriter(&b)
	require.NoError(t, w.Write([]string{"break_key", "root_cause", "resolution", "resolved_at"}))
	for rows.Next() {
		var key, at string
		require.NoError(t, rows.Scan(&key, &at))
		require.NoError(t, w.Write([]string{key, "uom drift", "ERP corrected after a recount",
			at}))
	}
	require.NoError(t, rows.Err())
	w.Flush()
	require.Equal(t, 3, bytes.Count(b.Bytes(), []byte("\n")), "two breaks to resolve")
	require.NoError(t, os.MkdirAll(filepath.Dir(seed), 0o755))
	require.NoError(t, os.WriteFile(seed, b.Bytes(), 0o644))
}

func TestReportOfTheExampleRun(t *testing.T) {
	page, err := os.ReadFile(exampleReport(t))
	require.NoError(t, err)
	html := string(page)
	require.Contains(t, html, "Breaks report, as of "+exampleAsOf)
	for _, name := range chartNames {
		require.Contains(t, html, `<svg data-chart="`+name+`"`)
	}
	require.Contains(t, html, "storefront_honesty", "the example's page break is charted")
	require.NotContains(t, html, "no data</text>", "the example fills every chart")
	require.Contains(t, html, "2 resolved", "the resolutions seed reached the ledger")
	for _, week := range []string{"2026-01-19", "2026-01-26", "2026-02-02", "2026-02-09"} {
		require.Contains(t, html, "<td>"+week+"</td>", "a week of the replay")
	}
}

func TestReportRefusesWhatIsNotARunDatabase(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.html")
	for _, db := range []string{filepath.Join(dir, "missing.duckdb"), dir} {
		var stdout, stderr bytes.Buffer
		code := cli.Run([]string{"report", "--db", db, "--out", out}, nil, &stdout, &stderr)
		require.Equal(t, cli.ExitInvalid, code, db)
		require.Contains(t, stderr.String(), db)
		require.NoFileExists(t, out)
		require.NoFileExists(t, db+".wal", "a read-only open creates nothing")
	}
}

// pageGeometry measures, in the browser, every chart as laid out: its box,
// each bar's box and fill, the points of its line and each text's box, in
// page coordinates, so a bar can be found on the screenshot.
const pageGeometry = `(() => {
  const box = el => { const r = el.getBoundingClientRect();
    return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height}; };
  return Array.from(document.querySelectorAll('svg[data-chart]')).map(svg => ({
    name: svg.dataset.chart,
    box: box(svg),
    bars: Array.from(svg.querySelectorAll('rect.bar')).map(el => ({
      sized: +el.getAttribute('width') > 0 && +el.getAttribute('height') > 0,
      box: box(el), fill: getComputedStyle(el).fill})),
    points: Array.from(svg.querySelectorAll('circle.point')).map(box),
    texts: Array.from(svg.querySelectorAll('text')).map(el => ({
      text: el.textContent, class: el.getAttribute('class'), box: box(el)})),
  }));
})()`

// pageText is what a reader sees of the page, and whether anything in it
// runs: a script would mean an id was not escaped.
const pageText = `({text: document.body.innerText,
  scripts: document.querySelectorAll('script').length})`

type box struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// overlaps reports whether two boxes share more than a pixel each way.
func (a box) overlaps(b box) bool {
	return a.X+a.W > b.X+1 && b.X+b.W > a.X+1 && a.Y+a.H > b.Y+1 && b.Y+b.H > a.Y+1
}

// drawnChart is what pageGeometry returns for one chart.
type drawnChart struct {
	Name string `json:"name"`
	Box  box    `json:"box"`
	Bars []struct {
		Sized bool   `json:"sized"`
		Box   box    `json:"box"`
		Fill  string `json:"fill"`
	} `json:"bars"`
	Points []box `json:"points"`
	Texts  []struct {
		Text  string `json:"text"`
		Class string `json:"class"`
		Box   box    `json:"box"`
	} `json:"texts"`
}

// smokePage is one report the smoke test opens, and the charts on it that
// must show data: bars or points with a size.
type smokePage struct {
	name   string
	path   string
	filled []string
	says   []string // what the reader must see
}

// TestReportRendersInChromium opens reports in Debian's headless Chromium
// (the example's replay, an empty ledger, a run without costs and ids
// made of HTML's special characters) and checks what a reader sees: every
// chart laid out, every bar with a value drawn with a size and in its
// colour on the screenshot, no label over another or over a bar, and the
// text as written. It saves each page's screenshot for people to look at.
func TestReportRendersInChromium(t *testing.T) {
	if os.Getenv("INVGEN_INTEGRATION") != "1" {
		t.Skip("set INVGEN_INTEGRATION=1 to open the report in Chromium")
	}
	browser, err := exec.LookPath("chromium")
	require.NoError(t, err, "scripts/setup-integration installs Debian's chromium")

	singleRun := []string{"break-value-by-check", "break-value-by-location",
		"breaks-per-week", "open-value-per-week", "record-accuracy"}
	pages := []smokePage{
		{name: "example", path: exampleReport(t), filled: chartNames,
			says: []string{"Breaks report, as of " + exampleAsOf, "2 resolved"}},
		{name: "empty-ledger", path: cleanReport(t), filled: []string{"record-accuracy"},
			says: []string{"The ledger holds no breaks", "Breaks report, as of " + exampleAsOf}},
		{name: "no-costs", path: noCostsReport(t),
			filled: []string{"breaks-per-week", "record-accuracy"},
			says:   []string{"open value\nvalue unknown", "breaks in the ledger have no value"}},
		{name: "special-ids", path: specialIDsReport(t), filled: singleRun,
			says: []string{specialID}},
	}
	ctx, cancel := browserContext(t, browser)
	defer cancel()
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) { checkInBrowser(t, ctx, p) })
	}
}

// checkInBrowser opens one report and checks it as a reader would see it.
func checkInBrowser(t *testing.T, ctx context.Context, p smokePage) {
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate("file://"+p.path),
		chromedp.WaitVisible(`svg[data-chart]`),
	)
	require.NoError(t, err)
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]drawnChart](pageGeometry))
	require.NoError(t, err)
	seen, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Text    string `json:"text"`
		Scripts int    `json:"scripts"`
	}](pageText))
	require.NoError(t, err)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	img := saveScreenshot(t, p.name, shot)

	require.Zero(t, seen.Scripts, "nothing on the page runs")
	for _, want := range p.says {
		require.Contains(t, seen.Text, want)
	}
	require.Len(t, charts, len(chartNames))
	for _, c := range charts {
		require.Contains(t, chartNames, c.Name)
		checkChart(t, img, c, slices.Contains(p.filled, c.Name))
	}
}

// checkChart checks one chart as drawn: laid out at a readable size; every
// bar with a value drawn with a size, its centre in its own colour on the
// screenshot; data shown exactly where it must be; no text over another
// text, and the target's label over no bar.
func checkChart(t *testing.T, img image.Image, c drawnChart, filled bool) {
	t.Helper()
	require.Greater(t, c.Box.W, 200.0, c.Name)
	require.Greater(t, c.Box.H, 100.0, c.Name)
	drawn := len(c.Points)
	for _, b := range c.Bars {
		if !b.Sized {
			continue
		}
		require.True(t, b.Box.W >= 0.5 && b.Box.H >= 0.5, "%s: a bar with a value has no "+
			"size on the page: %+v", c.Name, b.Box)
		drawn++
		if b.Box.W >= 3 && b.Box.H >= 3 {
			x, y := int(b.Box.X+b.Box.W/2), int(b.Box.Y+b.Box.H/2)
			require.Equal(t, b.Fill, rgb(img.At(x, y)), "%s: the bar's colour at its "+
				"centre (%d, %d) on the screenshot", c.Name, x, y)
		}
	}
	if filled {
		require.Positive(t, drawn, c.Name+": no bar or point has a size")
	} else {
		require.Zero(t, drawn, c.Name+": bars or points where none has a value")
	}
	for i, a := range c.Texts {
		for _, b := range c.Texts[i+1:] {
			require.False(t, a.Box.overlaps(b.Box), "%s: %q lies over %q", c.Name, a.Text,
				b.Text)
		}
		if a.Class != "target-label" {
			continue
		}
		for _, b := range c.Bars {
			require.False(t, a.Box.overlaps(b.Box), "%s: the target's label lies over a bar",
				c.Name)
		}
	}
}

// rgb writes a pixel as CSS writes a computed colour.
func rgb(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("rgb(%d, %d, %d)", r>>8, g>>8, b>>8)
}

func browserContext(t *testing.T, browser string) (context.Context, context.CancelFunc) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.NoSandbox,
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	return ctx, func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	}
}

// saveScreenshot checks the screenshot is a picture of the whole page and
// keeps it where a person can open it.
func saveScreenshot(t *testing.T, name string, shot []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	require.NoError(t, err)
	require.GreaterOrEqual(t, img.Bounds().Dx(), 1280)
	require.Greater(t, img.Bounds().Dy(), 900, "the full page is longer than the screen")

	path := filepath.Join(os.TempDir(), "invgen-report-"+name+".png")
	require.NoError(t, os.WriteFile(path, shot, 0o644))
	t.Logf("screenshot: %s", path)
	return img
}
