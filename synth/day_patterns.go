package synth

import (
	"fmt"
	"time"

	c "github.com/invgen/invgen/contracts"
)

// Whole-day patterns in a streamed world. The four monitors that judge a
// whole day of a feed (volume, adjustment mean, zero adjustments,
// shrinkage) see every SKU-location of a feed or location at once, while a
// stream holds one history at a time. Each pattern is therefore planned
// before the first history is made, from the plan of the last day (see
// plan.go), which every history follows, and applied to each history as it
// streams by, before its ATP is sampled and its faults are planted: the
// world itself changes, as in a proof, and every position follows.
//
// In a stream each lands further out than in a proof. A volume drop takes
// every shipment of the day: the faults planted on the days before, lost
// and doubled movements and a partial extract, move the band of rows it
// is judged against. The adjustment patterns land at twice sigma, so that
// finding them does not hang on the baseline matching the plan to the last
// decimal; nothing else planted touches an adjustment (see movable), so
// the near misses beside them do match it. The movement faults keep off
// the judged day wherever a whole-day pattern is planted (see reshaped).

// streamReach is how many times sigma a streamed adjustment pattern lands
// beyond its baseline's mean.
const streamReach = 2

// planDay plans a whole-day pattern in a streamed world before its first
// history is made, and returns the keys of the monitor row that must alert.
func (w *World) planDay(f Fault, con *c.Contract) (Break, error) {
	if w.streaming {
		return Break{}, fmt.Errorf("%s is planted before the stream, not in one history", f)
	}
	if w.taken(f, func(*fault) bool { return true }) {
		return Break{}, fmt.Errorf("%s is planted already", f)
	}
	var keys map[string]string
	var err error
	switch f {
	case FaultVolumeDrop:
		keys, err = w.planNoShipments(con)
	case FaultZeroAdjustments:
		keys, err = w.planNoAdjustments(con)
	case FaultMeanShift:
		keys, err = w.planMeanShift(con)
	case FaultShrinkageRise:
		keys, err = w.planShrinkage(con)
	}
	return Break{Keys: keys}, err
}

// planNoShipments plans a day on which the feed's locations ship nothing:
// every shipment of the last day is lost from the world, so that the
// feed's rows fall below p05 of its band, however the faults of the days
// before move it. A summarised feed then lacks a row each SKU-location
// delivers every other day; a feed booked per transaction, rows it
// delivers one to three times a day.
func (w *World) planNoShipments(con *c.Contract) (map[string]string, error) {
	last, left, ships := len(w.days)-1, w.plannedRows(con, len(w.days)-1), false
	for _, li := range w.coveredBy(con) {
		if !w.books(li, c.MoveShipment) {
			continue
		}
		ships = true
		for si := range w.skus {
			left -= w.shipments(si, li, last)
		}
	}
	if !ships {
		return nil, fmt.Errorf("%s books no shipment", con.Source)
	}
	p05 := percentile(w.volumeBaseline(con), 0.05)
	if con.Semantics.MovementGrain != c.GrainDaySummary && float64(left) >= p05 {
		return nil, fmt.Errorf("%s keeps %d rows without its shipments, not below p05 (%s)",
			con.Source, left, num(p05))
	}
	w.add(&fault{kind: FaultVolumeDrop, source: con.Source})
	return map[string]string{"source_name": con.Source}, nil
}

// planNoAdjustments plans a day on which the feed's locations book no
// adjustment: each is restated as a receipt or a shipment of its effect.
// Not in a feed at whose locations another adjustment pattern goes, which
// would have nothing left to shift, nor where every other feed stating
// adjustments books only the same locations, which would fall silent too.
func (w *World) planNoAdjustments(con *c.Contract) (map[string]string, error) {
	locs := w.coveredBy(con)
	if !con.States(c.MoveAdjustment) || !w.booksAny(locs, c.MoveAdjustment) {
		return nil, fmt.Errorf("%s books no adjustment", con.Source)
	}
	for _, f := range w.faults {
		if f.adjust != nil && contains(locs, f.loc) {
			return nil, fmt.Errorf("%s books %s, where %s", con.Source,
				w.locations[f.loc].id, f.kind)
		}
	}
	for _, other := range w.movementFeeds() {
		if other == con || !other.States(c.MoveAdjustment) {
			continue
		}
		if !w.booksAny(without(w.coveredBy(other), locs), c.MoveAdjustment) {
			return nil, fmt.Errorf("%s without adjustments would silence %s too",
				con.Source, other.Source)
		}
	}
	w.add(&fault{kind: FaultZeroAdjustments, source: con.Source})
	return map[string]string{"source_name": con.Source}, nil
}

// planMeanShift plans the last day's gains by adjustment at one of the
// feed's locations, grown until their mean size is beyond mean +
// 2·sigma·σ of the days before: at the shrinkage near miss, where gains
// leave its losses just below their threshold, else anywhere but at the
// mean's own near miss, else there.
func (w *World) planMeanShift(con *c.Contract) (map[string]string, error) {
	err := fmt.Errorf("%s books no location free for %s", con.Source, FaultMeanShift)
	sigma := streamReach * w.estate.Project.Monitors.Sigma
	for _, li := range w.dayLocations(con, w.plan.lossAt, w.plan.meanAt) {
		st, day := w.adjustStatsAt(li), w.plannedAdjustments(li)
		if err = w.growGains(li, day, st.meanBound(sigma)+2e-4*float64(st.skus)); err != nil {
			err = fmt.Errorf("%s %w", con.Source, err)
			continue
		}
		w.add(&fault{kind: FaultMeanShift, source: con.Source, loc: li, adjust: day})
		return map[string]string{"source_name": con.Source,
			"location_id": w.locations[li].id}, nil
	}
	return nil, err
}

// planShrinkage plans the last day's losses by adjustment at one of the
// feed's locations that books receipts to cover them, raised until they
// are beyond mean + 2·sigma·σ of the days before: at the mean's near miss,
// where gains turned into losses leave its mean size just inside its band,
// else anywhere but at the shrinkage near miss, else there.
func (w *World) planShrinkage(con *c.Contract) (map[string]string, error) {
	err := fmt.Errorf("%s books no location free for %s with receipts to cover its "+
		"losses", con.Source, FaultShrinkageRise)
	sigma := w.estate.Project.Monitors.Sigma
	for _, li := range w.dayLocations(con, w.plan.meanAt, w.plan.lossAt) {
		if !w.books(li, c.MoveReceipt) {
			continue
		}
		st, day := w.adjustStatsAt(li), w.plannedAdjustments(li)
		beyond := st.lossBound(streamReach*sigma) + 2e-4
		if err = w.raiseLosses(li, day, beyond, st.meanBound(sigma)); err != nil {
			err = fmt.Errorf("%s %w", con.Source, err)
			continue
		}
		w.add(&fault{kind: FaultShrinkageRise, source: con.Source, loc: li, adjust: day})
		return map[string]string{"location_id": w.locations[li].id}, nil
	}
	return nil, err
}

// dayLocations are where an adjustment pattern may go among the feed's
// locations, in turn: prefer, the others but avoid, then avoid. It may go
// where the day books adjustments, no other adjustment pattern went, and
// no feed was planned to report none.
func (w *World) dayLocations(con *c.Contract, prefer, avoid int) []int {
	locs := w.coveredBy(con)
	free := func(li int) bool {
		if li < 0 || !contains(locs, li) || !w.books(li, c.MoveAdjustment) {
			return false
		}
		for _, f := range w.faults {
			switch {
			case f.adjust != nil && f.loc == li:
				return false
			case f.kind == FaultZeroAdjustments &&
				contains(w.coveredBy(w.estate.Contract(f.source)), li):
				return false
			}
		}
		return true
	}
	var out []int
	order := append([]int{prefer}, without(locs, []int{prefer, avoid})...)
	for _, li := range append(order, avoid) {
		if free(li) {
			out = append(out, li)
		}
	}
	return out
}

// plannedAdjustments are the last day's adjustments at a location as the
// plan books them, which every history made follows: adjustmentSteps
// steps, a loss for a losing SKU, which the day's shipments leave the
// stock to cover (see effect), a gain for the rest.
func (w *World) plannedAdjustments(li int) dayAdjustments {
	out := dayAdjustments{}
	if !w.books(li, c.MoveAdjustment) {
		return out
	}
	last := len(w.days) - 1
	for si := range w.skus {
		q := float64(w.adjustmentSteps(si, li, last)) * w.skus[si].step
		if loses(si) {
			q = -q
		}
		out[si] = q
	}
	return out
}

// reshapeHistory applies the whole-day patterns planned before a stream to
// the history the world holds.
func (w *World) reshapeHistory() {
	for _, f := range w.faults {
		switch f.kind {
		case FaultVolumeDrop:
			w.dropShipments(w.coveredBy(w.estate.Contract(f.source)))
		case FaultZeroAdjustments:
			w.restate(w.coveredBy(w.estate.Contract(f.source)))
		case FaultMeanShift, FaultShrinkageRise:
			w.rebook(f.loc, f.adjust)
		}
	}
	for _, f := range w.faults {
		if f.kind == FaultShrinkageRise {
			// Planned only where the location books receipts, so there is
			// always one to raise.
			_ = w.coverLosses(f.loc)
		}
	}
	w.byStock = nil
}

// dropShipments loses every shipment of the last day at the locations
// given from the movements the world holds.
func (w *World) dropShipments(locs []int) {
	kept := w.movements[:0]
	for _, m := range w.movements {
		if m.kind != c.MoveShipment || !m.date.Equal(w.lastDay()) || !contains(locs, m.loc) {
			kept = append(kept, m)
		}
	}
	w.movements = kept
	w.byStock = nil
}

// reshaped reports whether a date is the judged day of a world carrying a
// whole-day pattern: a movement fault there would move what the pattern's
// monitor, or the near miss beside it, judges.
func (w *World) reshaped(date time.Time) bool {
	if !date.Equal(w.lastDay()) {
		return false
	}
	for _, f := range w.faults {
		switch f.kind {
		case FaultVolumeDrop, FaultZeroAdjustments, FaultMeanShift, FaultShrinkageRise:
			return true
		}
	}
	return false
}

// booksAny reports whether any of the locations books a kind of movement.
func (w *World) booksAny(locs []int, kind string) bool {
	for _, li := range locs {
		if w.books(li, kind) {
			return true
		}
	}
	return false
}

// without lists the locations of list that are not in drop, in order.
func without(list, drop []int) []int {
	var out []int
	for _, x := range list {
		if !contains(drop, x) {
			out = append(out, x)
		}
	}
	return out
}
