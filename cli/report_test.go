package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
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

	out := filepath.Join(dir, "report.html")
	var stdout, stderr bytes.Buffer
	code := cli.Run([]string{"report", "--db", db, "--out", out}, nil, &stdout, &stderr)
	require.Equal(t, cli.ExitOK, code, stderr.String())
	require.Equal(t, out+"\n", stdout.String())
	return out
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
	require.Contains(t, html, "Breaks report, as of 2026-02-14")
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

// barGeometry measures, in the browser, every chart's box and how many of
// its bars and points were laid out with a size: the proof that the SVG
// rendered rather than merely parsed.
const barGeometry = `Array.from(document.querySelectorAll('svg[data-chart]')).map(svg => {
  const box = svg.getBoundingClientRect();
  const drawn = Array.from(svg.querySelectorAll('rect.bar, circle.point'))
    .filter(el => { const b = el.getBBox(); return b.width > 0 && b.height > 0; });
  return {name: svg.dataset.chart, width: box.width, height: box.height,
    drawn: drawn.length};
})`

// chartBox is what barGeometry returns for one chart.
type chartBox struct {
	Name   string  `json:"name"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	Drawn  int     `json:"drawn"`
}

// TestReportRendersInChromium opens the example's report in Debian's
// headless Chromium, checks each chart was laid out with visible bars, and
// saves a screenshot for people to look at.
func TestReportRendersInChromium(t *testing.T) {
	if os.Getenv("INVGEN_INTEGRATION") != "1" {
		t.Skip("set INVGEN_INTEGRATION=1 to open the report in Chromium")
	}
	browser, err := exec.LookPath("chromium")
	require.NoError(t, err, "scripts/setup-integration installs Debian's chromium")

	ctx, cancel := browserContext(t, browser)
	defer cancel()
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate("file://"+exampleReport(t)),
		chromedp.WaitVisible(`svg[data-chart]`),
	)
	require.NoError(t, err)
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartBox](barGeometry))
	require.NoError(t, err)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)

	require.Len(t, charts, len(chartNames))
	for _, c := range charts {
		require.Contains(t, chartNames, c.Name)
		require.Greater(t, c.Width, 200.0, c.Name)
		require.Greater(t, c.Height, 100.0, c.Name)
		require.Positive(t, c.Drawn, c.Name+": no bar or point has a size")
	}
	saveScreenshot(t, shot)
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
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	return ctx, func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	}
}

// saveScreenshot checks the screenshot is a real picture of the page, with
// the bars' blue in it, and keeps it where a person can open it.
func saveScreenshot(t *testing.T, shot []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	require.NoError(t, err)
	require.GreaterOrEqual(t, img.Bounds().Dx(), 1280)
	require.Greater(t, img.Bounds().Dy(), 900, "the full page is longer than the screen")
	require.True(t, hasColour(img, 0x2f, 0x6d, 0xb5), "no bar colour on the screenshot")

	path := filepath.Join(os.TempDir(), "invgen-report-screenshot.png")
	require.NoError(t, os.WriteFile(path, shot, 0o644))
	t.Logf("screenshot: %s", path)
}

func hasColour(img image.Image, r, g, b uint8) bool {
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if uint8(pr>>8) == r && uint8(pg>>8) == g && uint8(pb>>8) == b {
				return true
			}
		}
	}
	return false
}
