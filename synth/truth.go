package synth

import (
	"fmt"
	"sort"
	"time"

	c "github.com/invgen/invgen/contracts"
)

// movementFeeds are the estate's movement contracts in source order.
func (w *World) movementFeeds() []*c.Contract {
	return w.estate.ByFeed(c.FeedMovements)
}

// MovementSources names the movements feeds in source order: where a
// planter may put a whole-day pattern that its monitor's target cannot
// carry.
func (w *World) MovementSources() []string {
	var out []string
	for _, f := range w.movementFeeds() {
		out = append(out, f.Source)
	}
	return out
}

// coveredBy lists the locations a movement feed books: a system's movement
// feeds split its locations between them, as regional WMS instances do.
func (w *World) coveredBy(feed *c.Contract) []int {
	var siblings []*c.Contract
	for _, f := range w.movementFeeds() {
		if f.System == feed.System {
			siblings = append(siblings, f)
		}
	}
	idx := 0
	for i, f := range siblings {
		if f == feed {
			idx = i
		}
	}
	var out []int
	for li := range w.locations {
		if li%len(siblings) == idx {
			out = append(out, li)
		}
	}
	return out
}

// feedFor returns the movement feed of a system that books a location.
func (w *World) feedFor(system string, li int) *c.Contract {
	for _, f := range w.movementFeeds() {
		if f.System != system {
			continue
		}
		for _, x := range w.coveredBy(f) {
			if x == li {
				return f
			}
		}
	}
	return nil
}

// expressible lists the movement types every system's feed for a location
// can state, so that each physical movement appears in all of them.
func (w *World) expressible(li int) map[string]bool {
	out := map[string]bool{}
	for _, mt := range c.MovementTypes() {
		out[mt] = true
	}
	for _, f := range w.movementFeeds() {
		if w.feedFor(f.System, li) != f {
			continue
		}
		col, _ := f.Column(c.RoleMovementType)
		if len(col.Values) == 0 {
			continue
		}
		can := map[string]bool{}
		for _, v := range col.Values {
			can[v] = true
		}
		for mt := range out {
			out[mt] = out[mt] && can[mt]
		}
	}
	return out
}

func (w *World) makeMovements() {
	for si := range w.skus {
		for li := range w.locations {
			w.makeStockHistory(si, li)
		}
	}
	sort.SliceStable(w.movements, func(i, j int) bool {
		return w.movements[i].at.Before(w.movements[j].at)
	})
}

// makeStockHistory writes one SKU-location's movements day by day: the
// same kinds every day, shipments as often as the day draws (see
// variation.go), so each feed's daily volume varies around a steady level;
// quantities vary, and stock never runs out because receipts refill it
// towards its opening level.
func (w *World) makeStockHistory(si, li int) {
	step := w.skus[si].step
	opening := step * float64(10+w.rng.IntN(20))
	onHand := opening
	w.initial[stockKey{si, li}] = onHand
	if len(w.movementFeeds()) == 0 {
		return
	}

	for d, day := range w.days {
		for _, kind := range w.kindsAt(li) {
			times := 1
			if kind == c.MoveShipment {
				times = w.shipments(si, li, d)
			}
			for ; times > 0; times-- {
				effect := w.effect(kind, si, li, d, onHand, opening)
				onHand += effect
				w.movements = append(w.movements, movement{sku: si, loc: li, kind: kind,
					qty: effect, at: w.instant(li, day), date: day,
					replay: w.rng.IntN(40) == 0})
			}
		}
	}
}

// dayPlan is the movement kinds every SKU-location books each day.
func dayPlan(can map[string]bool) []string {
	var plan []string
	for _, kind := range []string{c.MoveReceipt, c.MoveShipment, c.MoveReturnRestock,
		c.MoveAdjustment} {
		if can[kind] {
			plan = append(plan, kind)
		}
	}
	return plan
}

// effect is a movement's signed change to on-hand. Adjustments are
// adjustmentSteps steps: a loss for every other SKU, a gain for the rest.
// Shipments leave a losing SKU a step more than its adjustment, so that
// the loss is always there to book: a loss the stock could not cover would
// turn into a gain and move the location's shrinkage off its plan.
func (w *World) effect(kind string, si, li, d int, onHand, opening float64) float64 {
	step := w.skus[si].step
	qty := step * float64(1+w.rng.IntN(3))
	size := step * float64(w.adjustmentSteps(si, li, d))
	switch kind {
	case c.MoveReceipt:
		return qty + max(0, opening-onHand)
	case c.MoveShipment:
		keep := step
		if loses(si) && w.books(li, c.MoveAdjustment) {
			keep += size
		}
		if out := min(qty, onHand-keep); out > 0 {
			return -out
		}
		return 0
	case c.MoveAdjustment:
		if loses(si) && onHand >= size {
			return -size
		}
		return size
	}
	return step
}

// instant picks a local time of day at a location; one movement in eight
// lands within an hour of local midnight, where a business date taken in the
// wrong timezone falls on the neighbouring day.
func (w *World) instant(li int, day time.Time) time.Time {
	minute := 6*60 + w.rng.IntN(16*60)
	switch w.rng.IntN(16) {
	case 0:
		minute = 5 + w.rng.IntN(50)
	case 1:
		minute = 23*60 + 5 + w.rng.IntN(50)
	}
	loc := w.locations[li].tz
	local := time.Date(day.Year(), day.Month(), day.Day(), 0, minute, w.rng.IntN(60), 0, loc)
	return local.UTC()
}

// onHandAt is the true stock of a SKU-location just after instant t.
func (w *World) onHandAt(si, li int, t time.Time) float64 {
	q := w.initial[stockKey{si, li}]
	for _, m := range w.stockMovements(si, li) {
		if !m.at.After(t) {
			q += m.qty
		}
	}
	return q
}

// endOfDay is the true stock of a SKU-location at the end of a business
// date, in the location's own timezone.
func (w *World) endOfDay(si, li int, day time.Time) float64 {
	k := stockKey{si, li}
	w.stockMovements(si, li) // builds the index, which resets the closings
	if w.eod == nil {
		w.eod = map[stockKey][]float64{}
	}
	closing, ok := w.eod[k]
	if !ok {
		closing = w.closings(k)
		w.eod[k] = closing
	}
	d := int(day.Sub(w.days[0]).Hours() / 24)
	switch {
	case d < 0:
		return w.initial[k]
	case d >= len(closing):
		return closing[len(closing)-1]
	}
	return closing[d]
}

// closings is a SKU-location's stock at the end of each business date.
func (w *World) closings(k stockKey) []float64 {
	closing := make([]float64, len(w.days))
	for _, m := range w.stockMovements(k.sku, k.loc) {
		d := int(m.date.Sub(w.days[0]).Hours() / 24)
		if d >= 0 && d < len(closing) {
			closing[d] += m.qty
		}
	}
	q := w.initial[k]
	for d := range closing {
		q += closing[d]
		closing[d] = q
	}
	return closing
}

// stockMovements indexes the movements by SKU-location, built on first use
// and dropped whenever a pattern reshapes the movements.
func (w *World) stockMovements(si, li int) []movement {
	if w.byStock == nil {
		w.eod = nil
		w.byStock = map[stockKey][]movement{}
		for _, m := range w.movements {
			k := stockKey{m.sku, m.loc}
			w.byStock[k] = append(w.byStock[k], m)
		}
	}
	return w.byStock[stockKey{si, li}]
}

// makeRefunds books two refunds a day, around midday at the store, so that
// every timezone dates them alike and the refunds and dispositions feeds
// deliver as many rows every day, whatever the grace: the first of each
// day is split between two outcomes where there are two. The last day of
// grace holds one more, still open.
func (w *World) makeRefunds() {
	grace := w.estate.Project.Grace.ReturnsDays
	outcomes := w.outcomes()
	edge := len(w.days) - grace
	n := 0
	for d, day := range w.days {
		for k := 0; k < 2; k++ {
			n++
			si, li := w.rng.IntN(len(w.skus)), w.storeLocation()
			r := refund{id: fmt.Sprintf("R-%06d", n), sku: si, loc: li,
				qty: float64(1 + w.rng.IntN(3)), at: w.midday(li, day)}
			if k == 0 {
				r.qty = float64(2 + w.rng.IntN(2))
			}
			r.decisions = w.decide(r, outcomes, grace, k == 0)
			w.refunds = append(w.refunds, r)
		}
		if d == edge && d < len(w.days)-1 {
			n++
			w.refunds = append(w.refunds, w.openOnGraceEdge(n, day))
		}
	}
}

// openOnGraceEdge is a refund booked on the last day of its grace as the
// as-of date sees it, exactly grace days before, with nothing decided yet
// when the window closes: in grace, though a check that counts grace a day
// shorter would report it. The last business date's own refunds are open
// and on that edge already where grace is one day, so it is booked where
// grace is two days or more, on a day the feed volume monitors judge only
// as history. It draws nothing from the random source, so the rest of the
// estate is the same with it or without.
func (w *World) openOnGraceEdge(n int, day time.Time) refund {
	li := 0
	for i, l := range w.locations {
		if l.class == "store" {
			li = i
			break
		}
	}
	return refund{id: fmt.Sprintf("R-%06d", n), sku: n % len(w.skus), loc: li, qty: 1,
		at: localNoon(day, w.locations[li].tz)}
}

// midday picks a time between 10:00 and 14:00 local at a location: far
// enough from midnight that the date is the same in any timezone within
// ten hours of the location's.
func (w *World) midday(li int, day time.Time) time.Time {
	minute := 10*60 + w.rng.IntN(4*60)
	local := time.Date(day.Year(), day.Month(), day.Day(), 0, minute, w.rng.IntN(60), 0,
		w.locations[li].tz)
	return local.UTC()
}

// outcomes are the dispositions the dispositions feed can state.
func (w *World) outcomes() []string {
	all := []string{c.DispositionRestock, c.DispositionScrap, c.DispositionLost}
	feeds := w.estate.ByFeed(c.FeedDispositions)
	if len(feeds) == 0 {
		return all
	}
	col, _ := feeds[0].Column(c.RoleDisposition)
	if len(col.Values) == 0 {
		return all
	}
	can := map[string]bool{}
	for _, v := range col.Values {
		can[v] = true
	}
	var out []string
	for _, o := range all {
		if can[o] {
			out = append(out, o)
		}
	}
	return out
}

// decide closes a refund well inside its grace period, a fixed number of
// days later at the same time of day, split between two outcomes booked
// together when split is set.
//
// A refund of the last business date is decided three days later, after
// the window closes, where every refunds feed dates it inside grace: it is
// an open refund the returns check must not report, however short the
// grace.
func (w *World) decide(r refund, outcomes []string, grace int, split bool) []decision {
	days := max(1, min(3, grace-2))
	if localDate(r.at, w.locations[r.loc].tz).Equal(w.lastDay()) &&
		w.insideGrace(r.at, grace) {
		days = 3
	}
	at := r.at.AddDate(0, 0, days)
	first := outcomes[w.rng.IntN(len(outcomes))]
	if r.qty < 2 || !split || len(outcomes) < 2 {
		return []decision{{first, r.qty, at}}
	}
	return []decision{{outcomes[0], 1, at}, {outcomes[1], r.qty - 1, at}}
}

// insideGrace reports whether every refunds feed dates a refund at an
// instant, in its own timezone, inside a grace period of days that ends
// on the as-of date.
func (w *World) insideGrace(at time.Time, days int) bool {
	first := w.lastDay().AddDate(0, 0, 1-days)
	for _, con := range w.estate.ByFeed(c.FeedRefunds) {
		tz, err := time.LoadLocation(con.Semantics.Timezone)
		if err != nil || localDate(at, tz).Before(first) {
			return false
		}
	}
	return days > 0
}

// storeLocation picks where a customer returned goods: a store if the estate
// has stores.
func (w *World) storeLocation() int {
	var stores []int
	for i, l := range w.locations {
		if l.class == "store" {
			stores = append(stores, i)
		}
	}
	if len(stores) == 0 {
		return w.rng.IntN(len(w.locations))
	}
	return stores[w.rng.IntN(len(stores))]
}

// makeSnapshots records available-to-promise three times a day and what the
// storefront showed five minutes later: never more than ATP.
func (w *World) makeSnapshots() {
	for si := range w.skus {
		for li := range w.locations {
			w.stockSnapshots(si, li)
		}
	}
}

// stockSnapshots records a SKU-location's ATP at each snapshot hour of
// every day, and what the storefront showed five minutes later: never more
// than the lowest ATP of the day, a day on the clock the honesty check
// reads a daily ATP's dates on, so that a daily ATP feed can state it.
func (w *World) stockSnapshots(si, li int) {
	start := len(w.snapshots)
	loc := w.locations[li]
	for _, day := range w.days {
		for _, hour := range w.snapshotHours() {
			at := time.Date(day.Year(), day.Month(), day.Day(), hour, 0, 0, 0, loc.tz).UTC()
			atp := max(0, w.onHandAt(si, li, at)-float64(w.rng.IntN(3)))
			w.snapshots = append(w.snapshots, snapshot{sku: si, loc: li, at: at, atp: atp,
				shownAt: at.Add(5 * time.Minute)})
		}
	}
	clock := w.atpClock()
	snaps := w.snapshots[start:]
	for i := 0; i < len(snaps); {
		date := localDate(snaps[i].at, clock)
		j, low := i, snaps[i].atp
		for ; j < len(snaps) && localDate(snaps[j].at, clock).Equal(date); j++ {
			low = min(low, snaps[j].atp)
		}
		for k := i; k < j; k++ {
			snaps[k].date, snaps[k].dayLow, snaps[k].first = date, low, k == i
			snaps[k].shown = max(0, low-float64(w.rng.IntN(2)))
		}
		i = j
	}
}

// atpClock is the timezone a daily ATP's dates are read on: the honesty
// check holds a showing, in its availability feed's local time, to the ATP
// of that date.
func (w *World) atpClock() *time.Location {
	feeds := w.estate.ByFeed(c.FeedAvailability)
	if len(feeds) == 0 {
		return time.UTC
	}
	return zone(feeds[0])
}

// snapshotHours are the local hours ATP is computed at: 9, 15 and 21, or the
// last SnapshotsPerDay of them.
func (w *World) snapshotHours() []int {
	hours := []int{9, 15, 21}
	if n := w.params.SnapshotsPerDay; n > 0 && n < len(hours) {
		hours = hours[len(hours)-n:]
	}
	return hours
}
