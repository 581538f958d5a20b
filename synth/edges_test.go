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

// Where min_ratio leaves room, the clean estate's short day counts as many
// rows more than it delivers as the ratio tolerates, and the partial
// extract drops one row more than it tolerates of its day.
func TestShortDaysSitOnEitherSideOfMinRatio(t *testing.T) {
	e := retail(t)
	e.Contract("wms_eu_movements").Delivery.Completeness.MinRatio = 0.9
	w := NewWorld(e, DefaultParams())
	b, err := w.Inject(FaultMissingRows, "wms_eu_movements")
	require.NoError(t, err)
	tables := w.Render()

	eu, ct := tables["wms_eu_movements"], tables["wms_eu_control_totals"]
	posted, id := column(eu, "posted_at"), column(eu, "movement_id")
	received, seen := map[string]float64{}, map[string]bool{}
	for _, r := range eu.Rows {
		if !seen[r[id]] {
			received[r[posted][:10]]++
		}
		seen[r[id]] = true
	}
	short := map[string]float64{}
	for _, r := range ct.Rows {
		n, err := strconv.ParseFloat(r[column(ct, "exported_rows")], 64)
		require.NoError(t, err)
		day := r[column(ct, "business_day")]
		got := received[day]
		if got == n {
			continue
		}
		short[day] = n - got
		if day == b.Keys["business_date"] {
			require.Less(t, got, n*0.9, "the partial extract breaks the ratio")
			require.GreaterOrEqual(t, got+1, n*0.9, "by one row")
		} else {
			require.GreaterOrEqual(t, got, n*0.9, "the short day meets the ratio")
			require.Less(t, got, (n+1)*0.9, "with no row to spare")
		}
	}
	require.Len(t, short, 2, "the short day and the partial extract")
	require.Equal(t, -b.Qty, short[b.Keys["business_date"]])
}

func TestWithinRatioIsTheMostRowsTheRatioTolerates(t *testing.T) {
	for _, c := range []struct {
		n     int
		ratio float64
		want  int
	}{
		{32, 0.999, 0}, {999, 0.999, 1}, {9, 0.9, 1}, {8, 0.9, 0}, {36, 0.9, 4},
		{32, 0.9, 3}, {10, 0.5, 10}, {10, 1, 0}, {0, 0.5, 0},
	} {
		require.Equal(t, c.want, withinRatio(c.n, c.ratio), "%d rows at %v", c.n, c.ratio)
	}
}
