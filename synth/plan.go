package synth

import (
	"math"
	"sort"

	c "github.com/invgen/invgen/contracts"
)

// lastDayPlan is what the last business date, the one a daily run's
// monitors judge, books: planned against the statistics of the days before
// it, so that the clean history holds near misses that must stay silent,
// each just inside its monitor's threshold, and a pattern injected on top
// lands just beyond it. A few of the days before are planned too, where the
// band's statistic needs them to differ (see parted).
type lastDayPlan struct {
	shipments   map[stockDay]int // shipments per SKU-location and day, where planned
	adjustments map[stockKey]int // adjustment size in steps per SKU-location

	// meanAt and lossAt are the locations whose adjustments sit near the
	// edge of mon_adjustment_mean's band and near mon_shrinkage_drift's
	// threshold; -1 where the estate has none.
	meanAt, lossAt int

	// level is the drift near miss, if the estate can hold one.
	level *levelTrap

	// rests says whether the count team rests one day in seven.
	rests bool
}

// maxTrapSteps caps the size, in steps, of a near miss's adjustment: the
// day's receipt refills every SKU-location to ten steps and more, and the
// day's shipments leave the adjustment its size (see effect).
const maxTrapSteps = 10

// planLastDay plans the last day: every movements feed's rows at the
// bottom of its band, and the near misses of the adjustment monitors.
func (w *World) planLastDay() {
	w.plan = lastDayPlan{shipments: map[stockDay]int{}, adjustments: map[stockKey]int{},
		meanAt: -1, lossAt: -1}
	if len(w.days) < 3 {
		return
	}
	w.plan.rests = w.restsEnough()
	w.planVolume()
	w.planAdjustments()
	w.planLevelTrap()
}

// planVolume sets, for each movements feed booked per transaction, the last
// day's shipments so that its rows sit a quarter of the way from p05 of the
// days before to their median, rounded up: a day near the edge of its band,
// with room for the faults a simulation plants in the days before to move
// p05 a little. The days p05 is read between
// are first made to differ (see parted). Days of a feed booked in daily
// summaries have as many rows each, and need no plan.
func (w *World) planVolume() {
	last := len(w.days) - 1
	for _, feed := range w.movementFeeds() {
		if feed.Semantics.MovementGrain == c.GrainDaySummary {
			continue
		}
		var stocks []stockKey
		for _, li := range w.coveredBy(feed) {
			for si := range w.skus {
				_, set := w.plan.shipments[stockDay{si, li, last}]
				if !set && w.books(li, c.MoveShipment) {
					stocks = append(stocks, stockKey{si, li})
				}
			}
		}
		if len(stocks) == 0 {
			continue
		}
		w.parted(feed, stocks)
		band := w.volumeBaseline(feed)
		p05 := percentile(band, 0.05)
		target := math.Ceil(p05 + (percentile(band, 0.5)-p05)/4)
		if p99 := percentile(band, 0.99); target > p99 {
			target = math.Floor(p99)
		}
		for _, k := range stocks {
			w.plan.shipments[stockDay{k.sku, k.loc, last}] = maxShipments
		}
		w.trimRows(feed, stocks, last, target)
	}
}

// parted makes the two days of the window p05 is read between differ in
// rows, where they are equal, by taking a shipment from every day at or
// below the lower whose rows equal it: p05 then falls strictly between two
// days' rows, and a day of rows between them, at the lower, is below p05
// trained without it and not below p05 trained with it.
func (w *World) parted(feed *c.Contract, stocks []stockKey) {
	days := w.baselineDays()
	rows := map[int]int{}
	for _, d := range days {
		rows[d] = w.plannedRows(feed, d)
	}
	sort.SliceStable(days, func(i, j int) bool { return rows[days[i]] < rows[days[j]] })
	j := int(math.Floor(0.05 * float64(len(days)-1)))
	if j+1 >= len(days) || rows[days[j]] != rows[days[j+1]] {
		return
	}
	for _, d := range days[:j+1] {
		if rows[d] == rows[days[j+1]] {
			w.trimRows(feed, stocks, d, float64(rows[d]-1))
		}
	}
}

// trimRows takes shipments, one at a time from the SKU-locations in turn,
// from the d-th day until the feed's rows are no more than target, leaving
// each SKU-location one.
func (w *World) trimRows(feed *c.Contract, stocks []stockKey, d int, target float64) {
	rows := w.plannedRows(feed, d)
	for cut := true; float64(rows) > target && cut; {
		cut = false
		for _, k := range stocks {
			at := stockDay{k.sku, k.loc, d}
			n := w.shipments(k.sku, k.loc, d)
			if float64(rows) > target && n > 1 {
				w.plan.shipments[at] = n - 1
				rows, cut = rows-1, true
			}
		}
	}
}

// volumeBaseline is a feed's rows on each day the last day is judged
// against, sorted.
func (w *World) volumeBaseline(feed *c.Contract) []float64 {
	var out []float64
	for _, d := range w.baselineDays() {
		out = append(out, float64(w.plannedRows(feed, d)))
	}
	sort.Float64s(out)
	return out
}

// percentile is a continuous percentile of sorted values, as
// percentile_cont computes it.
func percentile(sorted []float64, f float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	pos := f * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	if lo+1 >= len(sorted) {
		return sorted[lo]
	}
	return sorted[lo] + (pos-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// meanSD are the average and the sample standard deviation of values, as
// avg and stddev_samp compute them; the deviation is 0 for fewer than two.
func meanSD(values []float64) (float64, float64) {
	if len(values) == 0 {
		return 0, 0
	}
	sum := 0.0
	for _, v := range values {
		sum += v
	}
	mean := sum / float64(len(values))
	if len(values) < 2 {
		return mean, 0
	}
	sq := 0.0
	for _, v := range values {
		sq += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sq / float64(len(values)-1))
}

// adjustStats are a location's adjustment statistics over the baseline
// window, as mon_adjustment_mean and mon_shrinkage_drift compute them.
type adjustStats struct {
	skus   int     // adjustments a day: one a SKU
	feeds  int     // the movements feeds booking the location, each reporting all
	mean   float64 // of the daily mean adjustment size, in eaches
	meanSD float64
	loss   float64 // of the daily losses, in eaches, all feeds together
	lossSD float64
}

func (w *World) adjustStatsAt(li int) adjustStats {
	st := adjustStats{skus: len(w.skus)}
	for _, f := range w.movementFeeds() {
		if contains(w.coveredBy(f), li) {
			st.feeds++
		}
	}
	var means, losses []float64
	for _, d := range w.baselineDays() {
		abs, loss := 0.0, 0.0
		for si := range w.skus {
			q := float64(w.adjustmentSteps(si, li, d)) * w.skus[si].step
			abs += q
			if loses(si) {
				loss += q
			}
		}
		means = append(means, round6(abs/float64(st.skus)))
		losses = append(losses, loss*float64(st.feeds))
	}
	st.mean, st.meanSD = meanSD(means)
	st.mean = round6(st.mean)
	st.loss, st.lossSD = meanSD(losses)
	st.loss = round6(st.loss)
	return st
}

// meanBound is the largest abs sum of a day's adjustments at a location
// inside mon_adjustment_mean's band, less a margin for rounding; lossBound
// is the largest loss sum of one feed inside mon_shrinkage_drift's.
func (st adjustStats) meanBound(sigma float64) float64 {
	return float64(st.skus)*(st.mean+sigma*st.meanSD) - 1e-4*float64(st.skus)
}

func (st adjustStats) lossBound(sigma float64) float64 {
	return (st.loss+sigma*st.lossSD)/float64(st.feeds) - 1e-4
}

// adjustingFeed is the first movements feed that states adjustments: the
// one mon_adjustment_mean is proven on.
func (w *World) adjustingFeed() *c.Contract {
	for _, f := range w.movementFeeds() {
		if f.States(c.MoveAdjustment) {
			return f
		}
	}
	return nil
}

// trapLocations are where the adjustment near misses go: the first
// location of the first feed that states adjustments, and another location
// with adjustments, of that feed where it books two. They must differ, as
// a near miss of one monitor must leave room for the other's pattern.
func (w *World) trapLocations() (mean, loss int) {
	mean, loss = -1, -1
	feed := w.adjustingFeed()
	if feed == nil {
		return
	}
	candidates := w.coveredBy(feed)
	for li := range w.locations {
		if !contains(candidates, li) {
			candidates = append(candidates, li)
		}
	}
	for _, li := range candidates {
		switch {
		case !w.books(li, c.MoveAdjustment):
		case mean < 0 && contains(w.coveredBy(feed), li):
			mean = li
		case mean >= 0 && loss < 0:
			loss = li
		}
	}
	return mean, loss
}

// planAdjustments sizes the last day's adjustments: two steps everywhere,
// each location's centre, but for two near misses. At one location the
// gains grow until the mean size sits just inside mean + sigma·σ; at
// another the losses grow until they sit just below mean + sigma·σ of
// losses, and its gains shrink to keep its mean size near the centre.
func (w *World) planAdjustments() {
	w.plan.meanAt, w.plan.lossAt = w.trapLocations()
	sigma := w.estate.Project.Monitors.Sigma
	if li := w.plan.meanAt; li >= 0 {
		st := w.adjustStatsAt(li)
		abs := w.lastAdjustment(li).abs
		for _, si := range w.bySteps(li, false, true) {
			abs = w.growWithin(si, li, abs, st.meanBound(sigma))
		}
	}
	if li := w.plan.lossAt; li >= 0 {
		w.planLossTrap(li, sigma)
	}
}

// planLossTrap grows a location's losses to just below the shrinkage
// threshold and shrinks its gains to keep the mean size near the centre,
// then gives back losses while the mean size is outside its band.
func (w *World) planLossTrap(li int, sigma float64) {
	st := w.adjustStatsAt(li)
	centre := w.lastAdjustment(li).abs
	loss := w.lastAdjustment(li).loss
	for _, si := range w.bySteps(li, true, true) {
		loss = w.growWithin(si, li, loss, st.lossBound(sigma))
	}
	day := w.lastAdjustment(li)
	for _, si := range w.bySteps(li, false, true) {
		k := stockKey{si, li}
		for day.abs-w.skus[si].step >= centre && w.plan.adjustments[k] > 1 {
			w.plan.adjustments[k]--
			day.abs -= w.skus[si].step
		}
	}
	for _, si := range w.bySteps(li, true, false) {
		k := stockKey{si, li}
		for w.lastAdjustment(li).abs > st.meanBound(sigma) && w.plan.adjustments[k] > 2 {
			w.plan.adjustments[k]--
		}
	}
}

// growWithin adds steps to a SKU's last-day adjustment while sum, what
// they add to, stays within bound, and returns the new sum.
func (w *World) growWithin(si, li int, sum, bound float64) float64 {
	k := stockKey{si, li}
	if _, ok := w.plan.adjustments[k]; !ok {
		w.plan.adjustments[k] = 2
	}
	step := w.skus[si].step
	for sum+step <= bound && w.plan.adjustments[k] < maxTrapSteps {
		w.plan.adjustments[k]++
		sum += step
	}
	return sum
}

// bySteps lists the SKUs whose adjustments lose (or gain) at a location,
// by step, largest first (or smallest), so that a greedy sum comes close
// to its bound.
func (w *World) bySteps(li int, losing, largest bool) []int {
	var out []int
	for si := range w.skus {
		if loses(si) == losing {
			out = append(out, si)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if largest {
			return w.skus[out[i]].step > w.skus[out[j]].step
		}
		return w.skus[out[i]].step < w.skus[out[j]].step
	})
	return out
}

// daySums are a day's adjustments at a location in eaches: all of them
// by size, and the losses.
type daySums struct{ abs, loss float64 }

// lastAdjustment sums the last day's planned adjustments at a location.
func (w *World) lastAdjustment(li int) daySums {
	var s daySums
	last := len(w.days) - 1
	for si := range w.skus {
		q := float64(w.adjustmentSteps(si, li, last)) * w.skus[si].step
		s.abs += q
		if loses(si) {
			s.loss += q
		}
	}
	return s
}
