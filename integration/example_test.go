package integration

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/proof"
	"github.com/invgen/invgen/synth"
)

// exampleData is the example's own data: a CSV file per source and the
// ground truth of the culprits planted in it.
var exampleData = filepath.Join(exampleDir, "data")

func readGroundTruth() (proof.GroundTruth, error) {
	var truth proof.GroundTruth
	path := filepath.Join(exampleData, "ground_truth.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return truth, err
	}
	if err := json.Unmarshal(data, &truth); err != nil {
		return truth, fmt.Errorf("%s: %w", path, err)
	}
	return truth, nil
}

// exampleSet is the example's CSV files, judged as of the ground truth's
// date. dbt seeds the files as they are; invgen's engine reads them as it
// reads a user's files.
func exampleSet(e *contracts.Estate, truth proof.GroundTruth) (*dataset, error) {
	ds := &dataset{name: "example", dir: exampleData, asOf: truth.AsOf,
		seeds: map[string][]byte{}, injected: map[string][]synth.Break{}}
	for _, con := range e.Contracts {
		path, err := fixtures.Find(exampleData, con.Source)
		if err != nil {
			return nil, err
		}
		if !strings.HasSuffix(path, ".csv") {
			return nil, fmt.Errorf("%s: no CSV file for %s", exampleData, con.Source)
		}
		if ds.seeds[con.Source], err = os.ReadFile(path); err != nil {
			return nil, err
		}
	}
	for _, inj := range truth.Injected {
		ds.injected[inj.Check] = append(ds.injected[inj.Check], inj.Break)
	}
	return ds, nil
}

// impliedFailures are the page and ticket tests a ground truth says must
// fail: every page test of a model it breaks; a ticket test of a monitor it
// sets off; a reconciliation's ticket test when a planted break is worth
// the ticket value or more.
func impliedFailures(truth proof.GroundTruth, tests map[string]*engine.Test,
	ticket float64) []string {
	var out []string
	for name, t := range tests {
		for _, inj := range truth.Injected {
			if inj.Model == t.Model && implies(t, inj.Break, ticket) {
				out = append(out, name)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

func implies(t *engine.Test, b synth.Break, ticket float64) bool {
	switch t.Meta["alert_tier"] {
	case "page":
		return true
	case "ticket":
		if !strings.HasPrefix(t.Model, "rec_") {
			return true
		}
		return b.Value != nil && math.Abs(*b.Value) >= ticket
	}
	return false
}

// injectedBreaksAppear checks invgen's own rows hold every break planted in
// a data set: a data set with culprits is only a test of dbt if invgen
// finds them.
func injectedBreaksAppear(t *testing.T, est *estate, ds *dataset) {
	t.Helper()
	for check, breaks := range ds.injected {
		m := est.recOf(check)
		if m == nil {
			continue // a monitor's pattern; its test statuses are compared instead
		}
		for _, b := range breaks {
			if !m.holds(ds.rows[m.name], b) {
				t.Errorf("%s data: planted break missing from invgen's %s: %v qty %v "+
					"value %v\ninvgen's rows:\n  %s", ds.name, m.name, b.Keys, b.Qty,
					number(b.Value), describeAll(m, ds.rows[m.name]))
			}
		}
	}
}

// recOf is the reconciliation model of a check, or nil for a monitor.
func (est *estate) recOf(check string) *recModel {
	for i := range est.recs {
		if est.recs[i].check == check {
			return &est.recs[i]
		}
	}
	return nil
}

func number(f *float64) string {
	if f == nil {
		return nullText
	}
	return formatNumber(*f)
}

func describeAll(m *recModel, rows [][]string) string {
	lines := make([]string, len(rows))
	for i, row := range rows {
		lines[i] = m.describe(row)
	}
	return strings.Join(lines, "\n  ")
}

// TestExampleDataHoldsItsCulprits guards the example's own data set: every
// break its ground truth plants is in invgen's rows, every page and ticket
// test the ground truth implies fails under invgen, and exactly the
// monitors whose patterns it plants alert.
func TestExampleDataHoldsItsCulprits(t *testing.T) {
	requireIntegration(t)
	est := retail(t)
	injectedBreaksAppear(t, est, est.example)
	if len(est.example.mustFail) == 0 {
		t.Fatal("the ground truth implies no failing page or ticket test")
	}
	requirePlanted(t, est.example, est.example.statuses, "invgen")
	t.Logf("monitor verdicts: %v", est.example.verdicts)
	t.Logf("tests that must fail: %s", strings.Join(est.example.mustFail, ", "))
}
