package generator

import (
	"sort"
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// checks is which sources take part in which reconciliation, inferred from
// system, feed and quantity_field unless invgen.yml names the pairs.
type checks struct {
	conservation []*systemFeeds
	parity       *parityPair
	honesty      []honestyPair
	returns      []returnsPair
	control      []controlPair
	costs        *c.Contract
	locations    *c.Contract
}

// systemFeeds is one system's on-hand positions and the movements that
// should explain their changes.
type systemFeeds struct {
	system    string
	positions []*c.Contract
	movements []*c.Contract
}

type parityPair struct {
	erp, wms *systemFeeds
}

type honestyPair struct {
	availability, atp *c.Contract
}

type returnsPair struct {
	refunds, dispositions *c.Contract
}

type controlPair struct {
	checked, control *c.Contract
	ratio            float64
}

func (r *renderer) pairChecks() *checks {
	e := r.estate
	ch := &checks{}
	if costs := e.ByFeed(c.FeedCosts); len(costs) > 0 {
		ch.costs = costs[0]
	}
	if locs := e.ByFeed(c.FeedLocations); len(locs) > 0 {
		ch.locations = locs[0]
	}
	ch.conservation = r.pairConservation()
	ch.parity = r.pairParity()
	ch.honesty = r.pairHonesty()
	ch.returns = r.pairReturns()
	ch.control = pairControl(e)
	r.notePairs(ch)
	return ch
}

// onHandFeeds groups a system's on-hand positions and movements.
func onHandFeeds(e *c.Estate) map[string]*systemFeeds {
	out := map[string]*systemFeeds{}
	get := func(system string) *systemFeeds {
		if out[system] == nil {
			out[system] = &systemFeeds{system: system}
		}
		return out[system]
	}
	for _, con := range e.Contracts {
		if con.QuantityField() != c.QuantityOnHand {
			continue
		}
		switch con.Feed {
		case c.FeedPositions:
			get(con.System).positions = append(get(con.System).positions, con)
		case c.FeedMovements:
			get(con.System).movements = append(get(con.System).movements, con)
		}
	}
	return out
}

func (r *renderer) pairConservation() []*systemFeeds {
	e := r.estate
	var out []*systemFeeds
	if pairs := e.Project.Checks.Conservation; len(pairs) > 0 {
		bySystem := map[string]*systemFeeds{}
		for _, p := range pairs {
			pos := e.Contract(p.Positions)
			sf := bySystem[pos.System]
			if sf == nil {
				sf = &systemFeeds{system: pos.System}
				bySystem[pos.System] = sf
				out = append(out, sf)
			}
			sf.positions = appendUnique(sf.positions, pos)
			for _, m := range p.Movements {
				sf.movements = appendUnique(sf.movements, e.Contract(m))
			}
		}
		return sortSystems(out)
	}
	for _, sf := range onHandFeeds(e) {
		switch {
		case len(sf.positions) > 0 && len(sf.movements) > 0:
			out = append(out, sf)
		case len(sf.positions) > 0:
			r.note("conservation: %s reports on-hand but no movements, so its on-hand "+
				"is not reconciled with movements", sf.system)
		default:
			r.note("conservation: %s books movements but reports no on-hand positions to "+
				"reconcile them with", sf.system)
		}
	}
	return sortSystems(out)
}

func appendUnique(list []*c.Contract, con *c.Contract) []*c.Contract {
	for _, x := range list {
		if x == con {
			return list
		}
	}
	return append(list, con)
}

func sortSystems(list []*systemFeeds) []*systemFeeds {
	sort.Slice(list, func(i, j int) bool { return list[i].system < list[j].system })
	return list
}

// pairParity compares the ERP's on-hand with the WMS's, or the systems of
// the sources invgen.yml names.
func (r *renderer) pairParity() *parityPair {
	e := r.estate
	erp, wms := c.SystemERP, c.SystemWMS
	if pairs := e.Project.Checks.Parity; len(pairs) > 0 {
		erp, wms = e.Contract(pairs[0].ERP).System, e.Contract(pairs[0].WMS).System
	}
	feeds := onHandFeeds(e)
	a, b := feeds[erp], feeds[wms]
	if a == nil || b == nil || len(a.positions) == 0 || len(b.positions) == 0 {
		r.note("parity: no on-hand positions from both %s and %s, so no parity check", erp,
			wms)
		return nil
	}
	return &parityPair{
		erp: &systemFeeds{system: erp, positions: a.positions},
		wms: &systemFeeds{system: wms, positions: b.positions},
	}
}

func (r *renderer) pairHonesty() []honestyPair {
	e := r.estate
	var out []honestyPair
	if pairs := e.Project.Checks.Honesty; len(pairs) > 0 {
		for _, p := range pairs {
			out = append(out, honestyPair{e.Contract(p.Availability), e.Contract(p.ATP)})
		}
		return out
	}
	var atps []*c.Contract
	for _, con := range e.ByFeed(c.FeedPositions) {
		if con.QuantityField() == c.QuantityATP {
			atps = append(atps, con)
		}
	}
	for _, av := range e.ByFeed(c.FeedAvailability) {
		if !av.Has(c.RoleLocationID) {
			r.note("honesty: %s shows availability by channel only; honesty compares "+
				"by location, so it is not checked", av.Source)
			continue
		}
		for _, atp := range atps {
			out = append(out, honestyPair{av, atp})
		}
		if len(atps) == 0 {
			r.note("honesty: no available-to-promise positions to hold %s to", av.Source)
		}
	}
	return out
}

func (r *renderer) pairReturns() []returnsPair {
	e := r.estate
	var out []returnsPair
	if pairs := e.Project.Checks.Returns; len(pairs) > 0 {
		for _, p := range pairs {
			out = append(out, returnsPair{e.Contract(p.Refunds), e.Contract(p.Dispositions)})
		}
		return out
	}
	for _, rf := range e.ByFeed(c.FeedRefunds) {
		for _, d := range e.ByFeed(c.FeedDispositions) {
			out = append(out, returnsPair{rf, d})
		}
	}
	if len(out) == 0 && len(e.ByFeed(c.FeedRefunds)) > 0 {
		r.note("returns: refunds but no dispositions feed, so returns closure is not checked")
	}
	return out
}

func pairControl(e *c.Estate) []controlPair {
	var out []controlPair
	for _, con := range e.Contracts {
		comp := con.Delivery.Completeness
		if comp == nil {
			continue
		}
		out = append(out, controlPair{con, e.Contract(comp.ControlTotals), comp.Ratio()})
	}
	return out
}

// notePairs tells the user what was paired, so an unexpected inference is
// visible at build time rather than in a missing alert.
func (r *renderer) notePairs(ch *checks) {
	for _, sf := range ch.conservation {
		r.note("conservation: %s on-hand (%s) against movements (%s)", sf.system,
			sources(sf.positions), sources(sf.movements))
	}
	if p := ch.parity; p != nil {
		r.note("parity: %s on-hand (%s) against %s on-hand (%s)", p.erp.system,
			sources(p.erp.positions), p.wms.system, sources(p.wms.positions))
	}
	for _, p := range ch.honesty {
		r.note("honesty: %s against available-to-promise %s", p.availability.Source,
			p.atp.Source)
	}
	for _, p := range ch.returns {
		r.note("returns: %s closed by %s", p.refunds.Source, p.dispositions.Source)
	}
	for _, p := range ch.control {
		r.note("control totals: %s against %s (min ratio %s)", p.checked.Source,
			p.control.Source, formatNumber(p.ratio))
	}
	if ch.costs == nil {
		r.note("no costs feed: break values are null")
	}
}

func sources(cs []*c.Contract) string {
	names := make([]string, len(cs))
	for i, con := range cs {
		names[i] = con.Source
	}
	return strings.Join(names, ", ")
}

// systems are the systems whose daily positions the intermediate model
// builds.
func (ch *checks) systems() []*systemFeeds {
	seen := map[string]*systemFeeds{}
	var out []*systemFeeds
	add := func(sf *systemFeeds) {
		got := seen[sf.system]
		if got == nil {
			got = &systemFeeds{system: sf.system}
			seen[sf.system] = got
			out = append(out, got)
		}
		for _, p := range sf.positions {
			got.positions = appendUnique(got.positions, p)
		}
		for _, m := range sf.movements {
			got.movements = appendUnique(got.movements, m)
		}
	}
	for _, sf := range ch.conservation {
		add(sf)
	}
	if ch.parity != nil {
		add(ch.parity.erp)
		add(ch.parity.wms)
	}
	return sortSystems(out)
}
