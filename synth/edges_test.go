package synth

import (
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
