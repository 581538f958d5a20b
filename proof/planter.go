package proof

import (
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/synth"
)

// stockFaults are the faults a planter spreads across SKU-location
// histories, in turn.
var stockFaults = []struct {
	check string
	fault synth.Fault
}{
	{generator.CheckConservation, synth.FaultLostMovement},
	{generator.CheckConservation, synth.FaultDoublePost},
	{generator.CheckParity, synth.FaultCasesAsEaches},
	{generator.CheckHonesty, synth.FaultStaleAvailability},
	{generator.CheckConservation, synth.FaultTimezoneSplit},
}

// Planter plants culprits in a streaming simulation at known places and
// keeps the ground truth: a fault in every Every-th SKU-location history,
// the kinds taken in turn; one of each monitor pattern a history can carry;
// and refunds left open and a partial extract once.
type Planter struct {
	Every    int
	Injected []Injected

	checks   map[string]generator.Check
	patterns []generator.Monitor // monitor patterns not yet planted
	seen     int
	next     int
}

// streamPatterns are the monitor patterns one history can carry, so a
// planter can place them while streaming; the others reshape a whole day
// of a feed.
var streamPatterns = map[synth.Fault]bool{
	synth.FaultFlatline: true, synth.FaultStaleATP: true, synth.FaultAgedQuarantine: true,
	synth.FaultDrift: true, synth.FaultMiscount: true,
}

// NewPlanter plants the culprits the project's checks exist to catch.
func NewPlanter(res *generator.Result, every int) *Planter {
	p := &Planter{Every: max(1, every), checks: map[string]generator.Check{}}
	for _, ch := range res.Checks {
		p.checks[ch.Name] = ch
	}
	for _, m := range res.Monitors {
		if m.Target != "" && streamPatterns[patternOf[m.Name]] {
			p.patterns = append(p.patterns, m)
		}
	}
	return p
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
}

// Stock plants the next kind of fault in every Every-th history, trying the
// kinds in turn until one fits the history.
func (p *Planter) Stock(w *synth.World, _, _ int) {
	p.seen++
	if len(p.patterns) > 0 && p.seen%p.Every == p.Every/2 {
		p.plantPattern(w)
		return
	}
	if p.seen%p.Every != 0 {
		return
	}
	for try := 0; try < len(stockFaults); try++ {
		sf := stockFaults[p.next%len(stockFaults)]
		p.next++
		if ch, ok := p.checks[sf.check]; ok && p.plant(w, ch, sf.fault) {
			return
		}
	}
}

func (p *Planter) plant(w *synth.World, ch generator.Check, f synth.Fault) bool {
	return p.place(w, f, ch.Target, ch.Name, ch.Model)
}

func (p *Planter) place(w *synth.World, f synth.Fault, target, name, model string) bool {
	b, err := w.Inject(f, target)
	if err != nil {
		return false
	}
	p.Injected = append(p.Injected, Injected{Fault: f, Source: target, Check: name,
		Model: model, Break: b})
	return true
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
