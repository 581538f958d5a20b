package proof

import (
	"slices"

	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/synth"
)

// stockFaults are the faults a planter spreads across SKU-location
// histories, in turn.
var stockFaults = []stockFault{
	{generator.CheckConservation, synth.FaultLostMovement},
	{generator.CheckConservation, synth.FaultDoublePost},
	{generator.CheckParity, synth.FaultCasesAsEaches},
	{generator.CheckHonesty, synth.FaultStaleAvailability},
	{generator.CheckConservation, synth.FaultTimezoneSplit},
}

type stockFault struct {
	check string
	fault synth.Fault
}

// Planter plants culprits in a streaming simulation at known places and
// keeps the ground truth: a fault in every Every-th SKU-location history,
// the kinds taken in turn; one of each monitor pattern a history can carry;
// and, once before the stream, refunds left open, a partial extract, a
// miscounting class and one of each whole-day pattern, each in the
// monitor's target or, where that cannot carry it, the first movements
// feed that can.
type Planter struct {
	Every    int
	Injected []Injected

	checks   map[string]generator.Check
	patterns []generator.Monitor // monitor patterns not yet planted
	global   []generator.Monitor // monitor patterns that span histories
	seen     int
	planted  map[synth.Fault]int // stock faults planted so far, by kind
	history  *Place              // the history being planted in
}

// streamPatterns are the monitor patterns one history can carry, so a
// planter can place them while streaming; globalPatterns are planted once
// before the stream: a miscount applies to every history as it streams by,
// and the whole-day patterns reshape the judged day of a feed or location
// in each history they reach (see synth's day_patterns.go).
var (
	streamPatterns = map[synth.Fault]bool{
		synth.FaultFlatline: true, synth.FaultStaleATP: true, synth.FaultAgedQuarantine: true,
		synth.FaultDrift: true,
	}
	globalPatterns = map[synth.Fault]bool{synth.FaultMiscount: true,
		synth.FaultVolumeDrop: true, synth.FaultMeanShift: true,
		synth.FaultZeroAdjustments: true, synth.FaultShrinkageRise: true}
)

// NewPlanter plants the culprits the project's checks exist to catch.
func NewPlanter(res *generator.Result, every int) *Planter {
	p := &Planter{Every: max(1, every), checks: map[string]generator.Check{},
		planted: map[synth.Fault]int{}}
	for _, ch := range res.Checks {
		p.checks[ch.Name] = ch
	}
	for _, m := range res.Monitors {
		switch f := patternOf[m.Name]; {
		case m.Target == "":
		case streamPatterns[f]:
			p.patterns = append(p.patterns, m)
		case globalPatterns[f]:
			p.global = append(p.global, m)
		}
	}
	// A feed that reports no adjustments leaves nothing to shift at its
	// locations, so it goes where the other adjustment patterns did not.
	slices.SortStableFunc(p.global, func(a, b generator.Monitor) int {
		return zeroLast(a) - zeroLast(b)
	})
	return p
}

func zeroLast(m generator.Monitor) int {
	if patternOf[m.Name] == synth.FaultZeroAdjustments {
		return 1
	}
	return 0
}

// Global plants the faults that are not in any one history.
func (p *Planter) Global(w *synth.World) {
	if ch, ok := p.checks[generator.CheckReturns]; ok {
		for i := 0; i < 3; i++ {
			p.plant(w, ch, synth.FaultOpenRefund)
		}
	}
	if ch, ok := p.checks[generator.CheckControlTotals]; ok {
		p.plant(w, ch, synth.FaultMissingRows)
	}
	for _, m := range p.global {
		sources := []string{m.Target}
		if f := patternOf[m.Name]; f != synth.FaultMiscount {
			sources = append(sources, w.MovementSources()...)
		}
		for _, source := range sources {
			if p.placeIn(w, patternOf[m.Name], source, m.Name, m.Model) {
				break
			}
		}
	}
}

// Stock plants a fault in every Every-th history: of the kinds that fit the
// history, the one planted least so far, so that a kind few histories can
// carry (a valued fault needs a repriced SKU, and a lost movement one
// beyond the tolerance too) is planted as soon as one comes by.
func (p *Planter) Stock(w *synth.World, si, li int) {
	if p.seen == 0 {
		p.Every = coprime(p.Every, w.Params().Locations)
	}
	p.seen++
	sku, loc := w.Place(si, li)
	p.history = &Place{SKU: sku, Location: loc}
	if len(p.patterns) > 0 && p.seen%p.Every == p.Every/2 {
		p.plantPattern(w)
		return
	}
	if p.seen%p.Every != 0 {
		return
	}
	kinds := slices.Clone(stockFaults)
	slices.SortStableFunc(kinds, func(a, b stockFault) int {
		return p.planted[a.fault] - p.planted[b.fault]
	})
	for _, sf := range kinds {
		if ch, ok := p.checks[sf.check]; ok && p.plant(w, ch, sf.fault) {
			p.planted[sf.fault]++
			return
		}
	}
}

func (p *Planter) plant(w *synth.World, ch generator.Check, f synth.Fault) bool {
	return p.place(w, f, ch.Target, ch.Name, ch.Model)
}

// place plants a fault in the history at hand, in the first of the
// culprit's sources alone: a history that cannot carry it there leaves it
// to a later one that can.
func (p *Planter) place(w *synth.World, f synth.Fault, target, name, model string) bool {
	return p.placeIn(w, f, culpritSources(w, f, target)[0], name, model)
}

// placeIn plants a fault in the source given, if it can carry it there.
func (p *Planter) placeIn(w *synth.World, f synth.Fault, source, name, model string) bool {
	b, err := w.Inject(f, source)
	if err != nil {
		return false
	}
	p.Injected = append(p.Injected, Injected{Fault: f, Source: source, Check: name,
		Model: model, Break: b, Place: p.history})
	return true
}

// coprime is the smallest stride from every up that shares no factor with
// the number of locations. Histories go SKU by SKU, every location of each,
// so a stride that is a multiple of the locations would plant every fault at
// the same location.
func coprime(every, locations int) int {
	for gcd(every, locations) != 1 {
		every++
	}
	return every
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// plantPattern plants the next monitor pattern still waiting for a history
// that can carry it.
func (p *Planter) plantPattern(w *synth.World) {
	for i, m := range p.patterns {
		if p.place(w, patternOf[m.Name], m.Target, m.Name, m.Model) {
			p.patterns = append(p.patterns[:i:i], p.patterns[i+1:]...)
			return
		}
	}
}
