package generator

import (
	"slices"
	"sort"
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// checks is which sources take part in which reconciliation, inferred from
// system, feed and quantity_field unless invgen.yml names the pairs; a check
// with named pairs uses exactly those.
type checks struct {
	conservation []*systemFeeds
	parity       []parityPair
	honesty      []honestyPair
	returns      []returnsPair
	control      []controlPair
	costs        *c.Contract
	locations    *c.Contract
}

// systemFeeds is one system's on-hand positions and the movements that
// should explain their changes. system is the name int_daily_positions keys
// them by: the system's own, unless named pairs give the system's on-hand
// feeds to different checks (see separateBooks).
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
	r.separateBooks(ch)
	ch.conservation = sortSystems(ch.conservation)
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
	if pairs := e.Project.Checks.Conservation; len(pairs) > 0 {
		return namedConservation(e, pairs)
	}
	var out []*systemFeeds
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
	return out
}

// namedConservation holds each named on-hand feed to the movements named
// with it. Pairs that name the same positions add up: every movement feed
// named with an on-hand explains part of its changes.
func namedConservation(e *c.Estate, pairs []c.ConservationPair) []*systemFeeds {
	var out []*systemFeeds
	byPositions := map[*c.Contract]*systemFeeds{}
	for _, p := range pairs {
		pos := e.Contract(p.Positions)
		sf := byPositions[pos]
		if sf == nil {
			sf = &systemFeeds{system: pos.System, positions: []*c.Contract{pos}}
			byPositions[pos] = sf
			out = append(out, sf)
		}
		for _, m := range p.Movements {
			sf.movements = appendUnique(sf.movements, e.Contract(m))
		}
	}
	return out
}

// appendUnique appends the contracts not in list yet.
func appendUnique(list []*c.Contract, cons ...*c.Contract) []*c.Contract {
	for _, con := range cons {
		if !slices.Contains(list, con) {
			list = append(list, con)
		}
	}
	return list
}

func sortSystems(list []*systemFeeds) []*systemFeeds {
	sort.Slice(list, func(i, j int) bool { return list[i].system < list[j].system })
	return list
}

// pairParity compares exactly the on-hand feeds invgen.yml pairs, or else
// every on-hand feed of the ERP with every one of the WMS.
func (r *renderer) pairParity() []parityPair {
	e := r.estate
	if pairs := e.Project.Checks.Parity; len(pairs) > 0 {
		var out []parityPair
		seen := map[[2]*c.Contract]bool{}
		for _, p := range pairs {
			erp, wms := e.Contract(p.ERP), e.Contract(p.WMS)
			if seen[[2]*c.Contract{erp, wms}] {
				continue
			}
			seen[[2]*c.Contract{erp, wms}] = true
			out = append(out, parityPair{erp: onePosition(erp), wms: onePosition(wms)})
		}
		return out
	}
	feeds := onHandFeeds(e)
	a, b := feeds[c.SystemERP], feeds[c.SystemWMS]
	if a == nil || b == nil || len(a.positions) == 0 || len(b.positions) == 0 {
		r.note("parity: no on-hand positions from both %s and %s, so no parity check",
			c.SystemERP, c.SystemWMS)
		return nil
	}
	return []parityPair{{
		erp: &systemFeeds{system: c.SystemERP, positions: a.positions},
		wms: &systemFeeds{system: c.SystemWMS, positions: b.positions},
	}}
}

// onePosition is a named pair's side: one on-hand feed, keyed by its system
// until separateBooks says otherwise.
func onePosition(con *c.Contract) *systemFeeds {
	return &systemFeeds{system: con.System, positions: []*c.Contract{con}}
}

func (r *renderer) pairHonesty() []honestyPair {
	e := r.estate
	var out []honestyPair
	if pairs := e.Project.Checks.Honesty; len(pairs) > 0 {
		for _, p := range pairs {
			pair := honestyPair{e.Contract(p.Availability), e.Contract(p.ATP)}
			if !slices.Contains(out, pair) {
				out = append(out, pair)
			}
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
			pair := returnsPair{e.Contract(p.Refunds), e.Contract(p.Dispositions)}
			if !slices.Contains(out, pair) {
				out = append(out, pair)
			}
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
	for _, p := range ch.parity {
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
	for _, m := range r.estate.ByFeed(c.FeedMovements) {
		if m.Delivery.Completeness == nil {
			r.note("control totals: %s names no control totals, so whether it delivered "+
				"every movement is unchecked", m.Source)
		}
	}
	if ch.costs == nil {
		r.note("no costs feed: break values are null, so no break can reach the ticket "+
			"threshold (%s %s) and no ticket can fire", formatNumber(
			r.estate.Project.Alerts.TicketValue), r.estate.Project.Currency)
	}
	if classes := r.estate.ClassTolerances(); ch.locations == nil && len(classes) > 0 {
		r.note("tolerances: no locations feed gives locations a class, so the tolerances "+
			"of %s cannot apply; only default does", strings.Join(classes, ", "))
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
	for _, p := range ch.parity {
		add(p.erp)
		add(p.wms)
	}
	return sortSystems(out)
}
