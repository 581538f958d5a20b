package synth

import (
	"math"
	"sort"
	"time"

	c "github.com/invgen/invgen/contracts"
)

// Near misses are what a clean history holds just inside a monitor's
// threshold, where a monitor off by a day or a band too narrow would
// fire: the count team's day of rest, a drift that stops just short of
// its tolerance, a duplicate held just less than the quarantine SLA. The
// adjustment and volume near misses are planned with the last day (see
// plan.go).

// restDays is how often the count team rests: every seventh day counted
// back from the last, the last among them. A feed that delivers nothing on
// a day it legitimately has nothing must not read as an outage.
const restDays = 7

// countsRest reports whether no cycle count is taken on the d-th day. The
// count team rests only where, over the window the last day is judged
// against, its days of rest are enough for p05 of the feed's rows to be
// zero: with a week's baseline, one day of rest in seven is an outage.
func (w *World) countsRest(d int) bool {
	return w.plan.rests && (len(w.days)-1-d)%restDays == 0
}

// restsEnough reports whether the days of rest in the baseline window make
// p05 of a feed's rows zero.
func (w *World) restsEnough() bool {
	var rows []float64
	for _, d := range w.baselineDays() {
		if (len(w.days)-1-d)%restDays == 0 {
			rows = append(rows, 0)
		} else {
			rows = append(rows, 1)
		}
	}
	sort.Float64s(rows)
	return len(rows) > 0 && percentile(rows, 0.05) == 0
}

// levelTrap is the drift near miss: levels one SKU's reported on-hand
// carries above or below the truth at a location with an absolute
// tolerance, by day. They change little each day, so conservation reads
// each change as a break within tolerance; the changes over the drift
// window add up to just under the tolerance, and with the day before the
// window well past it, as they do over any longer window.
type levelTrap struct {
	sku, loc int
	levels   []float64
}

// planLevelTrap plans the drift near miss at the first location drift is
// proven at: the level sits at -a up to the day before the window's eve,
// -b on the eve, and rises over the window's first days to +a, so that the
// window sums to a + b, just under the tolerance t, and a day more to 2a,
// well past it. Every level and every day's change, beside the noise, stays
// inside t, so that parity, record accuracy and conservation stay silent.
// There is none where the window is a single day, too short to hold both.
func (w *World) planLevelTrap() {
	days, last := w.estate.Project.Monitors.DriftDays, len(w.days)-1
	g := w.levelGrain()
	locs := w.driftLocations()
	if days < 2 || last-days-1 < 0 || g == 0 || len(locs) == 0 || !w.conserved() {
		return
	}
	li := locs[0]
	t := w.estate.ToleranceAt(w.locations[li].class).Qty
	noise, unit := w.locations[li].noise, 1/g
	a := math.Floor(0.7*t*g) / g
	b := math.Floor((t-unit-a)*g) / g
	daily := t - 2*noise - unit
	rise := math.Ceil((a + b) / daily)
	inside := a + b + math.Abs(w.noiseSum(li, last-days, last))
	outside := 2*a - math.Abs(w.noiseSum(li, last-days-1, last))
	if b < 0 || a-b > daily || rise > float64(days) || inside > t-unit ||
		outside <= t+unit || a+noise > t-unit {
		return
	}
	levels := make([]float64, len(w.days))
	for d := range levels {
		switch {
		case d < last-days:
			levels[d] = -a
		case d == last-days:
			levels[d] = -b
		default:
			up := min(float64(d-(last-days)), rise) / rise
			levels[d] = math.Round((-b+up*(a+b))*g) / g
		}
	}
	w.plan.level = &levelTrap{sku: 0, loc: li, levels: levels}
}

// noiseSum is how much the noise at a location changes, over its SKUs,
// from the end of the from-th day to the end of the to-th.
func (w *World) noiseSum(li, from, to int) float64 {
	sum := 0.0
	for si := range w.skus {
		sum += w.noiseAt(si, li, w.days[to]) - w.noiseAt(si, li, w.days[from])
	}
	return sum
}

// conserved reports whether some system books both on-hand that holds
// fractions and movements, whose conservation reads the level trap.
func (w *World) conserved() bool {
	for _, con := range w.estate.ByFeed(c.FeedPositions) {
		for _, m := range w.movementFeeds() {
			if w.carriesLevel(con) && m.System == con.System {
				return true
			}
		}
	}
	return false
}

// levelGrain is the parts of a unit every on-hand feed the level trap goes
// into can state, or 0 where none holds fractions.
func (w *World) levelGrain() float64 {
	g := 0.0
	for _, con := range w.estate.ByFeed(c.FeedPositions) {
		if w.carriesLevel(con) && (g == 0 || grain(con) < g) {
			g = grain(con)
		}
	}
	return g
}

// carriesLevel reports whether a positions feed reports the level trap:
// every on-hand that holds fractions does, so that the systems agree on it
// and parity sees no gap. Conservation reads it in the on-hand of a system
// that books movements.
func (w *World) carriesLevel(con *c.Contract) bool {
	return con.QuantityField() == c.QuantityOnHand && con.HoldsFractions()
}

// levelAt is the level trap's level in a feed's on-hand of a SKU-location
// on a day. There is none where a fault silences noise at the location
// (a drift, a frozen on-hand, a fault a check must find to the unit): the
// noise then no longer nets out there, and a fault's break must be its
// own. Nor is there while streaming, since faults planted in the histories
// of a location's other SKUs are not known when its history is made.
func (w *World) levelAt(con *c.Contract, si, li int, day time.Time) float64 {
	lt := w.plan.level
	if lt == nil || lt.sku != si || lt.loc != li || !w.carriesLevel(con) || w.streaming {
		return 0
	}
	for _, f := range w.faults {
		if f.hush != nil && f.hush.loc == li {
			return 0
		}
	}
	d := int(math.Round(day.Sub(w.days[0]).Hours() / 24))
	if d < 0 || d >= len(lt.levels) {
		return 0
	}
	return lt.levels[d]
}

// heldFeed is the movements feed held duplicates are aged in: the first
// with an idempotency key and a loaded_at, as mon_quarantine_sla is
// proven on.
func (w *World) heldFeed() *c.Contract {
	for _, con := range w.movementFeeds() {
		if con.Has(c.RoleLoadedAt) && len(con.Semantics.IdempotencyKey) > 0 {
			return con
		}
	}
	return nil
}

// slaCutoff is the instant before which a held row has been held longer
// than the quarantine SLA on the as-of date.
func (w *World) slaCutoff() time.Time {
	return w.lastDay().AddDate(0, 0, 1-w.estate.Project.Quarantine.SLADays)
}

// heldMargin is how far from the SLA cutoff a held duplicate lands: the
// near miss that much after it, the aged pattern that much before.
const heldMargin = 3 * time.Hour

// youngConflict is the index of the movement the clean history delivers
// again under its key with another quantity, landing just after the SLA
// cutoff: held not quite as long as the SLA. It is the first movement of
// the held feed's first SKU-location on the second day; -1 where there is
// none, or no feed to hold it.
func (w *World) youngConflict(con *c.Contract) int {
	if con != w.heldFeed() || len(w.days) < 3 || !w.slaCutoff().After(w.days[1]) {
		return -1
	}
	covered := w.coveredBy(con)
	if len(covered) == 0 {
		return -1
	}
	for i, m := range w.movements {
		if m.sku == 0 && m.loc == covered[0] && m.date.Equal(w.days[1]) && !m.replay {
			return i
		}
	}
	return -1
}
