package proof

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/synth"
)

// cleanBench builds the clean estate Prove builds for a project.
func cleanBench(t *testing.T, estate *contracts.Estate, res *generator.Result) *workbench {
	t.Helper()
	project, err := engine.Load(res.All())
	require.NoError(t, err)
	p := synth.ProofParams()
	p.Days = historyDays(estate, p)
	wb, err := newWorkbench(context.Background(), estate, project, synth.NewWorld(estate, p))
	require.NoError(t, err)
	t.Cleanup(wb.close)
	return wb
}

// trapsOf lists the traps as kind and where, in order.
func trapsOf(traps []Trap) [][2]string {
	var out [][2]string
	for _, t := range traps {
		out = append(out, [2]string{t.Kind, t.Place()})
	}
	return out
}

// The clean estate Prove builds holds every trap that must stay silent, so
// "silent on the clean estate" means silent on them: movements within an
// hour of local midnight in Berlin and Chicago whose UTC date is another,
// quantities in cases converted per SKU, exact replays, sub-unit noise
// inside the kit-build tolerance, refunds still inside their grace period
// and one on its last day. The example's min_ratio of 0.999 leaves its
// small days no room for a row short.
func TestTheProofsCleanEstateCarriesEveryTrap(t *testing.T) {
	estate, res := retailResult(t)
	wb := cleanBench(t, estate, res)

	traps, idle, err := holdTraps(wb, res)
	require.NoError(t, err)
	require.Equal(t, [][2]string{
		{TrapMidnight, "wms_eu_movements, Europe/Berlin"},
		{TrapMidnight, "wms_us_movements, America/Chicago"},
		{TrapUnits, "wms_us_movements"},
		{TrapReplay, "wms_eu_movements"},
		{TrapReplay, "wms_us_movements"},
		{TrapNoise, "kit_build"},
		{TrapGrace, "refunds"},
		{TrapEdge, "refunds"},
	}, trapsOf(traps))
	require.Empty(t, idle, "every feed has rows")
	for _, trap := range traps {
		require.Positive(t, trap.Rows, trap.Kind+" in "+trap.Where)
	}
	require.NoError(t, proveClean(wb, res), "and every check stays silent on them")

	proof, err := Prove(context.Background(), estate, res, synth.Params{})
	require.NoError(t, err)
	require.Equal(t, traps, proof.Traps, "the build counts the same traps")
	require.Empty(t, proof.IdleFeeds)
}

// Each count is what it says: the rows a query written another way, on
// the raw tables or in UTC, finds.
func TestTrapCountsAreTheRowsOfTheirModels(t *testing.T) {
	estate, res := retailResult(t)
	wb := cleanBench(t, estate, res)
	traps, _, err := countTraps(wb, res)
	require.NoError(t, err)

	asOf := wb.vars["invgen_as_of_date"].(string)
	direct := map[[2]string]string{
		{TrapMidnight, "wms_eu_movements, Europe/Berlin"}: `select count(*)
			from wms_eu.movements where hour(posted_at) in (23, 0)
			and cast(timezone('UTC', timezone('Europe/Berlin', posted_at)) as date)
				<> cast(posted_at as date)
			and (movement_id, warehouse, _loaded_at) in (select (movement_id, warehouse,
			min(_loaded_at)) from wms_eu.movements group by movement_id, warehouse)`,
		{TrapMidnight, "wms_us_movements, America/Chicago"}: `select count(distinct txn_id)
			from (select txn_id, txn_ts_utc, timezone('America/Chicago',
				timezone('UTC', txn_ts_utc)) as local_ts
				from wms_us.inventory_transactions) as txns
			where hour(local_ts) in (23, 0)
				and cast(local_ts as date) <> cast(txn_ts_utc as date)`,
		{TrapUnits, "wms_us_movements"}: `select count(distinct txn_id)
			from wms_us.inventory_transactions where unit_of_measure = 'CS'`,
		{TrapReplay, "wms_eu_movements"}: `select count(*) - count(distinct (movement_id,
			warehouse, qty)) from wms_eu.movements`,
		{TrapReplay, "wms_us_movements"}: `select count(*) - count(distinct txn_id)
			from wms_us.inventory_transactions`,
		{TrapNoise, "kit_build"}: `select count(*) from main.int_conservation_compared
			where location_class = 'kit_build' and abs(break_qty) between 0.001 and 0.5`,
		{TrapGrace, "refunds"}: `select count(*) from erp.refund_lines as r
			where cast(refunded_at as date)
			>= date '` + asOf + `' - interval 14 day and not exists (select 1
			from wms.return_dispositions as d where d.refund_line_id = r.refund_line_id)`,
		{TrapEdge, "refunds"}: `select count(*) from erp.refund_lines as r
			where cast(refunded_at as date) = date '` + asOf + `' - interval 14 day
			and not exists (select 1 from wms.return_dispositions as d
			where d.refund_line_id = r.refund_line_id)`,
	}
	require.Len(t, traps, len(direct))
	for _, trap := range traps {
		query, ok := direct[[2]string{trap.Kind, trap.Place()}]
		require.True(t, ok, trap.Kind+" in "+trap.Place())
		var n int
		require.NoError(t, wb.db.QueryRow(query).Scan(&n), query)
		require.Equal(t, n, trap.Rows, trap.Kind+" in "+trap.Place())
	}
}

// Traps are required only where the contracts make them possible: in an
// estate kept in UTC, with no tolerance above zero and no dispositions to
// close refunds, only the case quantities and the replays remain, and the
// estate is proven without the others.
func TestAnEstateAllowingFewerTrapsRequiresOnlyThose(t *testing.T) {
	estate, _ := retailWithout(t, func(p *contracts.Project) {
		p.Tolerances["kit_build"] = contracts.Tolerance{}
	}, "dispositions.yml")
	for _, con := range estate.Contracts {
		if con.Semantics.Timezone != "" {
			con.Semantics.Timezone = "UTC"
		}
	}
	gen, err := generator.New()
	require.NoError(t, err)
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	require.NoError(t, err)

	proof, err := Prove(context.Background(), estate, res, synth.Params{})
	require.NoError(t, err)
	require.Equal(t, [][2]string{
		{TrapUnits, "wms_us_movements"},
		{TrapReplay, "wms_eu_movements"},
		{TrapReplay, "wms_us_movements"},
	}, trapsOf(proof.Traps))
}

// A trap the contracts make possible that the clean estate does not hold
// is a gap in the proof: it fails, naming the trap and its feed.
func TestACleanEstateWithoutATrapIsNotProven(t *testing.T) {
	estate, res := retailResult(t)
	wb := cleanBench(t, estate, res)
	_, err := wb.db.Exec(`delete from main.stg_wms_us_movements
		where hour(event_time) in (23, 0)`)
	require.NoError(t, err)

	_, _, err = holdTraps(wb, res)
	var te *TrapError
	require.ErrorAs(t, err, &te)
	require.Equal(t, TrapMidnight, te.Trap.Kind)
	require.EqualError(t, err, "the clean estate holds no movements near local midnight in "+
		"wms_us_movements, America/Chicago (stg_wms_us_movements), so the checks' "+
		"silence on it proves nothing: a gap in invgen's synthesised estate")
}

// A feed the clean estate delivers nothing in holds no trap to count: it
// is named apart, not failed, as a system's regional movements feeds beyond
// its synthesised locations are.
func TestAFeedWithoutRowsIsIdleNotFailed(t *testing.T) {
	estate, res := retailResult(t)
	wb := cleanBench(t, estate, res)
	_, err := wb.db.Exec(`delete from main.base_wms_us_movements`)
	require.NoError(t, err)

	traps, idle, err := holdTraps(wb, res)
	require.NoError(t, err)
	require.Equal(t, []string{"wms_us_movements"}, idle)
	for _, trap := range traps {
		require.NotEqual(t, "wms_us_movements", trap.Where)
	}
}

// Where min_ratio leaves a day of the clean estate room for a row short,
// that day is short by as many rows as the ratio tolerates and the control
// totals check stays silent on it; where it leaves none, as at 0.999 on the
// example's small days, no such trap is required.
func TestADayShortWithinMinRatioIsATrapWhereTheRatioLeavesRoom(t *testing.T) {
	estate, res := retailWithRatio(t, 0.9)
	wb := cleanBench(t, estate, res)
	traps, _, err := holdTraps(wb, res)
	require.NoError(t, err)
	require.Contains(t, trapsOf(traps), [2]string{TrapShort, "wms_eu_movements"})
	var within []Row
	rows, err := ReadRows(wb.ctx, wb.db, "int_rows_against_control_totals")
	require.NoError(t, err)
	for _, r := range rows {
		if r["break_qty"] != "0" {
			within = append(within, r)
		}
	}
	require.Len(t, within, 1, "one day short")
	expected, err := strconv.ParseFloat(within[0]["expected_qty"], 64)
	require.NoError(t, err)
	actual, err := strconv.ParseFloat(within[0]["actual_qty"], 64)
	require.NoError(t, err)
	require.GreaterOrEqual(t, actual, expected*0.9, "the day meets the ratio")
	require.Less(t, actual-1, expected*0.9, "a row fewer would not: %v of %v", actual,
		expected)
	require.NoError(t, proveClean(wb, res))

	estate, res = retailResult(t)
	traps, _, err = holdTraps(cleanBench(t, estate, res), res)
	require.NoError(t, err)
	require.NotContains(t, trapsOf(traps), [2]string{TrapShort, "wms_eu_movements"})
}
