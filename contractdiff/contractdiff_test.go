package contractdiff

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
)

// movements is the contract every rule is tried on, one edit at a time. Its
// line numbers appear in the cases below.
const movements = `source: wms_moves
system: wms
feed: movements
owner: jane.doe@retailer.example
relation: {schema: wms, table: moves}
columns:
  - {name: id, type: varchar, role: movement_id}
  - {name: sku, type: varchar, role: sku}
  - {name: site, type: varchar, role: location_id}
  - {name: qty, type: "decimal(18,3)", role: quantity}
  - {name: kind, type: varchar, role: movement_type, values: {GR: receipt, ADJ: adjustment}}
  - {name: ts, type: timestamp, role: event_time}
  - {name: loaded, type: timestamp, role: loaded_at}
  - {name: note, type: varchar}
semantics:
  quantity_uom: eaches
  movement_grain: per-transaction
  timezone: Europe/Berlin
  idempotency_key: [id, site]
  adjustment_sign: as_reported
delivery:
  freshness_sla: 15m
  completeness: {control_totals: wms_totals, min_ratio: 0.999}
`

// estate is what the movements contract needs beside it to validate: its
// control totals, and pack sizes for a unit other than eaches.
var estate = map[string]string{
	"t.yml": `source: wms_totals
system: wms
feed: control_totals
owner: jane.doe@retailer.example
relation: {schema: wms, table: totals}
columns:
  - {name: day, type: date, role: business_date}
  - {name: rows, type: integer, role: row_count}
`,
	"u.yml": `source: pack_sizes
system: pim
feed: uom_conversions
owner: tom.becker@retailer.example
relation: {schema: pim, table: packs}
columns:
  - {name: sku, type: varchar, role: sku}
  - {name: pack, type: varchar, role: uom, values: {EA: eaches, CS: cases}}
  - {name: eaches, type: integer, role: each_per_uom}
`,
}

// strict loads a folder holding the movements contract as given and the
// estate beside it, and requires it to validate: each rule is tried on a
// change a producer could actually merge.
func strict(t *testing.T, text string) *Side {
	t.Helper()
	fsys := fstest.MapFS{"m.yml": {Data: []byte(text)}}
	for name, data := range estate {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	s, err := LoadBase(fsys, "c")
	require.NoError(t, err)
	require.False(t, s.Lenient, "the edited contract must validate")
	return s
}

// edit applies replacements, old then new, to the movements contract.
func edit(t *testing.T, pairs ...string) string {
	t.Helper()
	text := movements
	for i := 0; i+1 < len(pairs); i += 2 {
		edited := strings.Replace(text, pairs[i], pairs[i+1], 1)
		require.NotEqual(t, text, edited, "the edit %q must apply", pairs[i])
		text = edited
	}
	return text
}

// compare diffs the movements contract against itself with one edit.
func compare(t *testing.T, old, new string) []Change {
	t.Helper()
	return Compare(strict(t, movements), strict(t, edit(t, old, new)))
}

func TestEachRuleHasItsKindCodeAndLine(t *testing.T) {
	cases := []struct {
		name, old, new, code string
		breaking             bool
		line                 int
	}{
		{"timezone", "Europe/Berlin", "UTC", "timezone-changed", true, 18},
		{"event time basis", "timezone: Europe/Berlin",
			"timezone: Europe/Berlin\n  event_time_basis: utc", "event-time-basis-changed", true,
			19},
		{"quantity field", "quantity_uom: eaches", "quantity_field: in_transit\n  quantity_uom: " +
			"eaches", "quantity-field-changed", true, 16},
		{"uom", "quantity_uom: eaches", "quantity_uom: cases", "quantity-uom-changed", true, 16},
		{"grain", "per-transaction", "per-day-summary", "movement-grain-changed", true, 17},
		{"adjustment sign", "adjustment_sign: as_reported", "adjustment_sign: inverted",
			"adjustment-sign-changed", true, 20},
		{"narrowed", `"decimal(18,3)"`, `"decimal(12,3)"`, "type-narrowed", true, 10},
		{"widened", `"decimal(18,3)"`, `"decimal(20,3)"`, "type-widened", false, 10},
		{"kind", "{name: note, type: varchar}", "{name: note, type: date}", "type-changed",
			true, 14},
		{"role removed", "{name: id, type: varchar, role: movement_id}",
			"{name: id, type: varchar}", "role-removed", true, 7},
		{"code removed", "GR: receipt, ", "", "code-removed", true, 11},
		{"code remapped", "GR: receipt", "GR: shipment", "code-remapped", true, 11},
		{"code added", "GR: receipt", "GR: receipt, GI: shipment", "code-added", false, 11},
		{"sla loosened", "15m", "1h", "freshness-loosened", true, 22},
		{"sla tightened", "15m", "5m", "freshness-tightened", false, 22},
		{"sla same length", "15m", "0h15m", "", false, 0},
		{"sla removed", "  freshness_sla: 15m\n", "", "freshness-removed", true, 22},
		{"ratio loosened", "min_ratio: 0.999", "min_ratio: 0.99", "completeness-loosened",
			true, 23},
		{"ratio tightened", ", min_ratio: 0.999", "", "completeness-tightened", false, 23},
		{"completeness removed", "  completeness: {control_totals: wms_totals, min_ratio: " +
			"0.999}\n", "", "completeness-removed", true, 22},
		{"key", "[id, site]", "[id]", "idempotency-key-changed", true, 19},
		{"key order is no change", "[id, site]", "[site, id]", "", false, 0},
		{"owner", "jane.doe@", "john.roe@", "owner-changed", false, 4},
		{"relation", "table: moves", "table: moves_v2", "relation-changed", true, 5},
		{"system", "system: wms", "system: erp", "system-changed", true, 2},
		{"optional column removed", "  - {name: note, type: varchar}\n", "",
			"column-removed", true, 13},
		{"optional column added", "  - {name: note, type: varchar}\n",
			"  - {name: note, type: varchar}\n  - {name: extra, type: integer}\n",
			"column-added", false, 15},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := compare(t, tc.old, tc.new)
			if tc.code == "" {
				require.Empty(t, got)
				return
			}
			require.Len(t, got, 1, "%v", got)
			require.Equal(t, tc.code, got[0].Code)
			require.Equal(t, tc.breaking, got[0].Breaking, got[0].Msg)
			require.Equal(t, tc.line, got[0].Pos.Line, got[0].Msg)
			require.Equal(t, "c/m.yml", got[0].Pos.File)
		})
	}
}

func TestSwappedRolesAreTwoRoleChanges(t *testing.T) {
	swapped := edit(t, "{name: ts, type: timestamp, role: event_time}",
		"{name: ts, type: timestamp, role: loaded_at}",
		"{name: loaded, type: timestamp, role: loaded_at}",
		"{name: loaded, type: timestamp, role: event_time}")
	got := Compare(strict(t, movements), strict(t, swapped))
	require.Len(t, got, 2, "%v", got)
	for i, line := range []int{12, 13} {
		require.Equal(t, "role-changed", got[i].Code)
		require.True(t, got[i].Breaking)
		require.Equal(t, line, got[i].Pos.Line)
	}
	require.Equal(t, "column ts role changed from event_time to loaded_at", got[0].Msg)
}

func TestARemovalPointsAtTheHeadAndAtWhereTheBaseHadIt(t *testing.T) {
	got := compare(t, "  - {name: note, type: varchar}\n", "")
	require.Len(t, got, 1)
	require.Equal(t, contracts.Pos{File: "c/m.yml", Line: 13, Col: 5}, got[0].Pos,
		"the nearest column still there, the last before it, not a base line that "+
			"holds something else in the head")
	require.Equal(t, contracts.Pos{File: "c/m.yml", Line: 14, Col: 5}, got[0].Base)

	// A column removed between others points at the one now in its place.
	withExtra := edit(t, "  - {name: note, type: varchar}\n",
		"  - {name: note, type: varchar}\n  - {name: extra, type: integer}\n")
	noteGone := strings.Replace(withExtra, "  - {name: note, type: varchar}\n", "", 1)
	got = Compare(strict(t, withExtra), strict(t, noteGone))
	require.Len(t, got, 1, "%v", got)
	require.Equal(t, "column-removed", got[0].Code)
	require.Equal(t, contracts.Pos{File: "c/m.yml", Line: 14, Col: 5}, got[0].Pos)

	base := strict(t, movements)
	base.Rev, base.RepoDir = "origin/main", "data/contracts"
	got = Compare(base, strict(t, edit(t, "  - {name: note, type: varchar}\n", "")))
	require.Equal(t, "origin/main:data/contracts/m.yml", got[0].Base.File,
		"git's name for the old file, from the repository's root")
	require.Equal(t, "c/m.yml", got[0].Pos.File, "the work tree's, from where invgen runs")
}

func TestAnUnsetAdjustmentSignIsAsReported(t *testing.T) {
	noAdjustments := edit(t, ", ADJ: adjustment", "", "  adjustment_sign: as_reported\n", "")
	stated := edit(t, ", ADJ: adjustment", "")
	require.Empty(t, Compare(strict(t, noAdjustments), strict(t, stated)))

	inverted := edit(t, ", ADJ: adjustment", "", "as_reported", "inverted")
	got := Compare(strict(t, noAdjustments), strict(t, inverted))
	require.Len(t, got, 1)
	require.Equal(t, "adjustment-sign-changed", got[0].Code)
}

func TestARenamedColumnIsARemovalThatNamesItsSuccessor(t *testing.T) {
	renamed := edit(t, "[id, site]", "[id, location]", "{name: site,", "{name: location,")
	got := Compare(strict(t, movements), strict(t, renamed))
	var msgs []string
	for _, c := range got {
		msgs = append(msgs, c.Msg)
		require.Equal(t, c.Code != "column-added", c.Breaking, c.Msg)
	}
	require.Contains(t, msgs, "column site removed (renamed to location?)")
}

func TestRemovingASourceBreaksOnlyWhenACheckReadsIt(t *testing.T) {
	positions := `source: wms_stock
system: wms
feed: positions
owner: jane.doe@retailer.example
relation: {schema: wms, table: stock}
columns:
  - {name: sku, type: varchar, role: sku}
  - {name: site, type: varchar, role: location_id}
  - {name: qty, type: "decimal(18,3)", role: quantity}
  - {name: day, type: date, role: business_date}
semantics: {quantity_field: on_hand, quantity_uom: eaches}
`
	both := fstest.MapFS{"m.yml": {Data: []byte(movements)}, "p.yml": {Data: []byte(positions)},
		"t.yml": {Data: []byte(estate["t.yml"])}}
	base, err := LoadBase(both, "c")
	require.NoError(t, err)
	require.False(t, base.Lenient)

	head, err := LoadBase(fstest.MapFS{"p.yml": {Data: []byte(positions)}}, "c")
	require.NoError(t, err)
	var removed []Change
	for _, c := range Compare(base, head) {
		if c.Code == "source-removed" {
			removed = append(removed, c)
		}
	}
	require.Len(t, removed, 2, "the movements and their control totals")
	require.True(t, removed[0].Breaking)
	require.Contains(t, removed[0].Msg, "rec_movement_conservation")
	require.Equal(t, "c/m.yml", removed[0].Pos.File, "where the contract was")

	alone := strict(t, movements) // conservation needs positions: nothing reads it
	got := Compare(alone, &Side{})
	require.Len(t, got, 3)
	for _, c := range got {
		if strings.Contains(c.Msg, "wms_moves") {
			require.False(t, c.Breaking, c.Msg)
		}
	}
}

func TestABaseThatNoLongerValidatesIsComparedAsWritten(t *testing.T) {
	invalid := strings.Replace(movements, "owner: jane.doe@retailer.example", "owner: jane", 1)
	base, err := LoadBase(fstest.MapFS{"m.yml": {Data: []byte(invalid)}}, "c")
	require.NoError(t, err)
	require.True(t, base.Lenient)
	got := Compare(base, strict(t, strings.Replace(movements, "Europe/Berlin", "UTC", 1)))
	codes := map[string]contracts.Pos{}
	for _, c := range got {
		codes[c.Code] = c.Base
	}
	require.Contains(t, codes, "timezone-changed")
	require.Equal(t, 18, codes["timezone-changed"].Line, "lenient positions are kept")
}

func TestABaseThatIsNotAContractIsRefusedWithItsPosition(t *testing.T) {
	_, err := LoadBase(fstest.MapFS{"m.yml": {Data: []byte("source: wms\ncolumns: [\n")}},
		"c")
	require.True(t, contracts.IsInvalid(err), "%v", err)
	require.Contains(t, err.Error(), "c/m.yml:2:1: base contract is not readable YAML")

	_, err = LoadBase(fstest.MapFS{"m.yml": {Data: []byte("feed: movements\nsource: [a]\n")}},
		"c")
	require.True(t, contracts.IsInvalid(err), "%v", err)
	require.EqualError(t, err, "c/m.yml:2:1: base contract does not have the contract's "+
		"shape: cannot unmarshal !!seq into string")
}

// A length or a narrower alias is the whole change here: the types
// normalise alike, so only the declared width can tell them apart.
func TestANarrowedLengthOrAliasBreaksAndAWiderOneDoesNot(t *testing.T) {
	cases := []struct {
		old, new, code string
		breaking       bool
	}{
		{`"varchar(20)"`, `"varchar(8)"`, "type-narrowed", true},
		{`"char(10)"`, `"char(5)"`, "type-narrowed", true},
		{"varchar", `"varchar(255)"`, "type-narrowed", true},
		{"integer", "smallint", "type-narrowed", true},
		{"double", "real", "type-narrowed", true},
		{`"varchar(8)"`, `"varchar(20)"`, "type-widened", false},
		{`"varchar(20)"`, "varchar", "type-widened", false},
		{"smallint", "integer", "type-widened", false},
		{"real", "double", "type-widened", false},
		{`"varchar(10)"`, `"char(10)"`, "", false},
		{"int", "integer", "", false},
		{"double", "double precision", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.old+" to "+tc.new, func(t *testing.T) {
			note := func(typ string) string {
				if typ == "varchar" {
					return movements
				}
				return edit(t, "{name: note, type: varchar}", "{name: note, type: "+typ+"}")
			}
			got := Compare(strict(t, note(tc.old)), strict(t, note(tc.new)))
			if tc.code == "" {
				require.Empty(t, got, "the same width, spelt another way")
				return
			}
			require.Len(t, got, 1, "%v", got)
			require.Equal(t, tc.code, got[0].Code)
			require.Equal(t, tc.breaking, got[0].Breaking, got[0].Msg)
			require.Equal(t, 14, got[0].Pos.Line)
			verb := strings.TrimPrefix(tc.code, "type-")
			require.Equal(t, "column note type "+verb+" from "+strings.Trim(tc.old, `"`)+
				" to "+strings.Trim(tc.new, `"`), got[0].Msg, "as the contracts spell it")
		})
	}
}

// Widths are for invgen diff alone: staging casts a varchar(8) as it casts
// a varchar, so narrowing a contract's types changes no generated file.
func TestWidthsChangeNoGeneratedFile(t *testing.T) {
	wide := strict(t, movements)
	narrow := strict(t, edit(t, "{name: note, type: varchar}",
		`{name: note, type: "char(3)"}`, "{name: id, type: varchar,",
		`{name: id, type: "varchar(8)",`))
	require.NotEmpty(t, Compare(wide, narrow), "the contracts differ")

	gen, err := generator.New()
	require.NoError(t, err)
	files := func(s *Side) map[string][]byte {
		res, err := gen.Generate(&contracts.Estate{Contracts: s.Contracts},
			generator.Options{})
		require.NoError(t, err)
		return res.Files
	}
	require.Equal(t, files(wide), files(narrow))
}

func TestTypeOrder(t *testing.T) {
	cases := []struct {
		a, b string
		want typeChange
	}{
		{"integer", "bigint", widened},
		{"bigint", "integer", narrowed},
		{"integer", "decimal(10,0)", widened},
		{"bigint", "decimal(18,2)", narrowed},
		{"decimal(18,3)", "decimal(12,3)", narrowed},
		{"decimal(12,3)", "decimal(18,4)", widened},
		{"decimal(18,3)", "double", narrowed},
		{"integer", "double", widened},
		{"timestamp", "date", narrowed},
		{"date", "timestamp", widened},
		{"varchar", "integer", otherKind},
		{"decimal", "decimal(38,10)", narrowed},
		{"varchar(20)", "varchar(8)", narrowed},
		{"char(10)", "char(5)", narrowed},
		{"text", "varchar(255)", narrowed},
		{"varchar(8)", "varchar(20)", widened},
		{"varchar(20)", "varchar", widened},
		{"varchar(10)", "text", widened},
		{"varchar(10)", "char(10)", sameType},
		{"varchar", "text", sameType},
		{"integer", "smallint", narrowed},
		{"smallint", "integer", widened},
		{"smallint", "int", widened},
		{"int", "integer", sameType},
		{"smallint", "decimal(4,0)", widened},
		{"smallint", "decimal(3,0)", narrowed},
		{"decimal(5,0)", "smallint", narrowed},
		{"double", "real", narrowed},
		{"double precision", "real", narrowed},
		{"real", "double", widened},
		{"double", "float", sameType},
		{"smallint", "real", widened},
		{"integer", "real", narrowed},
		{"bigint", "double", narrowed},
	}
	for _, tc := range cases {
		a, err := contracts.ParseType(tc.a)
		require.NoError(t, err)
		b, err := contracts.ParseType(tc.b)
		require.NoError(t, err)
		require.Equal(t, tc.want, compareTypes(a, b), "%s -> %s", tc.a, tc.b)
	}
}

func TestGitHubAnnotationsEscapeWhatTheRunnerParses(t *testing.T) {
	var b strings.Builder
	cs := []Change{{Pos: contracts.Pos{File: "a,b:c.yml", Line: 3, Col: 5}, Breaking: true,
		Msg: "100% of\nrows"}, {Pos: contracts.Pos{File: "d.yml"}, Msg: "whole file"}}
	require.NoError(t, WriteGitHub(&b, cs, GitHubPaths{}))
	require.Equal(t, "::error file=a%2Cb%3Ac.yml,line=3,col=5,title=invgen diff::breaking: "+
		"100%25 of%0Arows\n::notice file=d.yml,title=invgen diff::compatible: whole file\n",
		b.String())
}

// GitHub places annotations by paths from the repository's root: a file in
// the work tree is named from there however the command named it, a file
// of a git base by its path after REV:, and a file outside as given.
func TestGitHubAnnotationsNameFilesFromTheRepositoryRoot(t *testing.T) {
	root := t.TempDir()
	paths := GitHubPaths{Root: root, Rev: "origin/main"}
	cs := []Change{
		{Pos: contracts.Pos{File: filepath.Join(root, "data", "c", "a.yml"), Line: 2, Col: 3},
			Base:     contracts.Pos{File: "origin/main:data/c/a.yml", Line: 4, Col: 3},
			Breaking: true, Msg: "changed"},
		{Pos: contracts.Pos{File: "origin/main:data/c/gone.yml", Line: 1, Col: 9},
			Breaking: true, Msg: "removed"},
		{Pos: contracts.Pos{File: "/elsewhere/b.yml", Line: 1, Col: 1}, Msg: "added"},
	}
	var b strings.Builder
	require.NoError(t, WriteGitHub(&b, cs, paths))
	require.Equal(t, "::error file=data/c/a.yml,line=2,col=3,title=invgen diff::breaking: "+
		"changed (base origin/main:data/c/a.yml:4:3)\n"+
		"::error file=data/c/gone.yml,line=1,col=9,title=invgen diff::breaking: removed\n"+
		"::notice file=/elsewhere/b.yml,line=1,col=1,title=invgen diff::compatible: added\n",
		b.String())
}
