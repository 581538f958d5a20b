package contractdiff

import (
	"slices"
	"strconv"

	"github.com/invgen/invgen/contracts"
)

// freshness compares the SLA: a longer one, or none, lets data go stale
// unnoticed for longer than consumers were promised.
func (p *pair) freshness() {
	const path = "delivery.freshness_sla"
	bs, hs := p.b.Delivery.FreshnessSLA, p.h.Delivery.FreshnessSLA
	bm, hm := slaMinutes(bs), slaMinutes(hs)
	switch {
	case bs == hs || bm == hm && bm > 0:
		return
	case hs == "":
		p.add(true, "freshness-removed", path, path, "%s %s removed: no freshness promised",
			path, bs)
	case bs == "":
		p.add(false, "freshness-added", path, "", "%s %s added", path, hs)
	case hm > bm || hm == 0:
		p.add(true, "freshness-loosened", path, path, "%s loosened from %s to %s", path, bs, hs)
	default:
		p.add(false, "freshness-tightened", path, path, "%s tightened from %s to %s", path,
			bs, hs)
	}
}

// slaMinutes is 0 for an SLA that does not parse (only possible on a
// lenient base).
func slaMinutes(s string) int {
	sla, err := contracts.ParseSLA(s)
	if err != nil {
		return 0
	}
	return sla.Minutes
}

// completeness compares the control-total promise: fewer rows accepted, or
// no comparison at all, lets lost rows through.
func (p *pair) completeness() {
	const path = "delivery.completeness"
	bc, hc := p.b.Delivery.Completeness, p.h.Delivery.Completeness
	switch {
	case bc == nil && hc == nil:
		return
	case hc == nil:
		p.add(true, "completeness-removed", path, path, "%s against %s removed", path,
			bc.ControlTotals)
		return
	case bc == nil:
		p.add(false, "completeness-added", path, "", "%s against %s added", path,
			hc.ControlTotals)
		return
	}
	if bc.ControlTotals != hc.ControlTotals {
		p.add(true, "completeness-source-changed", path+".control_totals",
			path+".control_totals", "%s.control_totals changed from %s to %s", path,
			bc.ControlTotals, hc.ControlTotals)
	}
	br, hr := bc.Ratio(), hc.Ratio()
	switch {
	case hr < br:
		p.add(true, "completeness-loosened", path+".min_ratio", path+".min_ratio",
			"%s.min_ratio loosened from %s to %s", path, ratio(br), ratio(hr))
	case hr > br:
		p.add(false, "completeness-tightened", path+".min_ratio", path+".min_ratio",
			"%s.min_ratio tightened from %s to %s", path, ratio(br), ratio(hr))
	}
}

func ratio(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// info reports changes that alter no data but that reviewers should see.
func (p *pair) info() {
	b, h := p.b, p.h
	if b.Owner != h.Owner {
		p.add(false, "owner-changed", "owner", "owner", "owner changed from %s to %s",
			b.Owner, h.Owner)
	}
	if b.Description != h.Description {
		p.add(false, "description-changed", "description", "description",
			"description changed")
	}
	if !slices.Equal(b.OnViolation.Notify, h.OnViolation.Notify) {
		p.add(false, "notify-changed", "on_violation.notify", "on_violation.notify",
			"on_violation.notify changed")
	}
	if b.Quarantines() != h.Quarantines() {
		p.add(false, "quarantine-changed", "on_violation.quarantine",
			"on_violation.quarantine", "on_violation.quarantine changed from %t to %t",
			b.Quarantines(), h.Quarantines())
	}
}
