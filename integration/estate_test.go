package integration

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/invgen/invgen/cli"
	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/proof"
	"github.com/invgen/invgen/synth"
)

// exampleDir is the retail example's contracts, as a user passes them to
// invgen build.
const exampleDir = "../examples/retail"

// estate is the retail example's project as `invgen build` wrote it and the
// data sets every adapter runs it on, with what invgen's own engine made of
// them. dbt runs in dir; the engine runs files, read back from dir.
type estate struct {
	contracts *contracts.Estate
	root      string            // a temporary folder holding dir, removed by TestMain
	dir       string            // the project invgen build wrote
	files     map[string][]byte // dir's files
	tests     map[string]*engine.Test
	recs      []recModel // the reconciliation models, as the engine built them

	clean, faulty, example *dataset
}

// datasets are the data sets in the order every adapter loads them.
func (est *estate) datasets() []*dataset {
	return []*dataset{est.clean, est.example, est.faulty}
}

// dataset is one estate's raw rows and invgen's own results on them: the
// rows every reconciliation returned and every test's status.
type dataset struct {
	name   string
	seeds  map[string][]byte       // source → its rows as a CSV file, for dbt seed
	tables map[string]*synth.Table // the rows, for a synthesised data set
	dir    string                  // the folder of CSV files, for the example's own data
	asOf   string

	injected map[string][]synth.Break // check or monitor → the breaks planted for it
	mustFail []string                 // tests the planted breaks must fail, when known
	// verdicts is what each monitor's alert test must end as, from the
	// patterns planted: warn or fail (by its severity) where one was planted
	// for it, pass elsewhere; nil when the data set's patterns are unknown.
	verdicts map[string]string
	rows     recRows           // invgen's rows of every reconciliation model
	statuses map[string]string // test → pass, warn or fail
}

var (
	shared     *estate
	sharedErr  error
	sharedOnce sync.Once
)

// retail builds the shared estate once per test binary.
func retail(t *testing.T) *estate {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = newEstate() })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

// faultTargets is where the faulty data set breaks each check.
var faultTargets = []struct {
	check  string
	fault  synth.Fault
	source string
}{
	{generator.CheckConservation, synth.FaultLostMovement, "wms_us_movements"},
	{generator.CheckConservation, synth.FaultDoublePost, "wms_us_movements"},
	{generator.CheckParity, synth.FaultCasesAsEaches, "wms_positions"},
	{generator.CheckHonesty, synth.FaultStaleAvailability, "storefront_availability"},
	{generator.CheckReturns, synth.FaultOpenRefund, "refunds"},
	{generator.CheckControlTotals, synth.FaultMissingRows, "wms_eu_movements"},
	{generator.MonitorVolume, synth.FaultVolumeDrop, "wms_eu_movements"},
	{generator.MonitorFlatline, synth.FaultFlatline, "erp_onhand"},
	{generator.MonitorStale, synth.FaultStaleATP, "erp_atp"},
	{generator.MonitorQuarantineSLA, synth.FaultAgedQuarantine, "wms_us_movements"},
	{"inventory_record_accuracy", synth.FaultMiscount, "wms_cycle_counts"},
}

// history is long enough for every monitor to judge against its baseline.
func history() synth.Params {
	p := synth.DefaultParams()
	p.Days = 40
	return p
}

func newEstate() (*estate, error) {
	e, err := contracts.Load(os.DirFS(exampleDir), "examples/retail")
	if err != nil {
		return nil, err
	}
	est := &estate{contracts: e}
	if err := est.build(); err != nil {
		return nil, err
	}
	if err := est.prepare(); err != nil {
		os.RemoveAll(est.root)
		return nil, err
	}
	return est, nil
}

// prepare makes the data sets and runs invgen's engine on each.
func (est *estate) prepare() error {
	truth, err := readGroundTruth()
	if err != nil {
		return err
	}
	clean := synth.NewWorld(est.contracts, history())
	est.clean = synthesised("clean", clean.Render(), clean.AsOf())
	faulty, err := faultyTruth(est.contracts)
	if err != nil {
		return err
	}
	est.faulty = faulty.set
	if est.example, err = exampleSet(est.contracts, truth); err != nil {
		return err
	}

	for _, ds := range est.datasets() {
		if err := est.runEngine(ds); err != nil {
			return fmt.Errorf("%s data set: %w", ds.name, err)
		}
	}
	ticket := est.contracts.Project.Alerts.TicketValue
	est.example.mustFail = impliedFailures(truth, est.tests, ticket)
	est.faulty.mustFail = impliedFailures(faulty.truth, est.tests, ticket)
	est.example.verdicts = monitorVerdicts(truth, est.tests)
	est.faulty.verdicts = monitorVerdicts(faulty.truth, est.tests)
	return nil
}

// build runs `invgen build` on the example, as a user does, and reads back
// every file it wrote.
func (est *estate) build() error {
	root, err := os.MkdirTemp("", "invgen-retail-")
	if err != nil {
		return err
	}
	est.root, est.dir = root, filepath.Join(root, "project")
	var stdout, stderr bytes.Buffer
	args := []string{"build", exampleDir, "--out", est.dir}
	if code := cli.Run(args, strings.NewReader(""), &stdout, &stderr); code != cli.ExitOK {
		return fmt.Errorf("invgen %s: exit %d\n%s%s", strings.Join(args, " "), code,
			stdout.String(), stderr.String())
	}
	est.files, err = readTree(est.dir)
	return err
}

// readTree reads every file under dir, by slash-separated relative path.
func readTree(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)], err = os.ReadFile(path)
		return err
	})
	return files, err
}

// synthesised is a data set of rendered tables.
func synthesised(name string, tables map[string]*synth.Table, asOf string) *dataset {
	ds := &dataset{name: name, tables: tables, asOf: asOf, seeds: map[string][]byte{}}
	for source, t := range tables {
		var csv bytes.Buffer
		if err := t.WriteCSV(&csv); err != nil {
			panic(err) // writing to a buffer cannot fail
		}
		ds.seeds[source] = csv.Bytes()
	}
	return ds
}

// plantedSet is a synthesised data set and the ground truth of what was
// planted in it.
type plantedSet struct {
	set   *dataset
	truth proof.GroundTruth
}

// faultyTruth is a synthesised estate with every fault of faultTargets in
// it, and its ground truth: each fault with the model of the check or
// monitor that must catch it.
func faultyTruth(e *contracts.Estate) (plantedSet, error) {
	models, err := checkModels(e)
	if err != nil {
		return plantedSet{}, err
	}
	w := synth.NewWorld(e, history())
	injected := map[string][]synth.Break{}
	var truth proof.GroundTruth
	for _, ft := range faultTargets {
		b, err := w.Inject(ft.fault, ft.source)
		if err != nil {
			return plantedSet{}, err
		}
		if models[ft.check] == "" {
			return plantedSet{}, fmt.Errorf("the project has no check or monitor %s", ft.check)
		}
		injected[ft.check] = append(injected[ft.check], b)
		truth.Injected = append(truth.Injected, proof.Injected{Fault: ft.fault,
			Source: ft.source, Check: ft.check, Model: models[ft.check], Break: b})
	}
	ds := synthesised("faulty", w.Render(), w.AsOf())
	ds.injected = injected
	truth.AsOf = ds.asOf
	return plantedSet{set: ds, truth: truth}, nil
}

// checkModels maps every check and monitor of the project generated for an
// estate to the model it reports in.
func checkModels(e *contracts.Estate) (map[string]string, error) {
	gen, err := generator.New()
	if err != nil {
		return nil, err
	}
	res, err := gen.Generate(e, generator.Options{})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range res.Checks {
		out[c.Name] = c.Model
	}
	for _, m := range res.Monitors {
		out[m.Name] = m.Model
	}
	return out, nil
}

// monitorVerdicts is what every monitor's alert test must end as on a data
// set with a ground truth: a monitor whose pattern was planted alerts, so
// its test fails at severity error and warns at severity warn; a monitor
// with nothing planted for it passes, so one that fires on clean data or
// on another check's culprit is caught as surely as one that never fires.
func monitorVerdicts(truth proof.GroundTruth, tests map[string]*engine.Test) map[string]string {
	planted := map[string]bool{}
	for _, inj := range truth.Injected {
		planted[inj.Model] = true
	}
	out := map[string]string{}
	for name, t := range tests {
		if t.Generic != "invgen_monitor_alerts" {
			continue
		}
		switch {
		case !planted[t.Model]:
			out[name] = "pass"
		case strings.EqualFold(t.Severity, "warn"):
			out[name] = "warn"
		default: // dbt's default severity is error
			out[name] = "fail"
		}
	}
	return out
}

// runEngine builds the project on a data set with invgen's own engine and
// records the rows and test statuses every adapter must agree with.
func (est *estate) runEngine(ds *dataset) error {
	ctx := context.Background()
	db, err := proof.Open("")
	if err != nil {
		return err
	}
	defer db.Close()
	if err := est.loadRaw(ctx, db, ds); err != nil {
		return err
	}
	if err := est.buildAndTest(ctx, db, ds); err != nil {
		return err
	}
	if est.recs == nil {
		if est.recs, err = recModels(ctx, db, est.tests); err != nil {
			return err
		}
	}
	ds.rows, err = est.engineRows(ctx, db)
	return err
}

// loadRaw creates the raw tables and loads a data set into them.
func (est *estate) loadRaw(ctx context.Context, db *sql.DB, ds *dataset) error {
	if err := fixtures.CreateRaw(ctx, db, est.contracts); err != nil {
		return err
	}
	for _, con := range est.contracts.Contracts {
		if err := ds.load(ctx, db, con); err != nil {
			return err
		}
	}
	return nil
}

// load loads one source's rows: synthesised rows directly, the example's
// CSV file as invgen reads a user's files.
func (ds *dataset) load(ctx context.Context, db *sql.DB, con *contracts.Contract) error {
	if ds.tables != nil {
		return fixtures.LoadTable(ctx, db, con, ds.tables[con.Source])
	}
	path, err := fixtures.Find(ds.dir, con.Source)
	if err != nil {
		return err
	}
	if path == "" {
		return fmt.Errorf("%s: no data file for %s", ds.dir, con.Source)
	}
	return fixtures.LoadFile(ctx, db, con, path)
}

// buildAndTest builds every model in the engine and runs every test,
// keeping each test's status.
func (est *estate) buildAndTest(ctx context.Context, db *sql.DB, ds *dataset) error {
	project, err := engine.Load(est.files)
	if err != nil {
		return err
	}
	opt := engine.Options{Vars: map[string]any{"invgen_as_of_date": ds.asOf}}
	if err := project.Build(ctx, db, opt); err != nil {
		return err
	}
	results, err := project.RunTests(ctx, db, opt)
	if err != nil {
		return err
	}
	ds.statuses = map[string]string{}
	est.tests = map[string]*engine.Test{}
	for _, r := range results {
		ds.statuses[r.Test.Name] = r.Status
		est.tests[r.Test.Name] = r.Test
	}
	return nil
}

// engineRows reads every reconciliation row from the engine's database
// with the same query dbt-duckdb runs.
func (est *estate) engineRows(ctx context.Context, db *sql.DB) (recRows, error) {
	rows, err := db.QueryContext(ctx, est.recQuery("duckdb", func(m string) string {
		return "main." + m
	}))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := recRows{}
	for rows.Next() {
		var model, text string
		if err := rows.Scan(&model, &text); err != nil {
			return nil, err
		}
		if err := out.add(est.recs, model, text); err != nil {
			return nil, err
		}
	}
	out.sort()
	return out, rows.Err()
}
