package synth

import (
	"fmt"
	"math"
	"sort"
	"time"

	c "github.com/invgen/invgen/contracts"
)

// Patterns that are well-formed, conservation-clean and lying: what the
// distributional monitors exist to catch. Each lands on the last business
// date, the date a daily run judges, and in a proof those judged against a
// baseline land just past their threshold, where the clean history's near
// miss sits just inside it; in a streamed simulation the whole-day ones
// land further out (see day_patterns.go).
const (
	FaultVolumeDrop      Fault = "a day's rows dropped below p05 of the feed's band"
	FaultMeanShift       Fault = "adjustment gains beyond mean + sigma·σ in size"
	FaultZeroAdjustments Fault = "a feed that suddenly reports no adjustments"
	FaultShrinkageRise   Fault = "losses by adjustment beyond mean + sigma·σ"
	FaultFlatline        Fault = "an on-hand frozen while the SKU ships"
	FaultStaleATP        Fault = "availability shown from an hours-old ATP"
	FaultAgedQuarantine  Fault = "a conflicting duplicate held past the quarantine SLA"
	FaultDrift           Fault = "sub-tolerance breaks that accumulate"
	FaultMiscount        Fault = "cycle counts that disagree with the record"

	// FaultTimezoneSplit states a few movements near local midnight in UTC
	// in a feed whose contract says local time: each lands on the wrong
	// business date, and the breaks net to zero over the two dates.
	FaultTimezoneSplit Fault = "movements near midnight stated in UTC, not local time"
)

func (w *World) lastDay() time.Time { return w.days[len(w.days)-1] }

// injectPattern applies a monitor's pattern and returns the keys of the
// monitor row that must alert.
func (w *World) injectPattern(f Fault, con *c.Contract) (Break, error) {
	switch f {
	case FaultVolumeDrop, FaultMeanShift, FaultZeroAdjustments, FaultShrinkageRise:
		return w.reshapeMovements(f, con)
	case FaultFlatline:
		return w.freeze(con)
	case FaultStaleATP:
		return w.delayATP(con)
	case FaultAgedQuarantine:
		return w.conflict(con)
	case FaultDrift:
		return w.drift(con)
	case FaultMiscount:
		return w.miscount(con)
	case FaultTimezoneSplit:
		return w.splitDay(con)
	}
	return Break{}, fmt.Errorf("unknown fault %q", f)
}

// reshapeMovements changes what physically happened on the last day at the
// feed's locations; positions follow, so conservation stays clean. Each
// pattern lands just beyond its monitor's threshold, measured on the days
// before, which the clean history's near miss sits just inside.
func (w *World) reshapeMovements(f Fault, con *c.Contract) (Break, error) {
	if len(w.coveredBy(con)) == 0 {
		return Break{}, fmt.Errorf("%s books no location", con.Source)
	}
	if w.stream {
		return w.planDay(f, con)
	}
	var keys map[string]string
	var err error
	switch f {
	case FaultVolumeDrop:
		keys, err = w.dropVolume(con)
	case FaultZeroAdjustments:
		keys, err = w.restateAdjustments(con)
	case FaultMeanShift:
		keys, err = w.shiftMean(con)
	case FaultShrinkageRise:
		keys, err = w.raiseShrinkage(con)
	}
	w.byStock = nil
	return Break{Keys: keys}, err
}

// restateAdjustments books every adjustment of the last day at the feed's
// locations as a receipt or a shipment: a feed that suddenly reports none.
func (w *World) restateAdjustments(con *c.Contract) (map[string]string, error) {
	if w.restate(w.coveredBy(con)) == 0 {
		return nil, fmt.Errorf("%s books no adjustment on the last day", con.Source)
	}
	return map[string]string{"source_name": con.Source}, nil
}

// restate books every adjustment of the last day at the locations given,
// among the movements the world holds, as a receipt or a shipment of the
// same effect, and returns how many it restated.
func (w *World) restate(locs []int) int {
	last, changed := w.lastDay(), 0
	for i, m := range w.movements {
		if m.date.Equal(last) && contains(locs, m.loc) && m.kind == c.MoveAdjustment {
			w.movements[i].was, w.movements[i].kind = m.kind, c.MoveReceipt
			if m.qty < 0 {
				w.movements[i].kind = c.MoveShipment
			}
			changed++
		}
	}
	w.byStock = nil
	return changed
}

// dropVolume loses movements of the last day from the feed, shipments
// first and never an adjustment, so that it moves no other monitor, until
// its rows fall just below p05 of the days before (see dropTarget).
func (w *World) dropVolume(con *c.Contract) (map[string]string, error) {
	locs, last := w.coveredBy(con), len(w.days)-1
	var band []float64
	for _, d := range w.baselineDays() {
		band = append(band, float64(w.feedRows(con, w.days[d])))
	}
	sort.Float64s(band)
	target := dropTarget(band)
	if target < 0 {
		return nil, fmt.Errorf("%s delivers no rows on the days before the last", con.Source)
	}
	for _, kind := range []string{c.MoveShipment, c.MoveReturnRestock, c.MoveReceipt} {
		for i := len(w.movements) - 1; i >= 0; i-- {
			m := w.movements[i]
			if float64(w.feedRows(con, w.days[last])) <= target {
				return map[string]string{"source_name": con.Source}, nil
			}
			if m.kind != kind || !m.date.Equal(w.days[last]) || !contains(locs, m.loc) ||
				kind == c.MoveReceipt && w.endOfDay(m.sku, m.loc, m.date) < m.qty {
				continue
			}
			w.movements = append(w.movements[:i], w.movements[i+1:]...)
			w.byStock = nil
		}
	}
	if float64(w.feedRows(con, w.days[last])) <= target {
		return map[string]string{"source_name": con.Source}, nil
	}
	return nil, fmt.Errorf("%s cannot lose rows enough on the last day to fall below p05 "+
		"(%s) of the days before", con.Source, num(percentile(band, 0.05)))
}

// dropTarget is the rows a volume drop leaves: the most whole number below
// p05 of the band (the days before, sorted) that is no fewer than the
// fewest, and that the day itself would pull p05 down to were it in its
// own baseline. Such a drop alerts only under a band of p05 trained
// without the day, and not under one that runs down to the minimum.
// Where no number is all three, it is the most below p05.
func dropTarget(band []float64) float64 {
	if len(band) == 0 {
		return -1
	}
	p05 := percentile(band, 0.05)
	below := math.Ceil(p05) - 1
	for x := below; x >= band[0]; x-- {
		with := append(append([]float64{}, band...), x)
		sort.Float64s(with)
		if x >= percentile(with, 0.05) {
			return x
		}
	}
	return below
}

// feedRows are the rows a movements feed delivers on a day, once per key:
// one a movement booked per transaction; one per SKU, location and kind
// booked in daily summaries.
func (w *World) feedRows(con *c.Contract, day time.Time) int {
	locs := w.coveredBy(con)
	type key struct {
		sku, loc  int
		kind, was string
	}
	summaries := map[key]bool{}
	n := 0
	for _, m := range w.movements {
		if !m.date.Equal(day) || !contains(locs, m.loc) {
			continue
		}
		if con.Semantics.MovementGrain == c.GrainDaySummary {
			summaries[key{m.sku, m.loc, m.kind, m.was}] = true
			continue
		}
		n++
	}
	return n + len(summaries)
}

// dayAdjustments are the last day's adjustments at a location: each SKU's
// signed effect on its on-hand. The adjustment patterns work on them, so
// that the same steps serve a world that holds every history, read from
// its movements, and a streamed one, which plans them before any history
// is made (see day_patterns.go).
type dayAdjustments map[int]float64

// bookedAdjustments are the last day's adjustments at a location as the
// movements the world holds book them.
func (w *World) bookedAdjustments(li int) dayAdjustments {
	out := dayAdjustments{}
	for _, m := range w.movements {
		if m.loc == li && m.kind == c.MoveAdjustment && m.date.Equal(w.lastDay()) {
			out[m.sku] = m.qty
		}
	}
	return out
}

// rebook writes a day's adjustments at a location into the movements the
// world holds, each SKU's into its last adjustment of the day, the one
// bookedAdjustments reads: the world itself changes, and every position
// follows.
func (w *World) rebook(li int, day dayAdjustments) {
	last := map[int]int{}
	for i, m := range w.movements {
		if m.loc == li && m.kind == c.MoveAdjustment && m.date.Equal(w.lastDay()) {
			last[m.sku] = i
		}
	}
	for si, i := range last {
		if q, ok := day[si]; ok {
			w.movements[i].qty = q
		}
	}
	w.byStock = nil
}

// signed keeps the SKUs, in order, whose adjustment the day books with the
// sign given: losses (-1) or gains (1).
func (day dayAdjustments) signed(skus []int, sign float64) []int {
	var out []int
	for _, si := range skus {
		if q, ok := day[si]; ok && q*sign > 0 {
			out = append(out, si)
		}
	}
	return out
}

// sums adds up a day's adjustments: all by size, and the losses.
func (day dayAdjustments) sums() daySums {
	var s daySums
	for _, q := range day {
		s.abs += abs(q)
		if q < 0 {
			s.loss -= q
		}
	}
	return s
}

// meanTarget is where the mean-shift pattern goes: the feed's location of
// the clean history's near miss, else its first with adjustments.
func (w *World) meanTarget(con *c.Contract) int {
	locs := w.coveredBy(con)
	if contains(locs, w.plan.meanAt) {
		return w.plan.meanAt
	}
	for _, li := range locs {
		if w.books(li, c.MoveAdjustment) {
			return li
		}
	}
	return -1
}

// shiftMean grows the gains booked by adjustment on the last day at one of
// the feed's locations until their mean size is just beyond mean +
// sigma·σ of the days before (see growGains).
func (w *World) shiftMean(con *c.Contract) (map[string]string, error) {
	li := w.meanTarget(con)
	if li < 0 {
		return nil, fmt.Errorf("%s books no adjustment", con.Source)
	}
	st, day := w.adjustStatsAt(li), w.bookedAdjustments(li)
	beyond := st.meanBound(w.estate.Project.Monitors.Sigma) + 2e-4*float64(st.skus)
	if err := w.growGains(li, day, beyond); err != nil {
		return nil, fmt.Errorf("%s %w", con.Source, err)
	}
	w.rebook(li, day)
	return map[string]string{"source_name": con.Source, "location_id": w.locations[li].id},
		nil
}

// growGains grows a day's gains by adjustment at a location, a step of
// the SKU with the smallest at a time, until the sum of their sizes is
// beyond the bound. Gains, so that shrinkage does not move.
func (w *World) growGains(li int, day dayAdjustments, beyond float64) error {
	gains := day.signed(w.bySteps(li, false, false), 1)
	if len(gains) == 0 {
		return fmt.Errorf("books no gain by adjustment at %s on the last day",
			w.locations[li].id)
	}
	for sum := day.sums().abs; sum <= beyond; sum += w.skus[gains[0]].step {
		day[gains[0]] += w.skus[gains[0]].step
	}
	return nil
}

// raiseShrinkage grows the losses booked by adjustment on the last day at
// the location of the clean history's shrinkage near miss until they are
// just beyond mean + sigma·σ of the days before (see raiseLosses).
func (w *World) raiseShrinkage(con *c.Contract) (map[string]string, error) {
	li := w.plan.lossAt
	if li < 0 {
		li = w.meanTarget(con)
	}
	if li < 0 {
		return nil, fmt.Errorf("%s books no adjustment", con.Source)
	}
	sigma := w.estate.Project.Monitors.Sigma
	st, day := w.adjustStatsAt(li), w.bookedAdjustments(li)
	if err := w.raiseLosses(li, day, st.lossBound(sigma)+2e-4, st.meanBound(sigma)); err != nil {
		return nil, fmt.Errorf("%s %w", con.Source, err)
	}
	w.rebook(li, day)
	if err := w.coverLosses(li); err != nil {
		return nil, err
	}
	return map[string]string{"location_id": w.locations[li].id}, nil
}

// raiseLosses grows a day's losses by adjustment at a location until they
// are beyond the bound: a step of the losing SKU with the smallest at a
// time while the sum of sizes stays within meanBound, inside the mean
// size's band, else a gain turned into a loss of its size, which leaves the
// mean size where it is. A SKU whose stock the loss would take below zero
// receives that much more on the day (see coverLosses).
func (w *World) raiseLosses(li int, day dayAdjustments, beyond, meanBound float64) error {
	losses := day.signed(w.bySteps(li, true, false), -1)
	gains := day.signed(w.bySteps(li, false, false), 1)
	if len(losses)+len(gains) == 0 {
		return fmt.Errorf("books no adjustment at %s on the last day", w.locations[li].id)
	}
	for s := day.sums(); s.loss <= beyond; s = day.sums() {
		switch {
		case len(losses) > 0 && s.abs+w.skus[losses[0]].step <= meanBound:
			day[losses[0]] -= w.skus[losses[0]].step
		case len(gains) > 0:
			day[gains[0]] = -day[gains[0]]
			losses, gains = append(losses, gains[0]), gains[1:]
		default:
			return fmt.Errorf("cannot book losses beyond the shrinkage threshold at %s "+
				"while its mean adjustment stays in its band", w.locations[li].id)
		}
	}
	return nil
}

// coverLosses raises the last day's receipt of every SKU at a location,
// among the histories the world holds, whose stock would end the day below
// zero: a delivery written off on arrival.
func (w *World) coverLosses(li int) error {
	w.byStock = nil
	for _, k := range w.stocks() {
		if k.loc != li {
			continue
		}
		short := -w.endOfDay(k.sku, li, w.lastDay())
		if short <= 0 {
			continue
		}
		i := w.lastMovement(k.sku, li, c.MoveReceipt)
		if i < 0 {
			return fmt.Errorf("no receipt at %s on the last day to cover a loss",
				w.locations[li].id)
		}
		w.movements[i].qty += short + w.skus[k.sku].step
		w.byStock = nil
	}
	return nil
}

// lastMovement is the index of a SKU-location's movement of a kind on the
// last day, or -1.
func (w *World) lastMovement(si, li int, kind string) int {
	for i, m := range w.movements {
		if m.sku == si && m.loc == li && m.kind == kind && m.date.Equal(w.lastDay()) {
			return i
		}
	}
	return -1
}

func contains(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

// freeze makes a positions feed report one SKU-location's on-hand from
// flatline days + 1 before the last day for every day since, while the SKU
// keeps shipping within the flatline_days days ending on the last day:
// unchanged for more than flatline days.
func (w *World) freeze(con *c.Contract) (Break, error) {
	days := w.estate.Project.Monitors.FlatlineDays
	if len(w.days) < days+3 {
		return Break{}, fmt.Errorf("%d days of history cannot show a %d-day flatline",
			len(w.days), days)
	}
	from := w.days[len(w.days)-2-days]
	si, li, ok := w.shipping(from, w.days[len(w.days)-1-days])
	if !ok {
		return Break{}, fmt.Errorf("no SKU ships during the last %d days", days)
	}
	w.add(&fault{kind: FaultFlatline, source: con.Source, sku: si, loc: li, date: from,
		hush: &hush{sku: si, loc: li, from: from, to: forever}})
	return Break{Keys: map[string]string{"system": con.System, "sku": w.skus[si].id,
		"location_id": w.locations[li].id}}, nil
}

// shipping finds a SKU-location whose on-hand changed on from, so that a
// run frozen from then starts then, and that ships after after, preferring
// the last location. A frozen on-hand repeats one number, so it carries no
// noise.
func (w *World) shipping(from, after time.Time) (int, int, bool) {
	stocks := w.stocks()
	for i := len(stocks) - 1; i >= 0; i-- {
		si, li := stocks[i].sku, stocks[i].loc
		if w.endOfDay(si, li, from) == w.endOfDay(si, li, from.AddDate(0, 0, -1)) {
			continue
		}
		for _, m := range w.stockMovements(si, li) {
			if m.kind == c.MoveShipment && m.qty < 0 && m.date.After(after) {
				return si, li, true
			}
		}
	}
	return 0, 0, false
}

// delayATP states one afternoon ATP of the last day ten minutes after the
// showing it fed, so that showing's latest ATP is the morning's.
func (w *World) delayATP(con *c.Contract) (Break, error) {
	if !con.Has(c.RoleEventTime) {
		return Break{}, fmt.Errorf("%s states ATP by date only; staleness needs times",
			con.Source)
	}
	last := w.lastDay()
	for i, s := range w.snapshots {
		local := s.at.In(w.locations[s.loc].tz)
		if localDate(s.at, w.locations[s.loc].tz).Equal(last) && local.Hour() == 15 {
			w.add(&fault{kind: FaultStaleATP, source: con.Source, snapshot: i})
			return Break{Keys: map[string]string{"sku": w.skus[s.sku].id,
				"location_id": w.locations[s.loc].id}}, nil
		}
	}
	return Break{}, fmt.Errorf("%s has no afternoon ATP on the last day", con.Source)
}

// conflict delivers an early movement a second time under the same key with
// another quantity: a duplicate someone must resolve, held since it landed
// three hours more than the quarantine SLA before the as-of date, where the
// clean history's near miss landed three hours less.
func (w *World) conflict(con *c.Contract) (Break, error) {
	if len(con.Semantics.IdempotencyKey) == 0 || !con.Has(c.RoleLoadedAt) {
		return Break{}, fmt.Errorf("%s has no idempotency key or loaded_at", con.Source)
	}
	sla := w.estate.Project.Quarantine.SLADays
	held := w.lastDay().AddDate(0, 0, -sla)
	covered, young := w.coveredBy(con), w.youngConflict(con)
	for i, m := range w.movements {
		if contains(covered, m.loc) && !m.replay && m.date.After(w.days[0]) &&
			m.date.Before(held) && i != young {
			w.add(&fault{kind: FaultAgedQuarantine, source: con.Source, movement: i})
			return Break{Keys: map[string]string{"source_name": con.Source}}, nil
		}
	}
	return Break{}, fmt.Errorf("%s books no movement more than %d days before the last "+
		"of %d days of history", con.Source, sla, len(w.days))
}

// drift adds to the on-hand a positions feed reports of the SKUs at a
// location with an absolute tolerance (while streaming, of the SKU whose
// history the world holds) a little more on each of the drift_days days
// ending on the judged day, which conservation reads as a break within
// tolerance on each of them: together they add up past the tolerance, and
// one day fewer of them does not (see planDrift). Drift accumulates in
// conservation only, so the feed's system must book movements.
func (w *World) drift(con *c.Contract) (Break, error) {
	books := false
	for _, m := range w.movementFeeds() {
		books = books || m.System == con.System
	}
	if !books {
		return Break{}, fmt.Errorf("%s's system books no movements, and drift "+
			"accumulates in conservation only", con.Source)
	}
	from := w.lastDay().AddDate(0, 0, 1-w.estate.Project.Monitors.DriftDays)
	err := fmt.Errorf("no location takes an absolute tolerance to drift within")
	for _, li := range w.driftLocations() {
		var plan *driftPlan
		if plan, err = w.planDrift(con, li, from); err != nil {
			continue
		}
		sku := -1
		if w.streaming {
			sku = w.chunk.sku
		}
		w.add(&fault{kind: FaultDrift, source: con.Source, loc: li, date: from, drift: plan,
			hush: &hush{sku: sku, loc: li, from: from.AddDate(0, 0, -1), to: forever}})
		return Break{Keys: map[string]string{"check_name": "movement_conservation",
			"location_id": w.locations[li].id}}, nil
	}
	return Break{}, err
}

// driftPlan is how much a drift adds to each SKU's on-hand per day, again
// every day from the first.
type driftPlan struct {
	perDay map[int]float64 // by SKU
}

// offset is what a drift adds to a SKU's on-hand at the end of a day.
func (f *fault) offset(si int, day time.Time) float64 {
	c := f.drift.perDay[si]
	if c == 0 || day.Before(f.date) {
		return 0
	}
	return c * (math.Round(day.Sub(f.date).Hours()/24) + 1)
}

// driftLocations are the locations of the histories the world holds that
// take an absolute tolerance above zero, noisy ones first.
func (w *World) driftLocations() []int {
	var noisy, rest []int
	seen := map[int]bool{}
	for _, k := range w.stocks() {
		li := k.loc
		if seen[li] || w.estate.ToleranceAt(w.locations[li].class).Qty <= 0 {
			continue
		}
		seen[li] = true
		if w.locations[li].noise > 0 {
			noisy = append(noisy, li)
		} else {
			rest = append(rest, li)
		}
	}
	return append(noisy, rest...)
}

// planDrift sizes a drift at a location from its first day: the location's
// daily total is the least the feed can state that, over the window's days,
// adds up past the widest tolerance the window's breaks take, so that over
// one day fewer it does not where the tolerance is absolute; it is spread
// over the SKUs, each at most six tenths of the smallest tolerance its
// on-hand takes in the window, so that every break stays inside. While
// streaming, the one SKU held drifts by all of its six tenths.
func (w *World) planDrift(con *c.Contract, li int, from time.Time) (*driftPlan, error) {
	t := w.estate.ToleranceAt(w.locations[li].class)
	g := grain(con)
	days := math.Round(w.lastDay().Sub(from).Hours()/24) + 1
	caps, low, high := map[int]float64{}, 0.0, 0.0
	var skus []int
	for _, k := range w.stocks() {
		if k.loc != li {
			continue
		}
		lo := math.Inf(1)
		for day := from; !day.After(w.lastDay()); day = day.AddDate(0, 0, 1) {
			q := w.endOfDay(k.sku, li, day)
			lo, high = min(lo, max(t.Qty, t.Pct*q)), max(high, q)
		}
		caps[k.sku] = math.Floor(0.6*lo*g) / g
		low += caps[k.sku]
		skus = append(skus, k.sku)
	}
	total := 0.0
	for i := 0; i < 4; i++ {
		widest := max(t.Qty, t.Pct*(high+total*days))
		total = (math.Floor(widest*g/days) + 1) / g
	}
	if w.streaming {
		// The noise of the location's other SKUs, and the faults planted in
		// their histories, are out of sight: drift as fast as the SKU can.
		total = low
	}
	if total > low || total*days <= max(t.Qty, t.Pct*(high+total*days)) {
		return nil, fmt.Errorf("%s cannot state breaks within the tolerance at %s that add "+
			"up past it", con.Source, w.locations[li].id)
	}
	plan := &driftPlan{perDay: map[int]float64{}}
	left := total
	for _, si := range skus {
		step := math.Round(min(left, caps[si])*g) / g
		plan.perDay[si], left = step, left-step
	}
	return plan, nil
}

// miscount makes every count at some locations of the first location's
// class disagree with the record by more than its tolerance, as a count
// team or scanner that miscounts does: enough of the class's locations,
// half a location to spare, that its accuracy falls below the target.
//
// Without a locations feed no location has a class in the project, so the
// overall accuracy is the one that must fall.
func (w *World) miscount(con *c.Contract) (Break, error) {
	class := w.locations[0].class
	var locs []int
	for li, l := range w.locations {
		if l.class == class || !w.estate.ClassifiesLocations() {
			locs = append(locs, li)
		}
	}
	target := w.estate.Project.Monitors.IRATarget
	wrong := min(len(locs), int(float64(len(locs))*(1-target)+0.5)+1)
	for _, li := range locs[:wrong] {
		w.add(&fault{kind: FaultMiscount, source: con.Source, loc: li})
	}
	if !w.estate.ClassifiesLocations() {
		class = "all"
	}
	return Break{Keys: map[string]string{"location_class": class}}, nil
}

// splitDay picks a movement of a local-time feed just after local midnight,
// larger than the tolerance at its location, whose UTC date is the day
// before: stated in UTC, it moves to that date; never an adjustment (see
// movable), nor off a judged day a whole-day pattern reshapes. The noise of
// both dates and the day before them is hushed.
func (w *World) splitDay(con *c.Contract) (Break, error) {
	if con.Basis() != c.BasisLocal || con.Semantics.Timezone == "UTC" {
		return Break{}, fmt.Errorf("%s states UTC already", con.Source)
	}
	covered := w.coveredBy(con)
	for i, m := range w.movements {
		local := m.at.In(w.locations[m.loc].tz)
		if !contains(covered, m.loc) || m.replay || m.kind == c.MoveAdjustment ||
			local.Hour() != 0 ||
			!w.stockBeyond(m.sku, m.loc, m.date, m.qty) ||
			!m.date.After(w.days[1]) || !localDate(m.at, time.UTC).Before(m.date) ||
			w.reshaped(m.date) || w.extractShort(con.Source, m.date) ||
			w.extractShort(con.Source, m.date.AddDate(0, 0, -1)) {
			continue
		}
		w.add(&fault{kind: FaultTimezoneSplit, source: con.Source, movement: i,
			hush: hushAround(m.sku, m.loc, m.date, 2)})
		return w.stockBreak(con.System, m.sku, m.loc, m.date, m.qty), nil
	}
	return Break{}, fmt.Errorf("%s books no movement just after local midnight", con.Source)
}
