package synth

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

// Sub-unit noise nets out at every location over any window, in the
// day-to-day changes conservation compares and in the levels parity
// compares against a feed that cannot hold fractions, however many SKUs
// carry it: a tolerance drift monitor summing a location's breaks over
// drift_days must stay silent on the clean estate.
func TestNoiseNetsOutAtEveryLocationOverAnyWindow(t *testing.T) {
	for _, skus := range []int{4, 5} {
		e := retail(t)
		for class := range e.Project.Tolerances {
			e.Project.Tolerances[class] = contracts.Tolerance{Qty: 1}
		}
		p := ProofParams()
		p.SKUs, p.Days = skus, 40
		w := NewWorld(e, p)
		for li, loc := range w.locations {
			if loc.class != unlisted {
				require.Equal(t, 0.25, loc.noise, "a quarter of the tolerance, at most 0.25")
			}
			level := func(d int) float64 {
				sum := 0.0
				for si := range w.skus {
					sum += w.noiseAt(si, li, w.days[d])
				}
				return sum
			}
			for from := 1; from < len(w.days); from++ {
				changes, levels := 0.0, 0.0
				for d := from; d < len(w.days); d++ {
					changes += level(d) - level(d-1)
					levels += level(d)
					require.LessOrEqual(t, math.Abs(changes), 2*loc.noise, "%d SKUs", skus)
					require.LessOrEqual(t, math.Abs(levels), loc.noise, "%d SKUs", skus)
				}
			}
		}
	}
}

// A fault hushes the noise where it lands, so that its break is exactly its
// own quantity though the location has a tolerance and noise.
func TestAFaultHushesTheNoiseWhereItLands(t *testing.T) {
	e := retail(t)
	for class := range e.Project.Tolerances {
		e.Project.Tolerances[class] = contracts.Tolerance{Qty: 1}
	}
	w := NewWorld(e, ProofParams())
	b, err := w.Inject(FaultLostMovement, "wms_eu_movements")
	require.NoError(t, err)
	require.Greater(t, math.Abs(b.Qty), 1.0, "beyond the tolerance")
	f := w.faults[0]
	m := w.movements[f.movement]
	require.Positive(t, w.locations[m.loc].noise)
	require.Zero(t, w.noiseAt(m.sku, m.loc, m.date))
	require.Zero(t, w.noiseAt(m.sku, m.loc, m.date.AddDate(0, 0, -1)))
	require.NotZero(t, w.noiseAt(m.sku, m.loc, m.date.AddDate(0, 0, 1)))
}

// A relative tolerance wider than any movement the estate books still gets
// a fault beyond it: a delivery large enough to lose or post twice, and a
// reservation that takes ATP down below a stale promise.
func TestFaultsExceedAWideRelativeTolerance(t *testing.T) {
	e := retail(t)
	for class := range e.Project.Tolerances {
		e.Project.Tolerances[class] = contracts.Tolerance{Pct: 0.5}
	}
	for _, f := range []Fault{FaultLostMovement, FaultDoublePost} {
		w := NewWorld(e, ProofParams())
		n := len(w.movements)
		b, err := w.Inject(f, "wms_eu_movements")
		require.NoError(t, err, f)
		require.Greater(t, len(w.movements), n, "%s: a large delivery was booked", f)
		m := w.movements[w.faults[0].movement]
		expected := w.endOfDay(m.sku, m.loc, m.date) - b.Qty
		require.Greater(t, math.Abs(b.Qty), 0.5*math.Abs(expected), f)
	}
	w := NewWorld(e, ProofParams())
	b, err := w.Inject(FaultStaleAvailability, "storefront_availability")
	require.NoError(t, err)
	s := w.snapshots[w.faults[0].snapshot]
	require.Greater(t, b.Qty, 0.5*s.atp, "the stale promise exceeds the reserved ATP")
}
