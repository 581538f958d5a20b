package proof

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/synth"
)

// The clean estate Prove builds holds every trap that must stay silent, so
// "silent on the clean estate" means silent on them: movements within an
// hour of local midnight in Berlin and Chicago, quantities in cases
// converted per SKU, exact replays, sub-unit noise inside the kit-build
// tolerance and refunds still inside their grace period.
func TestTheProofsCleanEstateCarriesEveryTrap(t *testing.T) {
	estate, res := retailResult(t)
	project, err := engine.Load(res.All())
	require.NoError(t, err)
	p := synth.ProofParams()
	p.Days = historyDays(estate, p)
	world := synth.NewWorld(estate, p)
	wb, err := newWorkbench(context.Background(), estate, project, world)
	require.NoError(t, err)
	defer wb.close()

	traps := map[string]string{
		"Berlin movements within an hour of local midnight": `select count(*)
			from main.stg_wms_eu_movements where hour(event_time) in (23, 0)`,
		"Chicago movements within an hour of local midnight": `select count(*)
			from main.stg_wms_us_movements where hour(timezone('America/Chicago',
			timezone('UTC', event_time_utc))) in (23, 0)`,
		"quantities in cases, converted per SKU": `select count(*)
			from main.stg_wms_us_movements where uom = 'cases'
			and quantity <> quantity_reported`,
		"exact replays under the same idempotency key": `select count(*)
			from main.quarantine_wms_eu_movements where quarantine_reason = 'exact replay'`,
		"sub-unit noise inside the kit-build tolerance": `select count(*)
			from main.int_conservation_compared where location_class = 'kit_build'
			and break_qty <> 0 and abs(break_qty) <= tolerance_qty`,
		"refunds inside their grace period, not yet disposed": `select count(*)
			from main.stg_refunds as r where r.business_date > date '` + world.AsOf() +
			`' - interval 14 day and not exists (select 1 from main.stg_dispositions as d
			where d.refund_id = r.refund_id)`,
	}
	for trap, query := range traps {
		var n int
		require.NoError(t, wb.db.QueryRow(query).Scan(&n), trap)
		require.Positive(t, n, trap)
	}
	require.NoError(t, proveClean(wb, res), "and every check stays silent on them")
}
