package proof

import (
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/synth"
)

// Injected is one culprit placed in a world: the fault, the source it went
// into, and the break or alert it must cause in the check or monitor named.
type Injected struct {
	Fault  synth.Fault `json:"fault"`
	Source string      `json:"source"`
	Check  string      `json:"check"`
	Model  string      `json:"model"`
	Break  synth.Break `json:"expected"`

	// Place is the SKU-location whose history the fault went into, when it
	// went into one: what a break there may be the fault's doing.
	Place *Place `json:"place,omitempty"`
}

// GroundTruth is what a simulation planted and the date to judge it on:
// `invgen simulate --culprits` writes it beside the feeds as
// ground_truth.json, for scoring what a run finds.
type GroundTruth struct {
	AsOf     string     `json:"as_of"`
	Injected []Injected `json:"injected"`
}

// Place is a SKU at a location.
type Place struct {
	SKU      string `json:"sku"`
	Location string `json:"location_id"`
}

// InjectCulprits places one of every fault the project's checks and
// monitors exist to catch, each where the proofs place it, and returns the
// ground truth: what was injected and what must find it. Faults an estate
// cannot carry are skipped.
func InjectCulprits(w *synth.World, res *generator.Result) []Injected {
	var out []Injected
	add := func(f synth.Fault, source, check, model string) {
		b, err := w.Inject(f, source)
		if err == nil {
			out = append(out, Injected{Fault: f, Source: source, Check: check, Model: model,
				Break: b})
		}
	}
	for _, ch := range res.Checks {
		for _, f := range faultsOf[ch.Name] {
			add(f, ch.Target, ch.Name, ch.Model)
		}
		if ch.Name == generator.CheckConservation {
			// Not a proof fault: a split leaves two breaks, one each side
			// of midnight, which is what its hint looks for.
			add(synth.FaultTimezoneSplit, ch.Target, ch.Name, ch.Model)
		}
	}
	for _, m := range res.Monitors {
		if m.Target != "" {
			add(patternOf[m.Name], m.Target, m.Name, m.Model)
		}
	}
	return out
}
