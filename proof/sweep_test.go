package proof

import (
	"context"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/synth"
)

// sweepVariant is the retail estate with some settings or contracts
// changed, and what building it must do: prove every check and monitor, or
// be refused by validation with a message naming what is wrong.
type sweepVariant struct {
	name    string
	edits   []sweepEdit
	remove  []string // contract files left out
	refused string   // "" when the build must prove everything
}

// sweepEdit sets a dotted path of one file to a YAML value; a nil value
// deletes the key.
type sweepEdit struct {
	file, path string
	value      any
}

// setting changes invgen.yml.
func setting(path string, value any) sweepEdit {
	return sweepEdit{file: "invgen.yml", path: path, value: value}
}

// change changes a contract.
func change(file, path string, value any) sweepEdit {
	return sweepEdit{file: file, path: path, value: value}
}

// tol is a tolerance as invgen.yml states it.
func tol(qty, pct float64) map[string]float64 {
	out := map[string]float64{}
	if qty != 0 || pct == 0 {
		out["qty"] = qty
	}
	if pct != 0 {
		out["pct"] = pct
	}
	return out
}

var everyTolerance = []string{"default", "store", "dc", "kit_build"}

// tolerances sets one tolerance for the default and every class.
func tolerances(t map[string]float64) []sweepEdit {
	var out []sweepEdit
	for _, class := range everyTolerance {
		out = append(out, setting("tolerances."+class, t))
	}
	return out
}

// sweepSettings covers the edges of every invgen.yml setting: each number
// at its minimum, a typical value and a large one, and tolerances zero,
// absolute, relative and everywhere.
var sweepSettings = []sweepVariant{
	{name: "as shipped"},
	{name: "tolerances all zero", edits: tolerances(tol(0, 0))},
	{name: "tolerances all qty 1", edits: append(tolerances(tol(1, 0)),
		setting("tolerances.kit_build", tol(0.5, 0)))},
	{name: "tolerances everywhere qty 2 pct 0.01", edits: tolerances(tol(2, 0.01))},
	{name: "tolerances everywhere qty 5", edits: tolerances(tol(5, 0))},
	{name: "tolerances everywhere pct 0.1", edits: tolerances(tol(0, 0.1))},
	{name: "tolerances everywhere pct 0.5", edits: tolerances(tol(0, 0.5))},
	{name: "tolerances everywhere pct 1", edits: tolerances(tol(0, 1)),
		refused: "tolerances.default.pct: 1 is not below 1"},
	{name: "tolerances pct only", edits: append(tolerances(tol(0, 0)),
		setting("tolerances.kit_build", tol(0, 0.05)))},
	{name: "tolerance default only", edits: append(tolerances(tol(0, 0)),
		setting("tolerances.default", tol(0.5, 0)))},
	{name: "tolerances absent", edits: []sweepEdit{setting("tolerances", nil)}},
	{name: "ticket_value 0", edits: []sweepEdit{setting("alerts.ticket_value", 0)}},
	{name: "ticket_value huge", edits: []sweepEdit{setting("alerts.ticket_value", 1e12)}},
	{name: "returns_days 0", edits: []sweepEdit{setting("grace.returns_days", 0)}},
	{name: "returns_days 1", edits: []sweepEdit{setting("grace.returns_days", 1)}},
	{name: "returns_days 2", edits: []sweepEdit{setting("grace.returns_days", 2)}},
	{name: "returns_days 4", edits: []sweepEdit{setting("grace.returns_days", 4)}},
	{name: "returns_days 60", edits: []sweepEdit{setting("grace.returns_days", 60)}},
	{name: "baseline_days 7", edits: []sweepEdit{setting("monitors.baseline_days", 7)},
		refused: "monitors.baseline_days: 7 is less than monitors.min_history_days (28, " +
			"the default)"},
	{name: "baseline_days 7 min_history 7", edits: []sweepEdit{
		setting("monitors.baseline_days", 7), setting("monitors.min_history_days", 7)}},
	{name: "baseline_days 365", edits: []sweepEdit{setting("monitors.baseline_days", 365)}},
	{name: "min_history_days 1", edits: []sweepEdit{setting("monitors.min_history_days", 1)}},
	{name: "min_history_days 200", edits: []sweepEdit{
		setting("monitors.min_history_days", 200)},
		refused: "monitors.min_history_days: 200 is more than monitors.baseline_days (90)"},
	{name: "min_history_days 200 baseline 365", edits: []sweepEdit{
		setting("monitors.min_history_days", 200), setting("monitors.baseline_days", 365)}},
	{name: "sigma 0", edits: []sweepEdit{setting("monitors.sigma", 0)}},
	{name: "sigma 100", edits: []sweepEdit{setting("monitors.sigma", 100)}},
	{name: "flatline_days 1", edits: []sweepEdit{setting("monitors.flatline_days", 1)}},
	{name: "flatline_days 120", edits: []sweepEdit{setting("monitors.flatline_days", 120)}},
	{name: "drift_days 1", edits: []sweepEdit{setting("monitors.drift_days", 1)}},
	{name: "drift_days 60", edits: []sweepEdit{setting("monitors.drift_days", 60)}},
	{name: "ira_target 0", edits: []sweepEdit{setting("monitors.ira_target", 0)}},
	{name: "ira_target 0.5", edits: []sweepEdit{setting("monitors.ira_target", 0.5)}},
	{name: "ira_target 1", edits: []sweepEdit{setting("monitors.ira_target", 1)}},
	{name: "sla_days 1", edits: []sweepEdit{setting("quarantine.sla_days", 1)}},
	{name: "sla_days 60", edits: []sweepEdit{setting("quarantine.sla_days", 60)}},
	{name: "self-join conservation", edits: []sweepEdit{
		setting("checks.conservation_form", "self_join")}},
}

// sweepContracts changes the contracts: each one left out where the rest
// stays valid, and the semantics that change what every check reads.
var sweepContracts = []sweepVariant{
	{name: "without costs", remove: []string{"costs.yml"}},
	{name: "without dispositions", remove: []string{"dispositions.yml"}},
	{name: "without erp_atp", remove: []string{"erp_atp.yml"}},
	{name: "without erp_onhand", remove: []string{"erp_onhand.yml"}},
	{name: "without locations", remove: []string{"locations.yml"}},
	{name: "without refunds", remove: []string{"refunds.yml"}},
	{name: "without storefront_availability",
		remove: []string{"storefront_availability.yml"}},
	{name: "without uom_conversions", remove: []string{"uom_conversions.yml"},
		refused: "uom"},
	{name: "without wms_cycle_counts", remove: []string{"wms_cycle_counts.yml"}},
	{name: "without wms_eu_control_totals", remove: []string{"wms_eu_control_totals.yml"},
		edits: []sweepEdit{change("wms_eu_movements.yml", "delivery.completeness", nil)}},
	{name: "min_ratio 0.99", edits: []sweepEdit{
		change("wms_eu_movements.yml", "delivery.completeness.min_ratio", 0.99)}},
	{name: "min_ratio 0.9", edits: []sweepEdit{
		change("wms_eu_movements.yml", "delivery.completeness.min_ratio", 0.9)}},
	{name: "min_ratio 0.5", edits: []sweepEdit{
		change("wms_eu_movements.yml", "delivery.completeness.min_ratio", 0.5)}},
	{name: "min_ratio 1", edits: []sweepEdit{
		change("wms_eu_movements.yml", "delivery.completeness.min_ratio", 1)}},
	{name: "without wms_eu_movements", remove: []string{"wms_eu_movements.yml",
		"wms_eu_control_totals.yml"}},
	{name: "without wms_positions", remove: []string{"wms_positions.yml"}},
	{name: "without wms_us_movements", remove: []string{"wms_us_movements.yml"}},
	{name: "every timezone UTC", edits: []sweepEdit{
		change("dispositions.yml", "semantics.timezone", "UTC"),
		change("refunds.yml", "semantics.timezone", "UTC"),
		change("wms_eu_movements.yml", "semantics.timezone", "UTC"),
		change("wms_us_movements.yml", "semantics.timezone", "UTC")}},
	{name: "event times local", edits: []sweepEdit{
		change("erp_atp.yml", "semantics.event_time_basis", "local"),
		change("storefront_availability.yml", "semantics.event_time_basis", "local"),
		change("wms_us_movements.yml", "semantics.event_time_basis", "local")}},
	{name: "event times utc", edits: []sweepEdit{
		change("wms_eu_movements.yml", "semantics.event_time_basis", "utc"),
		change("refunds.yml", "semantics.event_time_basis", "utc"),
		change("dispositions.yml", "semantics.event_time_basis", "utc")}},
	{name: "adjustment signs swapped", edits: []sweepEdit{
		change("wms_eu_movements.yml", "semantics.adjustment_sign", "inverted"),
		change("wms_us_movements.yml", "semantics.adjustment_sign", "as_reported")}},
	{name: "ATP by business date", edits: []sweepEdit{
		change("erp_atp.yml", "columns.3", map[string]string{"name": "computed_on",
			"type": "date", "role": "business_date"}),
		change("erp_atp.yml", "semantics.idempotency_key", []string{"sku", "location_id",
			"computed_on"}),
		change("erp_atp.yml", "semantics.timezone", nil),
		change("erp_atp.yml", "semantics.event_time_basis", nil)}},
	{name: "WMS on-hand by event time", edits: []sweepEdit{
		change("wms_positions.yml", "columns.3", map[string]string{"name": "snapshot_at",
			"type": "timestamp", "role": "event_time"}),
		change("wms_positions.yml", "semantics.idempotency_key", []string{"sku", "location",
			"snapshot_at"}),
		change("wms_positions.yml", "semantics.timezone", "America/Chicago"),
		change("wms_positions.yml", "semantics.event_time_basis", "utc")}},
	{name: "ERP on-hand in whole units", edits: []sweepEdit{
		change("erp_onhand.yml", "columns.2.type", "integer")}},
	{name: "availability by channel", edits: []sweepEdit{
		change("storefront_availability.yml", "columns.1", nil),
		change("storefront_availability.yml", "semantics.idempotency_key", []string{"sku",
			"channel", "shown_at"})}},
	{name: "movements in daily summaries", edits: []sweepEdit{
		change("wms_eu_movements.yml", "semantics.movement_grain", "per-day-summary"),
		change("wms_us_movements.yml", "semantics.movement_grain", "per-day-summary")}},
}

// TestTheRetailEstateIsProvenUnderEverySetting builds the retail estate
// under every variant of the sweep, in memory, as invgen build does but for
// its validation on the fixtures: load and validate the contracts, generate,
// prove. A valid setting must never make a build fail its proofs, since
// that is a gap in invgen's synthesised estate, not in the user's input;
// one that cannot mean anything is refused by validation instead.
func TestTheRetailEstateIsProvenUnderEverySetting(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the retail estate some fifty times")
	}
	base := retailFiles(t)
	benches = 1 // the variants run side by side instead
	t.Cleanup(func() { benches = 0 })
	for _, v := range append(append([]sweepVariant{}, sweepSettings...), sweepContracts...) {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			sweepBuild(t, base, v)
		})
	}
}

// sweepBuild builds one variant of the retail files.
func sweepBuild(t *testing.T, base fstest.MapFS, v sweepVariant) {
	fsys := fstest.MapFS{}
	for name, f := range base {
		fsys[name] = &fstest.MapFile{Data: f.Data}
	}
	for _, name := range v.remove {
		require.Contains(t, fsys, name)
		delete(fsys, name)
	}
	for _, e := range v.edits {
		fsys[e.file] = &fstest.MapFile{Data: editYAML(t, fsys[e.file].Data, e.path, e.value)}
	}
	estate, err := contracts.Load(fsys, "retail")
	if v.refused != "" {
		require.Error(t, err)
		require.True(t, contracts.IsInvalid(err), "%v", err)
		require.ErrorContains(t, err, v.refused)
		return
	}
	require.NoError(t, err)
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	proof, err := Prove(context.Background(), estate, res, synth.Params{})
	require.NoError(t, err)
	require.Len(t, proof.Proven, len(res.Checks))
	require.Len(t, proof.Monitors, len(res.Monitors))
	t.Logf("%d/%d checks, %d/%d monitors proven in %s", len(proof.Proven), proof.Total,
		len(proof.Monitors), proof.MonitorTotal, proof.Elapsed.Round(1e6))
}

// retailFiles reads the retail example's contracts and project file,
// without its fixtures, so that builds prove on synthesised data.
func retailFiles(t *testing.T) fstest.MapFS {
	t.Helper()
	entries, err := os.ReadDir("../examples/retail")
	require.NoError(t, err)
	fsys := fstest.MapFS{}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".yml" {
			continue
		}
		b, err := os.ReadFile("../examples/retail/" + e.Name())
		require.NoError(t, err)
		fsys[e.Name()] = &fstest.MapFile{Data: b}
	}
	fsys["invgen.yml"].Data = editYAML(t, fsys["invgen.yml"].Data, "fixtures", nil)
	return fsys
}

// editYAML sets the value at a dotted path of a YAML document, creating
// mappings on the way; a number in the path indexes a list, and a nil value
// deletes what is there.
func editYAML(t *testing.T, data []byte, at string, value any) []byte {
	t.Helper()
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(data, &doc))
	node := doc.Content[0]
	keys := strings.Split(at, ".")
	for i, key := range keys {
		last := i == len(keys)-1
		if node.Kind == yaml.SequenceNode {
			idx := 0
			for _, r := range key {
				idx = idx*10 + int(r-'0')
			}
			require.Less(t, idx, len(node.Content), at)
			if last && value == nil {
				node.Content = append(node.Content[:idx], node.Content[idx+1:]...)
			} else if last {
				node.Content[idx] = valueNode(t, value)
			}
			if !last {
				node = node.Content[idx]
			}
			continue
		}
		node = mappingChild(t, node, key, last, value)
	}
	out, err := yaml.Marshal(&doc)
	require.NoError(t, err)
	return out
}

// mappingChild returns a mapping's value under key, creating it (or, when
// last, setting or deleting it).
func mappingChild(t *testing.T, node *yaml.Node, key string, last bool,
	value any) *yaml.Node {
	for i := 0; i+1 < len(node.Content); i += 2 {
		if node.Content[i].Value != key {
			continue
		}
		switch {
		case last && value == nil:
			node.Content = append(node.Content[:i], node.Content[i+2:]...)
			return nil
		case last:
			node.Content[i+1] = valueNode(t, value)
		}
		return node.Content[i+1]
	}
	if last && value == nil {
		return nil
	}
	child := &yaml.Node{Kind: yaml.MappingNode}
	if last {
		child = valueNode(t, value)
	}
	node.Content = append(node.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, child)
	return child
}

func valueNode(t *testing.T, value any) *yaml.Node {
	var n yaml.Node
	require.NoError(t, n.Encode(value))
	return &n
}
