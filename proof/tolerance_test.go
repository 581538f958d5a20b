package proof

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

// Honesty and returns take the tolerance of the location's class, as
// conservation and parity do, and show it in every row: a kit build allows
// two units here, a store nothing, and a refund with no location takes the
// default's one.
func TestHonestyAndReturnsApplyTheLocationClassTolerance(t *testing.T) {
	db := retailWith(t, func(p *contracts.Project) {
		p.Tolerances["kit_build"] = contracts.Tolerance{Qty: 2}
		p.Tolerances[contracts.DefaultTolerance] = contracts.Tolerance{Qty: 1}
	}, map[string]any{"invgen_as_of_date": "2026-02-01"},
		`insert into erp.locations values ('KB-1', 'KB', 'kit'), ('ST-1', 'ST', 'store')`,
		`insert into erp.atp_snapshots values
		('SKU-1', 'KB-1', 10, '2026-01-10 08:00:00', '2026-01-10 08:01:00'),
		('SKU-1', 'ST-1', 10, '2026-01-10 08:00:00', '2026-01-10 08:01:00')`,
		`insert into storefront.availability_snapshots values
		('SKU-1', 'KB-1', 'web', 12, '2026-01-10 09:00:00', '2026-01-10 09:01:00'),
		('SKU-1', 'KB-1', 'web', 13, '2026-01-10 10:00:00', '2026-01-10 10:01:00'),
		('SKU-1', 'ST-1', 'web', 11, '2026-01-10 09:00:00', '2026-01-10 09:01:00')`,
		`insert into erp.refund_lines values
		('R1', 'SKU-1', 'KB-1', 2, '2026-01-05 12:00:00', '2026-01-05 12:01:00'),
		('R2', 'SKU-1', 'KB-1', 3, '2026-01-05 12:00:00', '2026-01-05 12:01:00'),
		('R3', 'SKU-1', 'ST-1', 1, '2026-01-05 12:00:00', '2026-01-05 12:01:00'),
		('R4', 'SKU-1', NULL, 1, '2026-01-05 12:00:00', '2026-01-05 12:01:00'),
		('R5', 'SKU-1', NULL, 2, '2026-01-05 12:00:00', '2026-01-05 12:01:00')`)

	honesty := rows(t, db, `select location_id, location_class, shown_at, break_qty,
		tolerance_qty from main.rec_storefront_honesty order by location_id, shown_at`)
	require.Equal(t, [][]string{
		{"KB-1", "kit_build", "2026-01-10 10:00:00", "3", "2"},
		{"ST-1", "store", "2026-01-10 09:00:00", "1", "0"},
	}, honesty, "2 over ATP at a kit build is within its tolerance")

	returns := rows(t, db, `select refund_id, location_class, break_qty, tolerance_qty
		from main.rec_returns_closure order by refund_id`)
	require.Equal(t, [][]string{
		{"R2", "kit_build", "3", "2"},
		{"R3", "store", "1", "0"},
		{"R5", "NULL", "2", "1"},
	}, returns, "2 open units at a kit build, 1 with no location, are within tolerance")
}
