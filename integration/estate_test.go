package integration

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/proof"
	"github.com/invgen/invgen/synth"
)

// estate is the retail example's generated project and the two data sets
// every adapter runs it on, with what invgen's own engine made of them.
type estate struct {
	contracts *contracts.Estate
	files     map[string][]byte
	checks    []generator.Check
	clean     *dataset
	faulty    *dataset
}

// dataset is one synthesised estate's raw rows and invgen's own results on
// them: the rows every reconciliation returned and every test's status.
type dataset struct {
	name     string
	tables   map[string]*synth.Table
	asOf     string
	injected map[string][]synth.Break // check or monitor → what was injected for it
	rows     []string                 // canonical break rows, sorted
	statuses map[string]string        // test → pass, warn or fail
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
	e, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	if err != nil {
		return nil, err
	}
	gen, err := generator.New()
	if err != nil {
		return nil, err
	}
	res, err := gen.Generate(e, generator.Options{ContractDir: ".."})
	if err != nil {
		return nil, err
	}
	est := &estate{contracts: e, files: res.All(), checks: res.Checks}

	clean := synth.NewWorld(e, history())
	est.clean = &dataset{name: "clean", tables: clean.Render(), asOf: clean.AsOf()}

	faulty := synth.NewWorld(e, history())
	est.faulty = &dataset{name: "faulty", asOf: faulty.AsOf(),
		injected: map[string][]synth.Break{}}
	for _, ft := range faultTargets {
		b, err := faulty.Inject(ft.fault, ft.source)
		if err != nil {
			return nil, err
		}
		est.faulty.injected[ft.check] = append(est.faulty.injected[ft.check], b)
	}
	est.faulty.tables = faulty.Render()

	for _, ds := range []*dataset{est.clean, est.faulty} {
		if err := est.runEngine(ds); err != nil {
			return nil, fmt.Errorf("%s data set: %w", ds.name, err)
		}
	}
	return est, nil
}

// runEngine builds the project on a data set with invgen's own engine and
// records the break rows and test statuses every adapter must agree with.
func (est *estate) runEngine(ds *dataset) error {
	ctx := context.Background()
	project, err := engine.Load(est.files)
	if err != nil {
		return err
	}
	db, err := proof.Open("")
	if err != nil {
		return err
	}
	defer db.Close()
	if err := fixtures.CreateRaw(ctx, db, est.contracts); err != nil {
		return err
	}
	for _, con := range est.contracts.Contracts {
		if err := fixtures.LoadTable(ctx, db, con, ds.tables[con.Source]); err != nil {
			return err
		}
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
	for _, r := range results {
		ds.statuses[r.Test.Name] = r.Status
	}
	rows, err := db.QueryContext(ctx, est.breakQuery("duckdb", func(m string) string {
		return "main." + m
	}))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var check, key string
		var qty, value *float64
		if err := rows.Scan(&check, &key, &qty, &value); err != nil {
			return err
		}
		ds.rows = append(ds.rows, canonical(check, key, qty, value))
	}
	sort.Strings(ds.rows)
	return rows.Err()
}

// breakKeys are the columns that identify a break of each check.
var breakKeys = map[string][]string{
	generator.CheckConservation:  {"system", "sku", "location_id", "business_date"},
	generator.CheckParity:        {"sku", "location_id", "business_date"},
	generator.CheckHonesty:       {"sku", "location_id", "shown_at"},
	generator.CheckReturns:       {"refund_id", "sku"},
	generator.CheckControlTotals: {"source_name", "business_date"},
}

// breakQuery selects every break of every check as check, key, quantity
// and value, in SQL every adapter runs. relation names a model.
func (est *estate) breakQuery(adapter string, relation func(string) string) string {
	text, num := "varchar", "double"
	switch adapter {
	case "spark":
		text = "string"
	case "postgres":
		num = "double precision"
	}
	var parts []string
	for _, ch := range est.checks {
		var keys []string
		for _, k := range breakKeys[ch.Name] {
			keys = append(keys, fmt.Sprintf("coalesce(cast(%s as %s), '')", k, text))
		}
		parts = append(parts, fmt.Sprintf("select check_name, %s as break_key, "+
			"cast(break_qty as %s) as break_qty, cast(break_value as %s) as "+
			"break_value from %s", strings.Join(keys, " || '|' || "), num, num,
			relation(ch.Model)))
	}
	return strings.Join(parts, "\nunion all\n")
}

// canonical renders a break row the same way whichever engine produced it.
func canonical(check, key string, qty, value *float64) string {
	return strings.Join([]string{check, key, number(qty), number(value)}, " ")
}

func number(f *float64) string {
	if f == nil {
		return "NULL"
	}
	return strconv.FormatFloat(math.Round(*f*1e4)/1e4, 'f', 4, 64)
}
