package bench

import (
	"time"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/proof"
	"github.com/invgen/invgen/synth"
)

// causes reports whether a planted fault can have caused a row that a check
// or monitor reported: its own break or alert, or a break its misreport
// makes in another check, at its own keys and only on the dates it
// changes. Anything else there is a false alarm, even at a faulty place: a
// trap that misfires next to a fault must not pass for the fault's doing.
func causes(p place, unit string, r proof.Row) bool {
	if unit == p.inj.Check && own(p.inj, r) {
		return true
	}
	fp := footprints[p.inj.Fault]
	if fp == nil {
		return false
	}
	return fp(p, unit, r)
}

// own reports whether a row is the fault's own break or alert: it holds
// every key of the planted break. A class miscounting takes the overall
// record accuracy below target with it.
func own(inj proof.Injected, r proof.Row) bool {
	if inj.Fault == synth.FaultMiscount && r["location_class"] == "all" {
		return true
	}
	return containsKeys(r, inj.Break.Keys)
}

// place is where a fault went, for its footprint to match rows against,
// and the date the run judged.
type place struct {
	e    *contracts.Estate
	inj  proof.Injected
	asOf string
}

// footprint reports whether a fault at a place breaks a row of another
// check or monitor than its own.
type footprint func(p place, unit string, r proof.Row) bool

// footprints are what each fault breaks besides its own check, from how
// the simulator plants it.
var footprints = map[synth.Fault]footprint{
	// A movement lost or booked twice is one day's conservation break, which
	// is its own; its day of the feed is a row short or over against the
	// producer's control total.
	synth.FaultLostMovement: func(p place, unit string, r proof.Row) bool {
		return p.controlDay(unit, r, 0)
	},
	synth.FaultDoublePost: func(p place, unit string, r proof.Row) bool {
		return p.controlDay(unit, r, 0)
	},
	// Movements near midnight move to the neighbouring business date: a
	// conservation break on each side, netting to zero, and both days' row
	// counts off.
	synth.FaultTimezoneSplit: func(p place, unit string, r proof.Row) bool {
		return p.conservation(unit, r, -1, 0, 1) || p.controlDay(unit, r, -1, 0, 1)
	},
	// One day's on-hand stated in cases is that day's parity break, its own,
	// and breaks conservation into that day and out of it into the next.
	synth.FaultCasesAsEaches: func(p place, unit string, r proof.Row) bool {
		return p.conservation(unit, r, 0, 1)
	},
	// Rows dropped from a day's extract break conservation wherever they
	// fell: at any SKU-location of the system on that day.
	synth.FaultMissingRows: func(p place, unit string, r proof.Row) bool {
		return unit == generator.CheckConservation && p.system(r) && p.onDay(r, 0)
	},
	// An on-hand frozen while the SKU ships disagrees with the other
	// system's and with its own movements on every day it stays frozen.
	synth.FaultFlatline: func(p place, unit string, r proof.Row) bool {
		return p.at(r) && (unit == generator.CheckParity ||
			unit == generator.CheckConservation && p.system(r))
	},
	// An on-hand that drifts from the truth a little each day breaks
	// conservation within its tolerance, which is its own alert, and
	// disagrees with the other system's on-hand once the drift adds up past
	// the tolerance: a parity break at its SKU-location within the drift
	// window, the drift_days days ending on the judged date.
	synth.FaultDrift: func(p place, unit string, r proof.Row) bool {
		return unit == generator.CheckParity && p.at(r) && p.inDriftWindow(r)
	},
}

// inDriftWindow reports whether a row's business date is one of the
// drift_days days ending on the judged date, the day before the as-of.
func (p place) inDriftWindow(r proof.Row) bool {
	asOf, err := time.Parse(time.DateOnly, p.asOf)
	if err != nil {
		return false
	}
	for d := 1; d <= p.e.Project.Monitors.DriftDays; d++ {
		if r["business_date"] == asOf.AddDate(0, 0, -d).Format(time.DateOnly) {
			return true
		}
	}
	return false
}

// conservation reports whether a row is a conservation break of the
// fault's system at its SKU-location, offset days from its date.
func (p place) conservation(unit string, r proof.Row, offsets ...int) bool {
	return unit == generator.CheckConservation && p.system(r) && p.at(r) &&
		p.onDay(r, offsets...)
}

// controlDay reports whether a row is the control-total break of the
// fault's source, offset days from its date.
func (p place) controlDay(unit string, r proof.Row, offsets ...int) bool {
	return unit == generator.CheckControlTotals && r["source_name"] == p.inj.Source &&
		p.onDay(r, offsets...)
}

// system reports whether a row is of the system the fault's source
// belongs to.
func (p place) system(r proof.Row) bool {
	con := p.e.Contract(p.inj.Source)
	return con != nil && r["system"] == con.System
}

// at reports whether a row is at the fault's SKU-location.
func (p place) at(r proof.Row) bool {
	sku, loc := p.inj.Break.Keys["sku"], p.inj.Break.Keys["location_id"]
	if p.inj.Place != nil {
		sku, loc = p.inj.Place.SKU, p.inj.Place.Location
	}
	return sku != "" && loc != "" && r["sku"] == sku && r["location_id"] == loc
}

// onDay reports whether a row's business date is the fault's date moved by
// one of offsets days.
func (p place) onDay(r proof.Row, offsets ...int) bool {
	day, err := time.Parse(time.DateOnly, p.inj.Break.Keys["business_date"])
	if err != nil {
		return false
	}
	for _, o := range offsets {
		if r["business_date"] == day.AddDate(0, 0, o).Format(time.DateOnly) {
			return true
		}
	}
	return false
}

// near reports whether a row sits where a planted fault went, whether or
// not the fault can have caused it: the same SKU and location, the same
// refund, or the date and source of dropped rows. A false alarm there
// counts against the fault's cause, whose place it is.
func near(e *contracts.Estate, inj proof.Injected, r proof.Row) bool {
	keys := inj.Break.Keys
	switch {
	case inj.Place != nil && r["sku"] == inj.Place.SKU && r["location_id"] == inj.Place.Location:
		return true
	case keys["sku"] != "" && keys["location_id"] != "" &&
		r["sku"] == keys["sku"] && r["location_id"] == keys["location_id"]:
		return true
	case keys["refund_id"] != "" && r["refund_id"] == keys["refund_id"]:
		return true
	case drops[inj.Fault] && r["business_date"] == keys["business_date"]:
		if source, ok := r["source_name"]; ok {
			return source == inj.Source
		}
		con := e.Contract(inj.Source)
		return con != nil && r["system"] == con.System
	}
	return false
}

// drops are the faults that take rows the producer exported away from
// their date: lost, or moved to the neighbouring day by a timezone split.
var drops = map[synth.Fault]bool{synth.FaultMissingRows: true, synth.FaultLostMovement: true,
	synth.FaultTimezoneSplit: true}
