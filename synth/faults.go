package synth

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	c "github.com/invgen/invgen/contracts"
)

// Fault is one kind of error a producer makes, injected into a single feed
// so that exactly one check must catch it.
type Fault string

// The faults each reconciliation exists to catch.
const (
	FaultLostMovement      Fault = "a lost movement"
	FaultDoublePost        Fault = "a double-post under a new id"
	FaultCasesAsEaches     Fault = "a quantity in cases where eaches were declared"
	FaultStaleAvailability Fault = "availability above ATP from a stale snapshot"
	FaultOpenRefund        Fault = "a refund with no disposition past grace"
	FaultMissingRows       Fault = "a day with rows missing against its control total"
)

// Break is the one break row a fault must produce: the values of its key
// columns as text, and its quantity and value (nil when the check has no
// value, as for row counts).
type Break struct {
	Keys  map[string]string
	Qty   float64
	Value *float64
}

// fault is the single injected fault a world renders, if any.
type fault struct {
	kind     Fault
	stock    *stockKey // the SKU-location history it was planted in, if any
	source   string
	movement int // index into movements
	sku, loc int
	date     time.Time
	snapshot int
	shown    float64
	refund   string
	missing  int
	hush     *hush      // where it silences the noise, if anywhere
	drift    *driftPlan // what a drift adds to each SKU's on-hand

	// adjust is what a whole-day pattern planned before a stream books as
	// the last day's adjustments at loc (see day_patterns.go).
	adjust dayAdjustments
}

// Inject makes source misreport in the way of f and returns the break the
// check must find. Call it before Render. A world can take several faults,
// for an estate that breaks every check at once; each fault picks a place
// no earlier fault of its kind took.
func (w *World) Inject(f Fault, source string) (Break, error) {
	con := w.estate.Contract(source)
	if con == nil {
		return Break{}, fmt.Errorf("no source %s", source)
	}
	switch f {
	case FaultLostMovement, FaultDoublePost:
		return w.injectMovement(f, con)
	case FaultCasesAsEaches:
		return w.injectCases(con)
	case FaultStaleAvailability:
		return w.injectStale(con)
	case FaultOpenRefund:
		return w.injectOpenRefund(con)
	case FaultMissingRows:
		return w.injectMissingRows(con)
	}
	return w.injectPattern(f, con)
}

// add plants a fault; while streaming it belongs to the history held.
func (w *World) add(f *fault) {
	if w.streaming {
		k := w.chunk
		f.stock = &k
	}
	w.faults = append(w.faults, f)
}

// taken reports whether a fault of this kind already sits at this place.
func (w *World) taken(kind Fault, same func(*fault) bool) bool {
	for _, f := range w.faults {
		if f.kind == kind && same(f) {
			return true
		}
	}
	return false
}

func (w *World) value(si int, date time.Time, qty float64) *float64 {
	if len(w.estate.ByFeed(c.FeedCosts)) == 0 {
		return nil
	}
	v := round6(qty * w.costAt(si, date))
	return &v
}

// costAt is the SKU's cost valid on a date, as dim_sku_cost picks it.
func (w *World) costAt(si int, date time.Time) float64 {
	costs := w.skus[si].costs
	if !w.costsDated() {
		return costs[0].cost
	}
	cost := 0.0
	for _, dc := range costs {
		if !dc.from.After(date) {
			cost = dc.cost
		}
	}
	return cost
}

func (w *World) costsDated() bool {
	feeds := w.estate.ByFeed(c.FeedCosts)
	return len(feeds) > 0 && feeds[0].Has(c.RoleValidFrom)
}

func round6(f float64) float64 {
	return float64(int64(f*1e6+copysign(0.5, f))) / 1e6
}

func copysign(a, b float64) float64 {
	if b < 0 {
		return -a
	}
	return a
}

// injectMovement drops a movement from the feed, or books it a second time
// under a new id, on a day after the first so there is an on-hand before it:
// a movement larger than the tolerance at its location, so that losing it
// is a break. The noise of the day and the day before is hushed, so that
// the break is exactly the movement.
func (w *World) injectMovement(f Fault, con *c.Contract) (Break, error) {
	sign := 1.0
	if f == FaultDoublePost {
		sign = -1
	}
	var anchor *movement
	for i, m := range w.movements {
		if !w.movable(con, i) {
			continue
		}
		if anchor == nil {
			anchor = &w.movements[i]
		}
		if w.stockBeyond(m.sku, m.loc, m.date, sign*m.qty) {
			return w.plantMovement(f, con, i), nil
		}
	}
	if anchor != nil {
		if i, ok := w.largeMovement(f, *anchor); ok {
			return w.plantMovement(f, con, i), nil
		}
	}
	return Break{}, fmt.Errorf("%s books no movement larger than the tolerance at its "+
		"location (%s) for a fault to lose", con.Source, w.tolerances(w.coveredBy(con)))
}

// movable reports whether a movement fault can go into movement i of a
// feed: one the feed books, not replayed, on a day whose cost proves the
// value, where no other fault of its kind or partial extract would net
// into its break, and off a judged day a whole-day pattern reshapes. Not
// an adjustment: the adjustment monitors judge a location's adjustments
// against their own history, in which a lost or doubled one would move
// the baseline their near misses sit just inside.
func (w *World) movable(con *c.Contract, i int) bool {
	m := w.movements[i]
	return contains(w.coveredBy(con), m.loc) && !m.replay && m.kind != c.MoveAdjustment &&
		w.pricedApart(m.sku, m.date) && !w.movementTaken(i) &&
		!w.extractShort(con.Source, m.date) && !w.reshaped(m.date)
}

// plantMovement plants a lost or double-posted movement i, hushing the
// noise of its day and the day before so that the break is exactly the
// movement.
func (w *World) plantMovement(f Fault, con *c.Contract, i int) Break {
	m := w.movements[i]
	w.add(&fault{kind: f, source: con.Source, movement: i,
		hush: hushAround(m.sku, m.loc, m.date, 1)})
	qty := m.qty
	if f == FaultDoublePost {
		qty = -m.qty
	}
	return w.stockBreak(con.System, m.sku, m.loc, m.date, qty)
}

// largeMovement books, where every movement is within the tolerance, a
// delivery of the anchor's SKU at its location and date that is not: a
// receipt of as many steps as it takes, up to a hundred times the stock,
// for a fault to lose; or, for a double-post, a receipt and a shipment (or
// a loss by adjustment) of it, for the outbound one to be posted twice. It
// returns the index of the movement to plant the fault in.
func (w *World) largeMovement(f Fault, anchor movement) (int, bool) {
	can := w.expressible(anchor.loc)
	out := c.MoveShipment
	if !can[out] {
		out = c.MoveAdjustment
	}
	if !can[c.MoveReceipt] || f == FaultDoublePost && !can[out] {
		return 0, false
	}
	step := w.skus[anchor.sku].step
	before := w.endOfDay(anchor.sku, anchor.loc, anchor.date)
	qty := step
	for ; ; qty *= 2 {
		expected := before
		if f == FaultDoublePost {
			expected = before - qty
		}
		if w.beyondTolerance(anchor.loc, true, qty, expected) {
			break
		}
		if qty > 100*max(before, step) {
			return 0, false
		}
	}
	at := localNoon(anchor.date, w.locations[anchor.loc].tz)
	add := func(kind string, effect float64) {
		w.movements = append(w.movements, movement{sku: anchor.sku, loc: anchor.loc,
			kind: kind, qty: effect, at: at, date: anchor.date})
	}
	add(c.MoveReceipt, qty)
	if f == FaultDoublePost {
		add(out, -qty)
	}
	w.byStock = nil
	return len(w.movements) - 1, true
}

// stockBeyond reports whether a break of qty in a SKU-location's on-hand on
// a date exceeds the tolerance there. The on-hand reported is the truth, so
// what the check expects, which a relative tolerance is taken of, is the
// truth less the break.
func (w *World) stockBeyond(si, li int, date time.Time, qty float64) bool {
	return w.beyondTolerance(li, true, qty, w.endOfDay(si, li, date)-qty)
}

// tolerances names, once each, the tolerances the generated project applies
// at some locations, for a message: "qty 1000000" or "qty 0; qty 1, pct 0.05".
func (w *World) tolerances(locs []int) string {
	var parts []string
	for _, li := range locs {
		t := w.estate.ToleranceAt(w.locations[li].class)
		part := "qty " + num(t.Qty)
		if t.Pct > 0 {
			part += ", pct " + num(t.Pct)
		}
		if !slices.Contains(parts, part) {
			parts = append(parts, part)
		}
	}
	return strings.Join(parts, "; ")
}

// movementTaken reports whether a movement, or its SKU-location-date,
// already carries a fault, so two faults never net out in one break: a
// lost or doubled movement that day, or a timezone split that breaks it
// or the day before.
func (w *World) movementTaken(i int) bool {
	m := w.movements[i]
	for _, f := range w.faults {
		days := 0
		switch f.kind {
		case FaultLostMovement, FaultDoublePost:
			days = 1
		case FaultTimezoneSplit:
			days = 2
		}
		for d := 0; d < days; d++ {
			o := w.movements[f.movement]
			if o.sku == m.sku && o.loc == m.loc && o.date.AddDate(0, 0, -d).Equal(m.date) {
				return true
			}
		}
	}
	return false
}

// extractShort reports whether a day of a source already misses rows
// against its control total, by a partial extract or, within min_ratio,
// on the clean estate's short day: a movement fault there would net into
// that break, or push the short day beyond the ratio, instead of showing
// as its own.
func (w *World) extractShort(source string, date time.Time) bool {
	if con := w.estate.Contract(source); con != nil && con.Delivery.Completeness != nil &&
		w.isShortDay(date) {
		return true
	}
	return w.taken(FaultMissingRows, func(f *fault) bool {
		return f.source == source && f.date.Equal(date)
	})
}

// movementFaultOn reports whether a planted movement fault changes what a
// source delivers for a date: a lost or doubled movement that day, or one
// a timezone split moves to the day before.
func (w *World) movementFaultOn(source string, date time.Time) bool {
	for _, f := range w.faults {
		if f.source != source || w.movements == nil || f.movement >= len(w.movements) {
			continue
		}
		m := w.movements[f.movement]
		switch f.kind {
		case FaultLostMovement, FaultDoublePost:
			if m.date.Equal(date) {
				return true
			}
		case FaultTimezoneSplit:
			if m.date.Equal(date) || m.date.AddDate(0, 0, -1).Equal(date) {
				return true
			}
		}
	}
	return false
}

func (w *World) stockBreak(system string, si, li int, date time.Time, qty float64) Break {
	keys := map[string]string{
		"sku": w.skus[si].id, "location_id": w.locations[li].id,
		"business_date": date.Format(dateLayout),
	}
	if system != "" {
		keys["system"] = system
	}
	return Break{Keys: keys, Qty: qty, Value: w.value(si, date, qty)}
}

// pricedApart reports whether a SKU's cost valid on date is neither its
// first cost nor its latest, so that a break valued then proves that the
// value takes the cost of its own date. Without dated costs, or where no
// SKU is repriced, any date after the second qualifies.
func (w *World) pricedApart(si int, date time.Time) bool {
	costs := w.skus[si].costs
	if !w.costsDated() || !w.anyRepriced() {
		return date.After(w.days[1])
	}
	cost := w.costAt(si, date)
	return cost != costs[0].cost && cost != costs[len(costs)-1].cost
}

func (w *World) anyRepriced() bool {
	for _, s := range w.skus {
		if len(s.costs) > 1 {
			return true
		}
	}
	return false
}

// injectCases states one end-of-day on-hand in cases in a feed that declares
// eaches: a whole number of cases, so the column can hold it exactly, on a
// day whose cost proves the value.
func (w *World) injectCases(con *c.Contract) (Break, error) {
	for d, day := range w.days[1:] {
		for _, k := range w.stocks() {
			si, li := k.sku, k.loc
			q := w.endOfDay(si, li, day)
			pack := w.skus[si].packs["cases"]
			if q <= 0 || int64(q)%int64(pack) != 0 || (d+si+li)%3 != 0 ||
				!w.pricedApart(si, day) ||
				!w.beyondTolerance(li, true, q/pack-q, q) ||
				w.taken(FaultCasesAsEaches, func(f *fault) bool {
					return f.sku == si && f.loc == li && f.date.Equal(day)
				}) {
				continue
			}
			w.add(&fault{kind: FaultCasesAsEaches, source: con.Source, sku: si,
				loc: li, date: day, hush: hushAround(si, li, day, 0)})
			return w.stockBreak("", si, li, day, q/pack-q), nil
		}
	}
	return Break{}, fmt.Errorf("%s has no on-hand a whole number of cases that stated "+
		"in cases is off by more than the tolerance", con.Source)
}

// injectStale shows, once, what an older ATP snapshot promised, as a
// storefront serving a stale cache does: a snapshot older than the
// availability feed's freshness SLA and at most a day before, which
// promised more than the latest ATP, by more than the tolerance, on a day
// whose cost proves the value. Where no ATP fell that far, a reservation
// just before a snapshot takes its ATP down. The break is the difference.
func (w *World) injectStale(con *c.Contract) (Break, error) {
	sla := freshness(con)
	first := -1
	for i := len(w.snapshots) / 2; i < len(w.snapshots); i++ {
		s := w.snapshots[i]
		if w.taken(FaultStaleAvailability, func(f *fault) bool { return f.snapshot == i }) ||
			w.taken(FaultStaleATP, func(f *fault) bool { return f.snapshot == i }) ||
			!w.pricedApart(s.sku, w.feedDate(con, s.shownAt)) {
			continue
		}
		older, ok := w.olderPromise(i, sla)
		if !ok {
			continue
		}
		if first < 0 {
			first = i
		}
		if w.staleBeyond(i, older) {
			return w.plantStale(con, i, older), nil
		}
	}
	if first >= 0 {
		older, _ := w.olderPromise(first, sla)
		if w.reserve(first, older) {
			return w.plantStale(con, first, older), nil
		}
	}
	return Break{}, fmt.Errorf("%s shows no availability an older ATP promised more "+
		"for, by more than the tolerance", con.Source)
}

// staleBeyond reports whether showing an older promise at snapshot i
// exceeds the latest ATP by more than the tolerance.
func (w *World) staleBeyond(i int, older float64) bool {
	latest := w.promised(i)
	return older > latest && w.beyondTolerance(w.snapshots[i].loc, true, older-latest, latest)
}

func (w *World) plantStale(con *c.Contract, i int, older float64) Break {
	s := w.snapshots[i]
	w.add(&fault{kind: FaultStaleAvailability, source: con.Source, snapshot: i,
		shown: older})
	b := w.stockBreak("", s.sku, s.loc, w.feedDate(con, s.shownAt), older-w.promised(i))
	b.Keys["shown_at"] = w.shownAtKey(s)
	return b
}

// reserve lowers the ATP snapshot i promises, by whole steps, until an
// older promise exceeds it by more than the tolerance, as a reservation
// taken just before it does. Where a daily ATP states the day's lowest,
// the day's showings stay under it. It reports false where the older
// promise is too small to exceed anything by that much.
func (w *World) reserve(i int, older float64) bool {
	s := &w.snapshots[i]
	step := w.skus[s.sku].step
	low := math.Floor(w.promised(i)/step) * step
	for low >= 0 && !w.beyondTolerance(s.loc, true, older-low, low) {
		low -= step
	}
	if low < 0 {
		return false
	}
	if w.atpHasTimes() {
		s.atp = low
		return true
	}
	for k := range w.snapshots {
		o := &w.snapshots[k]
		if o.sku == s.sku && o.loc == s.loc && o.date.Equal(s.date) {
			o.dayLow, o.shown = low, min(o.shown, low)
		}
	}
	return true
}

// freshness is a feed's freshness SLA, or none.
func freshness(con *c.Contract) time.Duration {
	sla, err := c.ParseSLA(con.Delivery.FreshnessSLA)
	if err != nil {
		return 0
	}
	return time.Duration(sla.Minutes) * time.Minute
}

// promised is the ATP a snapshot's showing is held to: the snapshot's own,
// or the day's lowest where the ATP feed states dates only.
func (w *World) promised(i int) float64 {
	if !w.atpHasTimes() {
		return w.snapshots[i].dayLow
	}
	return w.snapshots[i].atp
}

// olderPromise is what a cache could still hold at snapshot i's showing,
// when that promised more than snapshot i's ATP: the latest ATP of the
// SKU-location stated longer ago than sla and at most a day before, or,
// where the ATP feed states dates only, the day before's.
func (w *World) olderPromise(i int, sla time.Duration) (float64, bool) {
	s := w.snapshots[i]
	if !w.atpHasTimes() {
		j := i
		for j >= 0 && w.snapshots[j].date.Equal(s.date) {
			j--
		}
		if j < 0 || w.snapshots[j].sku != s.sku || w.snapshots[j].loc != s.loc {
			return 0, false
		}
		return w.snapshots[j].dayLow, w.snapshots[j].dayLow > s.dayLow
	}
	for j := i - 1; j >= 0; j-- {
		o := w.snapshots[j]
		age := s.shownAt.Sub(o.at)
		if o.sku != s.sku || o.loc != s.loc || age > 24*time.Hour {
			break
		}
		if age > sla {
			return o.atp, o.atp > s.atp
		}
	}
	return 0, false
}

func (w *World) atpHasTimes() bool {
	for _, con := range w.estate.ByFeed(c.FeedPositions) {
		if con.QuantityField() == c.QuantityATP {
			return con.Has(c.RoleEventTime)
		}
	}
	return true
}

// shownAtKey is shown_at as the honesty model reports it: UTC, or local
// time when the ATP feed has dates only.
func (w *World) shownAtKey(s snapshot) string {
	if w.atpHasTimes() {
		return s.shownAt.UTC().Format(timeLayout)
	}
	return s.shownAt.In(w.atpClock()).Format(timeLayout)
}

// beyondTolerance reports whether a break of qty against an expected
// quantity exceeds the tolerance the generated project applies at a
// location, or the default's for a row with no location: a fault must break
// by more than its tolerance to be a break at all.
func (w *World) beyondTolerance(li int, located bool, qty, expected float64) bool {
	t := w.tolerance(li, located)
	return math.Abs(qty) > max(t.Qty, t.Pct*math.Abs(expected))
}

// tolerance is the tolerance the generated project applies at a location,
// or the default's for a row with no location.
func (w *World) tolerance(li int, located bool) c.Tolerance {
	if located {
		return w.estate.ToleranceAt(w.locations[li].class)
	}
	return w.estate.Project.Tolerances[c.DefaultTolerance]
}

// injectOpenRefund loses every disposition of the latest refund past grace
// that no fault has taken: one day past grace, where a check that grants a
// day more would miss it. Its quantity is raised to one unit more than the
// tolerance where it is within, and its SKU is one whose cost on its date
// proves the value where its own is not: the refund is lost either way,
// so what it refunded is the fault's to choose.
func (w *World) injectOpenRefund(con *c.Contract) (Break, error) {
	asOf, _ := time.Parse(dateLayout, w.AsOf())
	cutoff := asOf.AddDate(0, 0, -w.estate.Project.Grace.ReturnsDays)
	pick := -1
	for i, r := range slices.Backward(w.refunds) {
		if w.feedDate(con, r.at).Before(cutoff) &&
			!w.taken(FaultOpenRefund, func(f *fault) bool { return f.refund == r.id }) {
			pick = i
			break
		}
	}
	if pick < 0 {
		return Break{}, fmt.Errorf("no refund of %s is past grace", con.Source)
	}
	r := &w.refunds[pick]
	located := con.Has(c.RoleLocationID)
	if !w.beyondTolerance(r.loc, located, r.qty, r.qty) {
		r.qty = math.Floor(w.tolerance(r.loc, located).Qty) + 1
	}
	date := w.feedDate(con, r.at)
	if !w.pricedApart(r.sku, date) {
		r.sku = w.skuPricedApart(date, r.sku)
	}
	w.add(&fault{kind: FaultOpenRefund, source: con.Source, refund: r.id})
	b := w.stockBreak("", r.sku, r.loc, date, r.qty)
	delete(b.Keys, "location_id")
	b.Keys["refund_id"] = r.id
	return b, nil
}

// skuPricedApart is the first SKU whose cost on date is neither its first
// nor its latest, else fallback.
func (w *World) skuPricedApart(date time.Time, fallback int) int {
	for si := range w.skus {
		if w.pricedApart(si, date) {
			return si
		}
	}
	return fallback
}

// injectMissingRows drops rows of one business date from the feed, just
// more than the contract's minimum ratio tolerates, on a day no movement
// fault changes and not the day the clean estate falls short within the
// ratio.
func (w *World) injectMissingRows(con *c.Contract) (Break, error) {
	if con.Delivery.Completeness == nil {
		return Break{}, fmt.Errorf("%s states no completeness control", con.Source)
	}
	d := len(w.days) / 2
	for d < len(w.days)-1 && w.movementFaultOn(con.Source, w.days[d]) {
		d++
	}
	day := w.days[d]
	missing := w.beyondRatio(con, day)
	w.add(&fault{kind: FaultMissingRows, source: con.Source, date: day, missing: missing})
	return Break{Keys: map[string]string{"source_name": con.Source,
		"business_date": day.Format(dateLayout)}, Qty: -float64(missing)}, nil
}

// beyondRatio is how many rows of a day a partial extract drops: one more
// than min_ratio tolerates of the rows the feed exports that day, so that a
// check that tolerates a row more misses it. Before any history exists, as
// when a simulation plants it ahead of streaming, the day's rows are not
// known: then it drops a share of the most the feed can deliver in a day,
// enough however large the estate, and never fewer than two.
func (w *World) beyondRatio(con *c.Contract, day time.Time) int {
	ratio := con.Delivery.Completeness.Ratio()
	if len(w.movements) == 0 {
		return max(2, int(float64(w.dailyRowBound(con))*(1-ratio))+1)
	}
	exported := float64(w.render(con).exported[day])
	return int(math.Floor(exported*(1-ratio)+1e-9)) + 1
}

// dailyRowBound is at least the rows a movements feed delivers in one day:
// every movement kind for every SKU at each location it books, each row
// possibly replayed once.
func (w *World) dailyRowBound(con *c.Contract) int {
	kinds := len(c.MovementTypes())
	return 2 * kinds * len(w.skus) * len(w.coveredBy(con))
}

// feedDate is the business date a feed's staging model derives for an
// instant: the date in the feed's own timezone.
func (w *World) feedDate(con *c.Contract, at time.Time) time.Time {
	return localDate(at, zone(con))
}

// Uncontrolled names a movements feed of the same system as source that no
// control total checks, else source itself. A movement lost from a feed
// with a control total also leaves the day's rows short of it, a partial
// extract; lost from this one, it shows in conservation alone.
func (w *World) Uncontrolled(source string) string {
	con := w.estate.Contract(source)
	if con == nil || con.Delivery.Completeness == nil {
		return source
	}
	for _, f := range w.movementFeeds() {
		if f.System == con.System && f.Delivery.Completeness == nil {
			return f.Source
		}
	}
	return source
}
