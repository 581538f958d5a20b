package synth

import (
	"fmt"
	"math"
	"time"

	c "github.com/invgen/invgen/contracts"
)

// Patterns that are well-formed, conservation-clean and lying: what the
// distributional monitors exist to catch. Each lands on the last business
// date, the date a daily run judges.
const (
	FaultVolumeDrop      Fault = "a day with its shipments missing from the feed"
	FaultMeanShift       Fault = "adjustment gains three times their usual size"
	FaultZeroAdjustments Fault = "a feed that suddenly reports no adjustments"
	FaultShrinkageRise   Fault = "a location whose gains all turn into losses"
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
// feed's locations; positions follow, so conservation stays clean. A volume
// drop loses every movement but the adjustments, so that it moves no other
// monitor.
func (w *World) reshapeMovements(f Fault, con *c.Contract) (Break, error) {
	locs := w.coveredBy(con)
	if len(locs) == 0 {
		return Break{}, fmt.Errorf("%s books no location", con.Source)
	}
	target := locs[0]
	last := w.lastDay()
	kept, changed := w.movements[:0], 0
	for _, m := range w.movements {
		onDay := m.date.Equal(last) && contains(locs, m.loc)
		adjustment := m.kind == c.MoveAdjustment
		switch {
		case onDay && f == FaultVolumeDrop && !adjustment:
			changed++
			continue
		case onDay && f == FaultZeroAdjustments && adjustment:
			m.was, m.kind = m.kind, c.MoveReceipt
			if m.qty < 0 {
				m.kind = c.MoveShipment
			}
			changed++
		case onDay && m.loc == target && adjustment && m.qty > 0 &&
			(f == FaultMeanShift || f == FaultShrinkageRise):
			m.qty = map[Fault]float64{FaultMeanShift: 3 * m.qty,
				FaultShrinkageRise: -m.qty}[f]
			changed++
		}
		kept = append(kept, m)
	}
	w.movements = kept
	w.byStock = nil
	if changed == 0 {
		return Break{}, fmt.Errorf("%s books nothing on the last day this pattern could "+
			"change", con.Source)
	}

	keys := map[string]string{"source_name": con.Source}
	switch f {
	case FaultMeanShift:
		keys["location_id"] = w.locations[target].id
	case FaultShrinkageRise:
		keys = map[string]string{"location_id": w.locations[target].id}
	}
	return Break{Keys: keys}, nil
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
// keeps shipping: unchanged for more than flatline days.
func (w *World) freeze(con *c.Contract) (Break, error) {
	days := w.estate.Project.Monitors.FlatlineDays
	if len(w.days) < days+3 {
		return Break{}, fmt.Errorf("%d days of history cannot show a %d-day flatline",
			len(w.days), days)
	}
	from := w.days[len(w.days)-2-days]
	si, li, ok := w.shipping(from)
	if !ok {
		return Break{}, fmt.Errorf("no SKU ships during the last %d days", days)
	}
	w.add(&fault{kind: FaultFlatline, source: con.Source, sku: si, loc: li, date: from,
		hush: &hush{sku: si, loc: li, from: from, to: forever}})
	return Break{Keys: map[string]string{"system": con.System, "sku": w.skus[si].id,
		"location_id": w.locations[li].id}}, nil
}

// shipping finds a SKU-location that ships after from, preferring the last
// location. A frozen on-hand repeats one number, so it carries no noise.
func (w *World) shipping(from time.Time) (int, int, bool) {
	stocks := w.stocks()
	for i := len(stocks) - 1; i >= 0; i-- {
		si, li := stocks[i].sku, stocks[i].loc
		for _, m := range w.stockMovements(si, li) {
			if m.kind == c.MoveShipment && m.date.After(from) {
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
// another quantity: a duplicate someone must resolve, held since it landed,
// more than the quarantine SLA before the as-of date.
func (w *World) conflict(con *c.Contract) (Break, error) {
	if len(con.Semantics.IdempotencyKey) == 0 || !con.Has(c.RoleLoadedAt) {
		return Break{}, fmt.Errorf("%s has no idempotency key or loaded_at", con.Source)
	}
	sla := w.estate.Project.Quarantine.SLADays
	held := w.lastDay().AddDate(0, 0, -sla)
	covered := w.coveredBy(con)
	for i, m := range w.movements {
		if contains(covered, m.loc) && !m.replay && m.date.After(w.days[0]) &&
			m.date.Before(held) {
			w.add(&fault{kind: FaultAgedQuarantine, source: con.Source, movement: i})
			return Break{Keys: map[string]string{"source_name": con.Source}}, nil
		}
	}
	return Break{}, fmt.Errorf("%s books no movement more than %d days before the last "+
		"of %d days of history", con.Source, sla, len(w.days))
}

// drift adds to the on-hand a positions feed reports of every SKU at a
// location with an absolute tolerance (while streaming, of the SKU whose
// history the world holds), on each day of the drift window, the window's
// drift_days and the judged day: each break stays within its tolerance,
// together they do not, even over a window of two days. A system that books
// movements drifts against them, a little more each day; one that does not
// drifts against the other system's on-hand, by as much every day.
func (w *World) drift(con *c.Contract) (Break, error) {
	from := w.lastDay().AddDate(0, 0, -w.estate.Project.Monitors.DriftDays)
	check, growing := "erp_wms_parity", false
	for _, m := range w.movementFeeds() {
		if m.System == con.System {
			check, growing = "movement_conservation", true
		}
	}
	err := fmt.Errorf("no location takes an absolute tolerance to drift within")
	for _, li := range w.driftLocations() {
		var plan *driftPlan
		if plan, err = w.planDrift(con, li, from); err != nil {
			continue
		}
		plan.growing = growing
		sku := -1
		if w.streaming {
			sku = w.chunk.sku
		}
		w.add(&fault{kind: FaultDrift, source: con.Source, loc: li, date: from, drift: plan,
			hush: &hush{sku: sku, loc: li, from: from.AddDate(0, 0, -1), to: forever}})
		return Break{Keys: map[string]string{"check_name": check,
			"location_id": w.locations[li].id}}, nil
	}
	return Break{}, err
}

// driftPlan is how much a drift adds to each SKU's on-hand per day.
type driftPlan struct {
	perDay  map[int]float64 // by SKU
	growing bool            // added again every day, not once
}

// offset is what a drift adds to a SKU's on-hand at the end of a day.
func (f *fault) offset(si int, day time.Time) float64 {
	c := f.drift.perDay[si]
	if c == 0 || day.Before(f.date) {
		return 0
	}
	if f.drift.growing {
		return c * (math.Round(day.Sub(f.date).Hours()/24) + 1)
	}
	return c
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

// planDrift sizes a drift at a location from the drift window's first
// day: each SKU's daily step is six tenths of the smallest tolerance its
// on-hand takes in the window, in units the feed can state, so that every
// break stays inside; and the steps must add up past the largest
// tolerance, which a relative one takes of an on-hand the drift has grown.
func (w *World) planDrift(con *c.Contract, li int, from time.Time) (*driftPlan, error) {
	t := w.estate.ToleranceAt(w.locations[li].class)
	g := grain(con)
	days := math.Round(w.lastDay().Sub(from).Hours()/24) + 1
	plan := &driftPlan{perDay: map[int]float64{}}
	total, widest := 0.0, 0.0
	for _, k := range w.stocks() {
		if k.loc != li {
			continue
		}
		low, high := math.Inf(1), 0.0
		for day := from; !day.After(w.lastDay()); day = day.AddDate(0, 0, 1) {
			q := w.endOfDay(k.sku, li, day)
			low, high = min(low, max(t.Qty, t.Pct*q)), max(high, q)
		}
		step := math.Floor(0.6*low*g) / g
		plan.perDay[k.sku] = step
		total += step * days
		widest = max(widest, t.Qty, t.Pct*(high+step*days))
	}
	if total <= widest {
		return nil, fmt.Errorf("%s cannot state breaks within the tolerance at %s that add "+
			"up past it", con.Source, w.locations[li].id)
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
// before: stated in UTC, it moves to that date. The noise of both dates and
// the day before them is hushed.
func (w *World) splitDay(con *c.Contract) (Break, error) {
	if con.Basis() != c.BasisLocal || con.Semantics.Timezone == "UTC" {
		return Break{}, fmt.Errorf("%s states UTC already", con.Source)
	}
	covered := w.coveredBy(con)
	for i, m := range w.movements {
		local := m.at.In(w.locations[m.loc].tz)
		if !contains(covered, m.loc) || m.replay || local.Hour() != 0 ||
			!w.stockBeyond(m.sku, m.loc, m.date, m.qty) ||
			!m.date.After(w.days[1]) || !localDate(m.at, time.UTC).Before(m.date) ||
			w.extractShort(con.Source, m.date) ||
			w.extractShort(con.Source, m.date.AddDate(0, 0, -1)) {
			continue
		}
		w.add(&fault{kind: FaultTimezoneSplit, source: con.Source, movement: i,
			hush: hushAround(m.sku, m.loc, m.date, 2)})
		return w.stockBreak(con.System, m.sku, m.loc, m.date, m.qty), nil
	}
	return Break{}, fmt.Errorf("%s books no movement just after local midnight", con.Source)
}
