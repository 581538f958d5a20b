package contracts_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

// movesYAML is a valid movements contract. Tests mutate it with edit, so
// its line numbers are part of every expected message: keep it stable.
const movesYAML = `source: wms_moves
system: wms
feed: movements
owner: jane.doe@example.com
relation: {database: raw, schema: wms, table: moves}
columns:
  - {name: movement_id, type: varchar, role: movement_id}
  - {name: sku, type: varchar, role: sku}
  - {name: warehouse, type: varchar, role: location_id}
  - {name: qty, type: "decimal(18,3)", role: quantity}
  - {name: move_type, type: varchar, role: movement_type, values: {GR: receipt, ADJ: adjustment}}
  - {name: posted_at, type: timestamp, role: event_time}
  - {name: _loaded_at, type: timestamp, role: loaded_at}
semantics:
  quantity_field: on_hand
  quantity_uom: eaches
  movement_grain: per-transaction
  timezone: Europe/Berlin
  idempotency_key: [movement_id, warehouse]
  adjustment_sign: as_reported
delivery:
  freshness_sla: 15m
  completeness: {control_totals: wms_totals, min_ratio: 0.999}
on_violation:
  quarantine: true
  notify: [producer, inventory-data-oncall]
`

// stockYAML is a valid on-hand positions contract of the same system.
const stockYAML = `source: wms_stock
system: wms
feed: positions
owner: jane.doe@example.com
relation: {schema: wms, table: stock}
columns:
  - {name: sku, type: varchar, role: sku}
  - {name: warehouse, type: varchar, role: location_id}
  - {name: qty, type: integer, role: quantity}
  - {name: snap_date, type: date, role: business_date}
semantics:
  quantity_field: on_hand
  quantity_uom: eaches
`

// totalsYAML is the control_totals feed movesYAML's completeness names.
const totalsYAML = `source: wms_totals
system: wms
feed: control_totals
owner: jane.doe@example.com
relation: {schema: wms, table: totals}
columns:
  - {name: business_day, type: date, role: business_date}
  - {name: exported_rows, type: integer, role: row_count}
`

// convYAML is a uom_conversions feed that converts cases but not pallets.
const convYAML = `source: packs
system: pim
feed: uom_conversions
owner: tom.becker@example.com
relation: {schema: pim, table: packs}
columns:
  - {name: sku, type: varchar, role: sku}
  - {name: pack, type: varchar, role: uom, values: {EA: eaches, CS: cases}}
  - {name: per, type: integer, role: each_per_uom}
`

// edit applies old→new replacements to base, each of which must match
// exactly once, so that a drifting base fails loudly instead of silently
// testing nothing.
func edit(t *testing.T, base string, pairs ...string) string {
	t.Helper()
	require.Zero(t, len(pairs)%2, "edit takes old/new pairs")
	for i := 0; i < len(pairs); i += 2 {
		require.Equal(t, 1, strings.Count(base, pairs[i]), "edit: %q", pairs[i])
		base = strings.Replace(base, pairs[i], pairs[i+1], 1)
	}
	return base
}

// lines returns the diagnostics err carries, each formatted, in the order
// they came; it fails when err is not Diagnostics.
func lines(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ds contracts.Diagnostics
	require.True(t, errors.As(err, &ds), "not Diagnostics: %v", err)
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Error()
	}
	return out
}

// parse runs ParseContract on one file named m.yml.
func parse(t *testing.T, src string) (*contracts.Contract, []string) {
	t.Helper()
	c, err := contracts.ParseContract("m.yml", []byte(src))
	if err != nil {
		require.Nil(t, c, "a contract and an error")
	}
	return c, lines(t, err)
}

// estate is an in-memory folder of files.
func estate(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return fsys
}

// validEstate is three contracts that load cleanly together.
func validEstate() map[string]string {
	return map[string]string{
		"wms_moves.yml":  movesYAML,
		"wms_stock.yml":  stockYAML,
		"wms_totals.yml": totalsYAML,
	}
}

// load runs Load on files under the folder name "est".
func load(t *testing.T, files map[string]string) (*contracts.Estate, []string) {
	t.Helper()
	e, err := contracts.Load(estate(files), "est")
	if err != nil {
		require.Nil(t, e, "an estate and an error")
	}
	return e, lines(t, err)
}
