package contracts_test

import (
	"errors"
	"os"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

// with returns the valid estate with files replaced, added or (for a nil
// value) removed.
func with(files map[string]*string) map[string]string {
	out := validEstate()
	for name, src := range files {
		if src == nil {
			delete(out, name)
			continue
		}
		out[name] = *src
	}
	return out
}

func ptr(s string) *string { return &s }

// TestLoadEstate covers the checks only the estate as a whole can answer.
func TestLoadEstate(t *testing.T) {
	tests := []struct {
		name  string
		files func(t *testing.T) map[string]*string
		want  []string
	}{{
		name: "two contracts with one source name",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"zz.yml": ptr(edit(t, stockYAML,
				"source: wms_stock", "source: wms_moves", "table: stock", "table: stock2"))}
		},
		want: []string{`est/zz.yml:1:9: source: "wms_moves" is already defined at ` +
			"est/wms_moves.yml:1:9"},
	}, {
		name: "completeness against a source that does not exist",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"wms_totals.yml": nil}
		},
		want: []string{"est/wms_moves.yml:23:34: delivery.completeness.control_totals: " +
			`no source named "wms_totals"`},
	}, {
		name: "completeness against a misspelt control total",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"wms_totals.yml": ptr(edit(t, totalsYAML,
				"source: wms_totals", "source: wms_total"))}
		},
		want: []string{"est/wms_moves.yml:23:34: delivery.completeness.control_totals: " +
			`no source named "wms_totals" (did you mean "wms_total"?)`},
	}, {
		name: "completeness against a feed that is not control_totals",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"wms_moves.yml": ptr(edit(t, movesYAML,
				"control_totals: wms_totals", "control_totals: wms_stock"))}
		},
		want: []string{"est/wms_moves.yml:23:34: delivery.completeness.control_totals: " +
			`"wms_stock" is a positions feed, not control_totals`},
	}, {
		name: "a unit with no uom_conversions feed to convert it",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"wms_stock.yml": ptr(edit(t, stockYAML,
				"quantity_uom: eaches", "quantity_uom: cases"))}
		},
		want: []string{"est/wms_stock.yml:13:17: semantics.quantity_uom: no conversion " +
			"path from cases to eaches: the estate has no uom_conversions feed"},
	}, {
		name: "a unit the uom_conversions feed does not map",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"packs.yml": ptr(convYAML),
				"wms_stock.yml": ptr(edit(t, stockYAML,
					"quantity_uom: eaches", "quantity_uom: pallets"))}
		},
		want: []string{"est/wms_stock.yml:13:17: semantics.quantity_uom: no conversion " +
			"path from pallets to eaches: est/packs.yml maps no code to pallets"},
	}, {
		name: "a unit the uom_conversions feed maps",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"packs.yml": ptr(convYAML),
				"wms_stock.yml": ptr(edit(t, stockYAML,
					"quantity_uom: eaches", "quantity_uom: cases"))}
		},
	}, {
		name: "a uom column code with no conversion path",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"wms_stock.yml": ptr(edit(t, stockYAML,
				"  quantity_uom: eaches\n", "", "  - {name: snap",
				"  - {name: unit, type: varchar, role: uom, values: {EA: eaches, PL: pallets}}\n"+
					"  - {name: snap"))}
		},
		want: []string{"est/wms_stock.yml:10:69: columns[3].values.PL: no conversion path " +
			"from pallets to eaches: the estate has no uom_conversions feed"},
	}, {
		name: "a uom_conversions feed without a values map converts any unit",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{
				"packs.yml": ptr(edit(t, convYAML, ", values: {EA: eaches, CS: cases}", "")),
				"wms_stock.yml": ptr(edit(t, stockYAML,
					"quantity_uom: eaches", "quantity_uom: pallets"))}
		},
	}, {
		name: "a second uom_conversions feed",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"packs.yml": ptr(convYAML),
				"packs2.yml": ptr(edit(t, convYAML, "source: packs", "source: packs2"))}
		},
		want: []string{"est/packs2.yml:3:7: feed: a second uom_conversions feed (the first " +
			"is est/packs.yml): invgen joins one; union them upstream"},
	}, {
		name: "a duplicate key keeps the first value, so the source is still known",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"wms_totals.yml": ptr(edit(t, totalsYAML,
				"system: wms\n", "system: wms\nsystem: erp\n"))}
		},
		want: []string{`est/wms_totals.yml:3:1: file: duplicate key "system" (first at line 2)`},
	}, {
		name: "a file that does not parse may hold the source a reference names",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"wms_totals.yml": ptr(edit(t, totalsYAML,
				"system: wms", "\tsystem: wms")),
				"invgen.yml": ptr("checks:\n  parity:\n    - {erp: nope, wms: wms_stock}\n")}
		},
		want: []string{"est/wms_totals.yml:2:1: invalid YAML: found a tab character that " +
			"violates indentation"},
	}, {
		name: "an empty contract file",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"empty.yml": ptr("")}
		},
		want: []string{"est/empty.yml:1:1: the file is empty"},
	}, {
		name: "a .yaml file is a contract too",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{"extra.yaml": ptr("source: [\n")}
		},
		want: []string{"est/extra.yaml:1:1: invalid YAML: did not find expected node content"},
	}, {
		name: "hidden files and other extensions are not contracts",
		files: func(t *testing.T) map[string]*string {
			return map[string]*string{".draft.yml": ptr("source: [\n"),
				"notes.md": ptr("# notes\n"), "wms.yml.bak": ptr("nonsense")}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, got := load(t, with(tt.files(t)))
			require.Equal(t, tt.want, got)
			if tt.want == nil {
				require.NotNil(t, e)
			}
		})
	}
}

// TestLoadProject covers invgen.yml: its shape and its references.
func TestLoadProject(t *testing.T) {
	tests := []struct {
		name, project string
		want          []string
	}{{
		name:    "an unknown key",
		project: "project: x\ncurency: EUR\n",
		want: []string{`est/invgen.yml:2:1: file: unknown key "curency" ` +
			`(did you mean "currency"?)`},
	}, {
		name:    "an unknown target",
		project: "targets: [duckdb, snowflak]\n",
		want: []string{`est/invgen.yml:1:19: targets[1]: "snowflak" is not one of duckdb, ` +
			`postgres, snowflake, bigquery, spark (did you mean "snowflake"?)`},
	}, {
		name:    "a target listed twice",
		project: "targets: [duckdb, postgres, duckdb]\n",
		want:    []string{"est/invgen.yml:1:29: targets[2]: duckdb is listed twice"},
	}, {
		name:    "tolerances out of bounds and an unsafe class",
		project: "tolerances:\n  Kit-Build: {qty: 1}\n  store: {pct: 1}\n  dc: {qty: -1}\n",
		want: []string{
			`est/invgen.yml:2:14: tolerances: "Kit-Build" is not a safe location class name`,
			"est/invgen.yml:3:16: tolerances.store.pct: 1 is not below 1",
			"est/invgen.yml:4:13: tolerances.dc.qty: -1 is below the minimum 0",
		},
	}, {
		name:    "monitor settings of the wrong type or too small",
		project: "monitors:\n  baseline_days: 3\n  sigma: lots\n  flatline_days: 1.5\n",
		want: []string{
			"est/invgen.yml:2:18: monitors.baseline_days: 3 is below the minimum 7",
			`est/invgen.yml:3:10: monitors.sigma: expected a number, found "lots"`,
			"est/invgen.yml:4:18: monitors.flatline_days: expected an integer, found the " +
				"number 1.5",
		},
	}, {
		name:    "an unsafe project name",
		project: "project: My-Project\n",
		want: []string{`est/invgen.yml:1:10: project: "My-Project" is not a safe dbt name: ` +
			notSafe},
	}, {
		name:    "an unsafe profile name",
		project: "project: shop\nprofile: Prod\n",
		want: []string{`est/invgen.yml:2:10: profile: "Prod" is not a safe dbt name: ` +
			notSafe},
	}, {
		name:    "an empty project file",
		project: "",
		want:    []string{"est/invgen.yml:1:1: the file is empty"},
	}, {
		name:    "a project file that is a list",
		project: "- project: x\n",
		want:    []string{"est/invgen.yml:1:1: file: expected a mapping, found a list"},
	}, {
		name:    "a project file with a syntax error",
		project: "project: [\n",
		want:    []string{"est/invgen.yml:1:1: invalid YAML: did not find expected node content"},
	}, {
		name: "a check pair naming a missing source",
		project: "checks:\n  conservation:\n" +
			"    - {positions: wms_stok, movements: [wms_moves, nope]}\n",
		want: []string{
			"est/invgen.yml:3:19: checks.conservation[0].positions: no source named " +
				`"wms_stok" (did you mean "wms_stock"?)`,
			`est/invgen.yml:3:52: checks.conservation[0].movements[1]: no source named "nope"`,
		},
	}, {
		name:    "a check pair naming a source of the wrong feed",
		project: "checks:\n  parity:\n    - {erp: wms_moves, wms: wms_stock}\n",
		want: []string{`est/invgen.yml:3:13: checks.parity[0].erp: "wms_moves" is a ` +
			"movements feed, not positions"},
	}, {
		name:    "a check pair naming positions of the wrong stock number",
		project: "checks:\n  honesty:\n    - {availability: wms_stock, atp: wms_stock}\n",
		want: []string{
			`est/invgen.yml:3:22: checks.honesty[0].availability: "wms_stock" is a ` +
				"positions feed, not availability",
			`est/invgen.yml:3:38: checks.honesty[0].atp: "wms_stock" holds on_hand, not ` +
				"available_to_promise",
		},
	}, {
		name:    "a check pair missing one side",
		project: "checks:\n  returns:\n    - {refunds: wms_totals}\n",
		want: []string{
			`est/invgen.yml:3:7: checks.returns[0]: missing required key "dispositions"`,
			`est/invgen.yml:3:17: checks.returns[0].refunds: "wms_totals" is a ` +
				"control_totals feed, not refunds",
		},
	}, {
		name:    "a check pair with a misspelt key",
		project: "checks:\n  parity:\n    - {erp: wms_stock, wsm: wms_stock}\n",
		want: []string{
			`est/invgen.yml:3:7: checks.parity[0]: missing required key "wms"`,
			`est/invgen.yml:3:24: checks.parity[0]: unknown key "wsm" (did you mean "wms"?)`,
		},
	}, {
		name: "a valid conservation pair",
		project: "checks:\n  conservation:\n" +
			"    - {positions: wms_stock, movements: [wms_moves]}\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := load(t, with(map[string]*string{"invgen.yml": ptr(tt.project)}))
			require.Equal(t, tt.want, got)
		})
	}
}

// TestLoadProjectDefaults: without invgen.yml every setting has a default,
// and the dbt profile follows the project name.
func TestLoadProjectDefaults(t *testing.T) {
	e, got := load(t, validEstate())
	require.Empty(t, got)
	require.Equal(t, contracts.DefaultProject().Name, e.Project.Name)
	require.Equal(t, e.Project.Name, e.Project.Profile)
	require.Equal(t, contracts.Targets, e.Project.Targets)

	e, got = load(t, with(map[string]*string{"invgen.yml": ptr("project: shop\n")}))
	require.Empty(t, got)
	require.Equal(t, "shop", e.Project.Profile)
	require.Equal(t, "est/invgen.yml", e.Project.File)
	require.Equal(t, 14, e.Project.Grace.ReturnsDays)
}

// TestLoadNoContracts: a folder without contracts is an error, not an
// empty project.
func TestLoadNoContracts(t *testing.T) {
	want := []string{"est: no contracts: expected *.yml files beside invgen.yml"}
	_, got := load(t, map[string]string{})
	require.Equal(t, want, got)
	_, got = load(t, map[string]string{"invgen.yml": "project: x\n"})
	require.Equal(t, want, got)
}

// TestLoadOnePassSorted: five problems in one file are five lines, and
// problems across files come sorted by file, line and column.
func TestLoadOnePassSorted(t *testing.T) {
	five := edit(t, movesYAML,
		"system: wms", "system: WMS",
		"owner: jane.doe@example.com", "owner: jane",
		"freshness_sla: 15m", "freshness_sla: soon",
		"Europe/Berlin", "Berlin",
		"quarantine: true", "quarantine: maybe")
	_, got := parse(t, five)
	require.Len(t, got, 5)

	files := with(map[string]*string{
		"wms_moves.yml": ptr(five),
		"a_first.yml": ptr(edit(t, stockYAML, "source: wms_stock", "source: stock_a",
			"quantity_uom: eaches", "quantity_uom: crates")),
		"invgen.yml": ptr("targets: [duckdb, oracle]\n"),
	})
	_, got = load(t, files)
	require.Equal(t, []string{
		`est/a_first.yml:13:17: semantics.quantity_uom: "crates" is not one of eaches, ` +
			`inners, cases, pallets (did you mean "cases"?)`,
		`est/invgen.yml:1:19: targets[1]: "oracle" is not one of duckdb, postgres, ` +
			"snowflake, bigquery, spark",
		`est/wms_moves.yml:2:9: system: "WMS" is not a safe SQL name: ` + notSafe,
		`est/wms_moves.yml:4:8: owner: "jane" is not an email address: name a person ` +
			"who answers for the feed",
		`est/wms_moves.yml:18:13: semantics.timezone: "Berlin" is not an IANA timezone ` +
			"name such as Europe/Berlin",
		`est/wms_moves.yml:22:18: delivery.freshness_sla: "soon" is not a duration such ` +
			"as 15m, 2h, 1d or 1h30m",
		`est/wms_moves.yml:25:15: on_violation.quarantine: expected true or false, ` +
			`found "maybe"`,
	}, got)
}

// TestDiagnostics covers the error type the CLI maps to exit code 3.
func TestDiagnostics(t *testing.T) {
	ds := contracts.Diagnostics{
		{Pos: contracts.Pos{File: "b.yml", Line: 2, Col: 1}, Msg: "z"},
		{Pos: contracts.Pos{File: "a.yml", Line: 10, Col: 1}, Msg: "y"},
		{Pos: contracts.Pos{File: "a.yml", Line: 9, Col: 5}, Msg: "x"},
		{Pos: contracts.Pos{File: "a.yml", Line: 9, Col: 3}, Msg: "w"},
		{Pos: contracts.Pos{File: "a.yml", Line: 9, Col: 3}, Msg: "v"},
		{Pos: contracts.Pos{File: "dir"}, Msg: "u"},
	}
	require.Equal(t, "a.yml:9:3: v\na.yml:9:3: w\na.yml:9:5: x\na.yml:10:1: y\n"+
		"b.yml:2:1: z\ndir: u", ds.Error())
	require.Equal(t, "b.yml:2:1: z", ds[0].Error(), "Sorted must not reorder in place")

	wrapped := errors.Join(errors.New("context"), ds)
	require.True(t, contracts.IsInvalid(wrapped))
	require.False(t, contracts.IsInvalid(errors.New("disk full")))
	require.False(t, contracts.IsInvalid(nil))
}

// TestLoadRetailExample: the example estate loads cleanly, and its
// accessors answer what the generator asks.
func TestLoadRetailExample(t *testing.T) {
	e, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	require.Len(t, e.Contracts, 13)
	require.Equal(t, "retail_inventory", e.Project.Name)
	require.True(t, sort.SliceIsSorted(e.Contracts, func(i, j int) bool {
		return e.Contracts[i].Source < e.Contracts[j].Source
	}))

	c := e.Contract("wms_eu_movements")
	require.NotNil(t, c)
	require.Nil(t, e.Contract("nope"))
	require.Equal(t, "examples/retail/wms_eu_movements.yml", c.File)
	require.Equal(t, contracts.Pos{File: c.File, Line: 21, Col: 13}, c.Pos("semantics.timezone"))
	require.Equal(t, contracts.Pos{File: c.File, Line: 18, Col: 3}, c.Pos("semantics.nope"),
		"an absent value points at its parent")
	require.Len(t, e.ByFeed(contracts.FeedMovements), 2)
	require.Len(t, e.ByFeed(contracts.FeedUOMConversions), 1)
	require.True(t, c.Quarantines())
	require.Equal(t, "local", c.Basis())
	require.Equal(t, "on_hand", c.QuantityField())

	col, ok := c.Column(contracts.RoleMovementType)
	require.True(t, ok)
	require.Equal(t, []contracts.Code{{"ADJ", "adjustment"}, {"GI", "shipment"},
		{"GR", "receipt"}, {"RET", "return_restock"}}, col.Codes())
	require.False(t, c.Has(contracts.RoleUOM))
	require.Equal(t, "eaches", c.UOM())

	require.Equal(t, 0.5, e.Project.ToleranceFor("kit_build").Qty)
	require.Equal(t, e.Project.ToleranceFor("default"), e.Project.ToleranceFor("unlisted"))
}

// TestWhereTolerancesApply: in the example only kit builds take an
// absolute tolerance of their own, and every class the locations feed names
// has one, so no location takes the default; a class left out of
// invgen.yml takes it.
func TestWhereTolerancesApply(t *testing.T) {
	e, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	require.Equal(t, []string{"kit_build"}, e.AbsoluteToleranceClasses())
	require.True(t, e.AbsoluteToleranceApplies())
	require.False(t, e.DefaultToleranceTaken())

	delete(e.Project.Tolerances, "store")
	e.Project.Tolerances["kit_build"] = contracts.Tolerance{}
	require.Empty(t, e.AbsoluteToleranceClasses())
	require.False(t, e.AbsoluteToleranceApplies())
	require.True(t, e.DefaultToleranceTaken(), "stores take the default")
}

// TestLoadReadError: an unreadable folder is a plain error, not
// diagnostics, so the CLI reports a failure rather than invalid input.
func TestLoadReadError(t *testing.T) {
	_, err := contracts.Load(os.DirFS("/nonexistent/invgen"), "missing")
	require.Error(t, err)
	require.False(t, contracts.IsInvalid(err))
}
