package proof

import (
	"strings"

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
	add := func(f synth.Fault, target, check, model string) {
		for _, source := range culpritSources(w, f, target) {
			b, err := w.Inject(f, source)
			if err == nil {
				out = append(out, Injected{Fault: f, Source: source, Check: check,
					Model: model, Break: b})
				return
			}
		}
	}
	for _, ch := range res.Checks {
		if ch.Name == generator.CheckConservation {
			// Not a proof fault: a split leaves two breaks, one each side
			// of midnight, which is what its hint looks for. It goes first,
			// as the split picks its place without asking what an earlier
			// fault took, and a lost or doubled movement then keeps clear
			// of both its days.
			add(synth.FaultTimezoneSplit, ch.Target, ch.Name, ch.Model)
		}
		for _, f := range faultsOf[ch.Name] {
			add(f, ch.Target, ch.Name, ch.Model)
		}
	}
	for _, m := range res.Monitors {
		if m.Target != "" {
			add(patternOf[m.Name], m.Target, m.Name, m.Model)
		}
	}
	return out
}

// culpritSources are where to try planting a culprit, in turn: the check's
// target, except that a lost movement goes first to a movements feed no
// control total checks, so that it is not also a partial extract and the
// ledger can tell the two apart.
func culpritSources(w *synth.World, f synth.Fault, target string) []string {
	if f == synth.FaultLostMovement {
		if other := w.Uncontrolled(target); other != target {
			return []string{other, target}
		}
	}
	return []string{target}
}

// Hints are the root-cause hints the breaks ledger must give the break each
// check culprit causes: each culprit its own.
var Hints = map[synth.Fault]string{
	synth.FaultLostMovement:      "lost or unbooked movement",
	synth.FaultDoublePost:        "retry double-post",
	synth.FaultCasesAsEaches:     "uom drift",
	synth.FaultStaleAvailability: "stale cache",
	synth.FaultOpenRefund:        "returns limbo",
	synth.FaultMissingRows:       "partial extract",
	synth.FaultTimezoneSplit:     "timezone split",
}

// LedgerKey is the breaks ledger's key of the break a check culprit causes,
// in an estate with one pair of sources per check; "" for a monitor's
// pattern.
func (i Injected) LedgerKey() string {
	k := i.Break.Keys
	var keys []string
	switch i.Fault {
	case synth.FaultLostMovement, synth.FaultDoublePost, synth.FaultTimezoneSplit:
		keys = []string{k["system"], k["sku"], k["location_id"], k["business_date"]}
	case synth.FaultCasesAsEaches:
		keys = []string{k["sku"], k["location_id"], k["business_date"]}
	case synth.FaultStaleAvailability:
		keys = []string{i.Source, k["sku"], k["location_id"], k["shown_at"]}
	case synth.FaultOpenRefund:
		keys = []string{i.Source, k["refund_id"]}
	case synth.FaultMissingRows:
		keys = []string{k["source_name"], k["business_date"]}
	default:
		return ""
	}
	return i.Check + "|" + strings.Join(keys, "|")
}
