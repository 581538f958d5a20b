package synth

import (
	c "github.com/invgen/invgen/contracts"
)

// A clean history varies from day to day as a real estate's does, or its
// monitors' silence on it would prove nothing about their statistics: a
// band of percentiles over equal days has no width, a standard deviation of
// equal means is zero. What varies is drawn from a hash of the seed and the
// place, not from the world's random source, so that a streamed world,
// which makes one SKU-location's history at a time, varies exactly as a
// whole one does, and so that the last day can be planned against the
// statistics of the days before it before any of them is made.

// Salts keep the draws of different quantities apart.
const (
	saltShipments uint64 = iota + 1
	saltAdjustment
)

// draw is a pseudo-random number for a quantity at a place and day.
func (w *World) draw(salt uint64, vals ...int) uint64 {
	h := w.params.Seed ^ salt*0x9e3779b97f4a7c15
	for _, v := range vals {
		h = splitmix(h ^ uint64(v))
	}
	return splitmix(h)
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// maxShipments is the most shipments a SKU-location books in a day. A
// movements feed then delivers at most six rows per SKU-location and day,
// within the bound the missing-rows fault sizes itself by.
const maxShipments = 3

// shipments is how many shipments a SKU-location books on the d-th day:
// one to maxShipments, drawn for each day, so that a feed's daily rows
// vary; as many as the plan set where it set some (see planVolume).
func (w *World) shipments(si, li, d int) int {
	if n, ok := w.plan.shipments[stockDay{si, li, d}]; ok {
		return n
	}
	return 1 + int(w.draw(saltShipments, si, li, d)%maxShipments)
}

// stockDay is a SKU-location on the d-th day.
type stockDay struct{ sku, loc, day int }

// adjustmentSteps is the size of a SKU-location's adjustment on the d-th
// day in steps of the SKU: one to three over the days of the baseline
// window, in pairs of days counted back from the day before the last whose
// sizes add up to four, so that over the window every SKU's adjustments
// average exactly two steps and a location's mean sits exactly at its
// centre; a day of the window left without a partner takes two. The last
// day's is planned (see planAdjustments).
func (w *World) adjustmentSteps(si, li, d int) int {
	last := len(w.days) - 1
	if d == last {
		if n, ok := w.plan.adjustments[stockKey{si, li}]; ok {
			return n
		}
		return 2
	}
	back := last - 1 - d
	window := min(w.estate.Project.Monitors.BaselineDays, last)
	if back >= window-window%2 && back < window {
		return 2
	}
	first := 1 + int(w.draw(saltAdjustment, si, li, back/2)%3)
	if back%2 == 1 {
		return 4 - first
	}
	return first
}

// loses reports whether a SKU's adjustments are losses: every other SKU's
// are, the rest are gains, so that every location has both.
func loses(si int) bool { return si%2 == 0 }

// kindsAt are the movement kinds every SKU at a location books each day,
// once each but shipments, which come shipments() times.
func (w *World) kindsAt(li int) []string {
	if w.kinds == nil {
		w.kinds = make([][]string, len(w.locations))
		for l := range w.locations {
			w.kinds[l] = dayPlan(w.expressible(l))
		}
	}
	return w.kinds[li]
}

// books reports whether SKU-locations at li book a kind of movement.
func (w *World) books(li int, kind string) bool {
	for _, k := range w.kindsAt(li) {
		if k == kind {
			return true
		}
	}
	return false
}

// plannedRows is how many rows a movements feed booked per transaction
// delivers on the d-th day, once per key as int_daily_row_counts counts
// them: every kind of every SKU-location it books, shipments as often as
// they come. It reads the plan, not the movements, so that it holds while
// streaming too.
func (w *World) plannedRows(feed *c.Contract, d int) int {
	n := 0
	for _, li := range w.coveredBy(feed) {
		for si := range w.skus {
			n += w.rowsOf(si, li, d)
		}
	}
	return n
}

func (w *World) rowsOf(si, li, d int) int {
	n := 0
	for _, k := range w.kindsAt(li) {
		if k == c.MoveShipment {
			n += w.shipments(si, li, d)
		} else {
			n++
		}
	}
	return n
}

// baselineDays are the indexes of the days a monitor judging the last day
// trains on: the baseline_days before it, as far back as the history goes.
func (w *World) baselineDays() []int {
	last := len(w.days) - 1
	var out []int
	for d := max(0, last-w.estate.Project.Monitors.BaselineDays); d < last; d++ {
		out = append(out, d)
	}
	return out
}
