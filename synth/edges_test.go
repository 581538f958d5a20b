package synth

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A repriced SKU's cost inside the window is neither its first nor its
// latest, from the third business date to the last: there a value taken
// at the wrong cost, first or latest, is a wrong value.
func TestRepricedCostsAreNeitherFirstNorLatestInsideTheWindow(t *testing.T) {
	w := NewWorld(retail(t), DefaultParams())
	s := w.skus[1]
	require.Len(t, s.costs, 3)
	for d, day := range w.days {
		cost := w.costAt(1, day)
		apart := cost != s.costs[0].cost && cost != s.costs[2].cost
		require.Equal(t, d >= 2, apart, day)
		require.Equal(t, d >= 2, w.pricedApart(1, day), day)
		require.False(t, w.pricedApart(0, day), "SKU-0001 keeps one cost")
	}
	asOf, err := time.Parse(dateLayout, w.AsOf())
	require.NoError(t, err)
	require.Equal(t, s.costs[2].cost, w.costAt(1, asOf), "the latest takes effect on as-of")
}

// The refund fault sits one day past grace, on a SKU whose cost on that
// date proves the value; the clean estate holds a refund exactly on the
// last day of grace with no disposition.
func TestRefundsSitOnEitherSideOfTheGraceBoundary(t *testing.T) {
	e := retail(t)
	w := NewWorld(e, DefaultParams())
	asOf, err := time.Parse(dateLayout, w.AsOf())
	require.NoError(t, err)
	edge := asOf.AddDate(0, 0, -e.Project.Grace.ReturnsDays)

	b, err := w.Inject(FaultOpenRefund, "refunds")
	require.NoError(t, err)
	require.Equal(t, edge.AddDate(0, 0, -1).Format(dateLayout), b.Keys["business_date"])
	sku, err := strconv.Atoi(b.Keys["sku"][len("SKU-"):])
	require.NoError(t, err)
	require.True(t, w.pricedApart(sku-1, edge.AddDate(0, 0, -1)))

	tables := NewWorld(e, DefaultParams()).Render()
	refunds, disposed := tables["refunds"], map[string]bool{}
	dispositions := tables["dispositions"]
	for _, r := range dispositions.Rows {
		disposed[r[column(dispositions, "refund_line_id")]] = true
	}
	open := 0
	for _, r := range refunds.Rows {
		on := r[column(refunds, "refunded_at")][:10] == edge.Format(dateLayout)
		if on && !disposed[r[column(refunds, "refund_line_id")]] {
			open++
		}
	}
	require.Equal(t, 1, open, "one refund open on the last day of grace")
}
