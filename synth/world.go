package synth

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	c "github.com/invgen/invgen/contracts"
)

// Params size the synthesised estate.
type Params struct {
	SKUs      int
	Locations int
	Days      int
	Seed      uint64

	// SnapshotsPerDay is how often ATP is computed and availability shown
	// per SKU-location and day, up to 3 (the default when 0): large
	// simulations take fewer to keep those feeds in proportion.
	SnapshotsPerDay int

	// Start is the first business date; zero means 2026-01-05, a fixed date so
	// that output does not depend on when it is made.
	Start time.Time
}

// DefaultParams are small enough to validate a project in well under a
// second and long enough that refunds can outlive a 14-day grace period.
func DefaultParams() Params {
	return Params{SKUs: 6, Locations: 4, Days: 24, Seed: 1}
}

// ProofParams are the smallest estate every proof still holds on: SKUs
// that gain and lose, a pack size per case size, and a location for every
// movement feed. Proofs build it a dozen times, so size is time.
func ProofParams() Params {
	return Params{SKUs: 4, Locations: 4, Days: 24, Seed: 1}
}

// World is the physical truth of an estate: what stock there was, where, and
// everything that happened to it.
type World struct {
	estate    *c.Estate
	params    Params
	rng       *rand.Rand
	days      []time.Time
	skus      []sku
	locations []location
	movements []movement
	initial   map[stockKey]float64
	refunds   []refund
	snapshots []snapshot
	faults    []*fault
	byStock   map[stockKey][]movement // index of movements; nil when stale
	eod       map[stockKey][]float64  // closing stock per day, from byStock
	kinds     [][]string              // the movement kinds booked at each location
	plan      lastDayPlan             // what the last day books

	// streaming, chunk: while a simulation streams, the world holds one
	// SKU-location's history at a time, this one. stream marks a streamed
	// world from the start, before its first history is made.
	streaming bool
	chunk     stockKey
	stream    bool
}

// stocks lists the SKU-locations whose rows are being rendered: all of them,
// or while streaming the one whose history the world holds.
func (w *World) stocks() []stockKey {
	if w.streaming {
		return []stockKey{w.chunk}
	}
	out := make([]stockKey, 0, len(w.skus)*len(w.locations))
	for si := range w.skus {
		for li := range w.locations {
			out = append(out, stockKey{si, li})
		}
	}
	return out
}

// inChunk reports whether a fault applies to the history the world holds.
func (w *World) inChunk(f *fault) bool {
	return f.stock == nil || !w.streaming || *f.stock == w.chunk
}

type sku struct {
	id    string
	cost  float64
	costs []datedCost
	packs map[string]float64 // uom → eaches
	step  float64            // every stock quantity of the SKU is a multiple
}

type datedCost struct {
	from time.Time
	cost float64
}

type location struct {
	id    string
	class string
	tz    *time.Location
	tzID  string
	noise float64 // how far sub-unit noise moves its on-hand, either way
}

type stockKey struct {
	sku, loc int
}

// movement is one physical stock movement. at is the instant it happened.
type movement struct {
	sku, loc int
	kind     string // a canonical movement type
	qty      float64
	at       time.Time
	date     time.Time // business date at the location
	replay   bool      // also delivered a second time under the same key
	was      string    // the kind a pattern restated it from, if any
}

type refund struct {
	id        string
	sku, loc  int
	qty       float64
	at        time.Time
	decisions []decision
}

type decision struct {
	outcome string
	qty     float64
	at      time.Time
}

// snapshot is an intraday available-to-promise value and what the
// storefront then showed.
type snapshot struct {
	sku, loc int
	at       time.Time
	atp      float64
	date     time.Time // the day it belongs to, on the clock of atpClock
	first    bool      // the first snapshot of that day
	dayLow   float64   // the day's lowest ATP: what a daily ATP feed reports
	shownAt  time.Time
	shown    float64
}

// NewWorld builds the truth for an estate. The estate must have passed
// contracts.Load.
func NewWorld(e *c.Estate, p Params) *World {
	w := newBase(e, p)
	w.makeMovements()
	w.makeRefunds()
	w.makeSnapshots()
	return w
}

// newBase makes what every world has before any stock moves: its days,
// SKUs and locations.
func newBase(e *c.Estate, p Params) *World {
	if p.Start.IsZero() {
		p.Start = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	}
	w := &World{
		estate:  e,
		params:  p,
		rng:     rand.New(rand.NewPCG(p.Seed, p.Seed^0x9e3779b97f4a7c15)),
		initial: map[stockKey]float64{},
	}
	for i := 0; i < p.Days; i++ {
		w.days = append(w.days, p.Start.AddDate(0, 0, i))
	}
	w.makeSKUs()
	w.makeLocations()
	w.planLastDay()
	return w
}

// End is the instant the synthesised window closes: midnight UTC after the
// last business date plus a day, so every location's last day is over.
func (w *World) End() time.Time {
	return w.days[len(w.days)-1].AddDate(0, 0, 2)
}

// Params are the sizes the world was made with.
func (w *World) Params() Params { return w.params }

// Place names a SKU-location history by its SKU and location ids.
func (w *World) Place(si, li int) (sku, location string) {
	return w.skus[si].id, w.locations[li].id
}

// AsOf is the date checks are judged on: the day after the last business
// date, as in a daily run the morning after.
func (w *World) AsOf() string {
	return w.days[len(w.days)-1].AddDate(0, 0, 1).Format(dateLayout)
}

func (w *World) makeSKUs() {
	for i := 0; i < w.params.SKUs; i++ {
		s := sku{
			id:    fmt.Sprintf("SKU-%04d", i+1),
			cost:  float64(w.rng.IntN(11000)+500) / 100,
			packs: map[string]float64{"eaches": 1, "inners": 4, "pallets": 480},
		}
		s.packs["cases"] = []float64{6, 12, 24}[i%3]
		s.step = w.stepFor(s)
		s.costs = []datedCost{{w.days[0].AddDate(0, 0, -30), s.cost}}
		if i%2 == 1 {
			s.costs = append(s.costs, w.reprices(s.cost)...)
		}
		w.skus = append(w.skus, s)
	}
}

// reprices are the later costs of a SKU whose cost changes: a rise on the
// third business date and another on the as-of date. Every date between
// then takes a cost that is neither the first nor the latest, so a break
// valued there proves that its value takes the cost of its own date: a
// model that takes the first cost, or the latest, values it wrong.
//
// Only every other SKU is repriced, and those SKUs' adjustments are gains,
// so that shrinkage at cost stays as steady as shrinkage in units.
func (w *World) reprices(cost float64) []datedCost {
	third := w.days[min(2, len(w.days)-1)]
	asOf := w.days[len(w.days)-1].AddDate(0, 0, 1)
	return []datedCost{{third, round2(cost * 1.1)}, {asOf, round2(cost * 1.2)}}
}

// stepFor makes every quantity of a SKU a whole number of each unit some
// feed states quantities in, so that every feed can express it exactly.
//
// Where a uom column can state cases, quantities are whole cases too, so that
// some rows do arrive in cases and exercise the per-SKU conversion.
func (w *World) stepFor(s sku) float64 {
	step := 1.0
	for _, con := range w.estate.Contracts {
		if u := con.UOM(); u != "" && s.packs[u] > step {
			step = s.packs[u]
		}
		if col, ok := con.Column(c.RoleUOM); ok && con.Has(c.RoleQuantity) {
			for _, v := range col.Values {
				if v == "cases" && s.packs[v] > step {
					step = s.packs[v]
				}
			}
		}
	}
	return step
}

// makeLocations gives every location a class and a timezone: the timezone
// of the movement feed that books its stock, so its business day is the
// producer's.
func (w *World) makeLocations() {
	classes := w.locationClasses()
	n := max(w.params.Locations, len(classes))
	for i := 0; i < n; i++ {
		class := classes[i%len(classes)]
		w.locations = append(w.locations, location{
			id:    fmt.Sprintf("%s-%02d", prefix(class), i+1),
			class: class,
			tz:    time.UTC,
			tzID:  "UTC",
		})
	}
	for _, feed := range w.movementFeeds() {
		for _, li := range w.coveredBy(feed) {
			loc := &w.locations[li]
			if loc.tzID == "UTC" && feed.Semantics.Timezone != "" {
				loc.tzID = feed.Semantics.Timezone
				loc.tz, _ = time.LoadLocation(loc.tzID)
			}
		}
	}
	w.plantNoise()
}

// unlisted is the class of a location the locations feed does not list,
// as a new store the master does not know yet: it takes the default
// tolerance.
const unlisted = ""

// locationClasses are the classes of the synthesised locations: those
// namedClasses gives, and, where the default tolerance is above zero but
// every class the locations feed can name has its own, an unlisted one, so
// that some location takes the default as a real estate's do.
func (w *World) locationClasses() []string {
	classes := w.namedClasses()
	e := w.estate
	if e.ClassifiesLocations() && !e.DefaultToleranceTaken() &&
		e.Project.Tolerances[c.DefaultTolerance].Qty > 0 {
		classes = append(classes, unlisted)
	}
	return classes
}

// namedClasses are the classes the locations feed can state, else those
// the project sets tolerances for, else store and dc.
func (w *World) namedClasses() []string {
	set := map[string]bool{}
	for _, con := range w.estate.ByFeed(c.FeedLocations) {
		col, _ := con.Column(c.RoleLocationClass)
		for _, v := range col.Values {
			set[v] = true
		}
	}
	if len(set) == 0 {
		for class := range w.estate.Project.Tolerances {
			if class != c.DefaultTolerance {
				set[class] = true
			}
		}
	}
	if len(set) == 0 {
		set["dc"], set["store"] = true, true
	}
	return sortedKeys(set)
}

func prefix(class string) string {
	if class == unlisted {
		return "NEW"
	}
	p := []rune(class)
	if len(p) > 3 {
		p = p[:3]
	}
	out := make([]rune, len(p))
	for i, r := range p {
		if r >= 'a' && r <= 'z' {
			r -= 32
		}
		out[i] = r
	}
	return string(out)
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }
