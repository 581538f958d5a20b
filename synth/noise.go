package synth

import (
	"math"
	"time"

	c "github.com/invgen/invgen/contracts"
)

// maxNoise is the most sub-unit noise moves an on-hand: kit builds and
// repacks leave fractions of a unit, however wide a tolerance is.
const maxNoise = 0.25

// plantNoise gives sub-unit noise to the locations of every class with an
// absolute tolerance of its own, or, where only the default is above zero,
// to the first location that takes it. It plants noise only where the
// project's tolerance covers it: without a locations feed every location
// takes the default, whatever its class.
//
// The noise is a quarter of the tolerance at most, so that a change from
// one day's noise to the next stays within half of it.
func (w *World) plantNoise() {
	own := func(li int) bool {
		t, ok := w.estate.Project.Tolerances[w.locations[li].class]
		return ok && t.Qty > 0
	}
	classed := false
	for li := range w.locations {
		classed = classed || own(li)
	}
	noisy := 0
	for li := range w.locations {
		applied := w.estate.ToleranceAt(w.locations[li].class).Qty
		if applied > 0 && (own(li) || !classed && noisy == 0) {
			g := w.noiseGrain()
			w.locations[li].noise = math.Floor(min(applied/4, maxNoise)*g) / g
			noisy++
		}
	}
}

// noiseGrain is the parts of a unit every on-hand feed that holds fractions
// can state, so that each states the same noise.
func (w *World) noiseGrain() float64 {
	g := 1000.0
	for _, con := range w.estate.ByFeed(c.FeedPositions) {
		if con.HoldsFractions() {
			g = min(g, grain(con))
		}
	}
	return g
}

// noiseAt is the sub-unit noise in a SKU-location's on-hand at the end of a
// day, as every positions feed that holds fractions reports it: the
// location's noise up one day and down the next, each SKU in the opposite
// phase to the one before. Each offset is undone the next day, and at a
// location the SKUs' offsets cancel, so that noise nets out over any window
// whether a check compares levels (parity) or day-to-day changes
// (conservation). None where a fault hushes it, so that the fault breaks
// by exactly its own quantity.
func (w *World) noiseAt(si, li int, day time.Time) float64 {
	n := w.locations[li].noise
	if n == 0 || w.hushed(si, li, day) {
		return 0
	}
	d := int(math.Round(day.Sub(w.days[0]).Hours() / 24))
	if (d+si)%2 == 0 {
		return -n
	}
	return n
}

// hush is where a fault silences the noise: a SKU, or every SKU when sku
// is -1, at a location, over the dates from and to, inclusive.
type hush struct {
	sku, loc int
	from, to time.Time
}

// hushed reports whether a planted fault silences the noise of a
// SKU-location on a day.
func (w *World) hushed(si, li int, day time.Time) bool {
	for _, f := range w.faults {
		h := f.hush
		if h != nil && w.inChunk(f) && h.loc == li && (h.sku == si || h.sku < 0) &&
			!day.Before(h.from) && !day.After(h.to) {
			return true
		}
	}
	return false
}

// hushAround silences the noise of a SKU-location over the days whose
// reports a break on date, back to days before it, is computed from.
func hushAround(si, li int, date time.Time, days int) *hush {
	return &hush{sku: si, loc: li, from: date.AddDate(0, 0, -days), to: date}
}

// forever is a date past any synthesised history.
var forever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
