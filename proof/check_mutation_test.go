package proof

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/synth"
)

// mutation breaks one part of an identity in a generated model, as a
// plausible slip would, and names the check whose proof must then fail:
// on the clean estate when fault is empty (the check now reports a trap),
// else on that fault (the check now misses or misvalues it).
type mutation struct {
	name     string
	file     string
	from, to string
	check    string
	fault    synth.Fault
}

// costJoin is how every valued model picks the cost valid on its date.
const costJoin = `and compared.business_date >= costs.valid_from
        and (costs.valid_to is null or compared.business_date < costs.valid_to)`

// costMutations value each check's breaks at the SKU's latest cost, or at
// its first, whatever the date: each check's fault lands on a date whose
// cost is neither.
func costMutations() []mutation {
	valued := []struct {
		check, model string
		fault        synth.Fault
	}{
		{generator.CheckConservation, "int_conservation_compared", synth.FaultLostMovement},
		{generator.CheckParity, "int_parity_compared", synth.FaultCasesAsEaches},
		{generator.CheckHonesty, "int_availability_against_atp",
			synth.FaultStaleAvailability},
		{generator.CheckReturns, "int_refunds_against_dispositions", synth.FaultOpenRefund},
	}
	var out []mutation
	for _, v := range valued {
		file := "models/intermediate/" + v.model + ".sql"
		out = append(out, mutation{name: v.check + " at the latest cost", file: file,
			from: costJoin, to: "and costs.valid_to is null", check: v.check,
			fault: v.fault},
			mutation{name: v.check + " at the first cost", file: file, from: costJoin,
				to: "and costs.valid_from = (select min(first_cost.valid_from) " +
					"from {{ ref('dim_sku_cost') }} as first_cost " +
					"where first_cost.sku = costs.sku)",
				check: v.check, fault: v.fault})
	}
	return out
}

// graceMutations move the grace boundary a day either way: a refund on
// grace's last day is reported, or one a day past it is missed.
var graceMutations = []mutation{
	{name: "grace a day shorter", file: "models/intermediate/" +
		"int_refunds_against_dispositions.sql", from: "where refunds.business_date < {{",
		to: "where refunds.business_date <= {{", check: generator.CheckReturns},
	{name: "grace a day longer", file: "models/intermediate/" +
		"int_refunds_against_dispositions.sql",
		from: "-1 * var('invgen_returns_grace_days')",
		to:   "-1 * var('invgen_returns_grace_days') - 1", check: generator.CheckReturns,
		fault: synth.FaultOpenRefund},
}

// ratioMutations ignore min_ratio, so that a day short within it is
// reported, or tolerate a row more than it does, so that a day short just
// beyond it is missed.
var ratioMutations = []mutation{
	{name: "min_ratio ignored", file: "models/reconciliation/rec_control_totals.sql",
		from: "where actual_qty < expected_qty * min_ratio",
		to:   "where actual_qty < expected_qty", check: generator.CheckControlTotals},
	{name: "a row more than min_ratio tolerated",
		file:  "models/reconciliation/rec_control_totals.sql",
		from:  "where actual_qty < expected_qty * min_ratio",
		to:    "where actual_qty < expected_qty * min_ratio - 1",
		check: generator.CheckControlTotals, fault: synth.FaultMissingRows},
}

// The proof is strong enough to catch every part of the identities it
// proves: each mutation of a generated model, which an audit found the
// proof once passed, must now fail it, naming the broken check and the
// estate that caught it. The example's min_ratio of 0.999 leaves its small
// synthesised days no room for a row short, so min_ratio is mutated where
// the EU feed's ratio is 0.9.
func TestEveryBrokenIdentityFailsTheProof(t *testing.T) {
	if testing.Short() {
		t.Skip("proves the retail estate a dozen times")
	}
	estate, res := retailResult(t)
	ratioEstate, ratioRes := retailWithRatio(t, 0.9)
	requireAllProven(t, ratioEstate, ratioRes)

	type mutatedCheck struct {
		mutation
		estate *contracts.Estate
		res    *generator.Result
	}
	var cases []mutatedCheck
	for _, m := range append(costMutations(), graceMutations...) {
		cases = append(cases, mutatedCheck{m, estate, res})
	}
	for _, m := range ratioMutations {
		cases = append(cases, mutatedCheck{m, ratioEstate, ratioRes})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			broken := mutate(t, c.res, c.file, c.from, c.to)
			_, err := Prove(context.Background(), c.estate, broken, synth.Params{})
			var ue *UnprovenError
			require.ErrorAs(t, err, &ue, "the proof passed a broken %s", c.check)
			require.Equal(t, c.check, ue.Check, "%v", err)
			require.Equal(t, c.fault, ue.Fault, "%v", err)
		})
	}
}

// mutate returns a copy of a generated project with one model broken:
// each text of the model replaced by the one after it, in pairs.
func mutate(t *testing.T, res *generator.Result, file string,
	replace ...string) *generator.Result {
	t.Helper()
	sql := string(res.Files[file])
	for i := 0; i < len(replace); i += 2 {
		require.Contains(t, sql, replace[i], "%s no longer reads this way", file)
		sql = strings.ReplaceAll(sql, replace[i], replace[i+1])
	}
	out := *res
	out.Files = maps.Clone(res.Files)
	out.Files[file] = []byte(sql)
	return &out
}
