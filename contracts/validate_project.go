package contracts

import (
	"fmt"
	"path"
	"strings"
)

// validateProject checks invgen.yml against the contracts it configures.
func validateProject(e *Estate, rep *reporter) {
	p := &e.Project
	checkProjectNames(p, rep)
	checkOutputFolder(p, rep)
	if msg := TextProblem(p.Currency); msg != "" {
		rep.add(p.Pos("currency"), "currency: %s", msg) // a var of dbt_project.yml
	}
	for class := range p.Tolerances {
		if !nameRe.MatchString(class) {
			rep.add(p.Pos("tolerances."+class), "tolerances: %q is not a safe location "+
				"class name", class)
		}
	}
	checkTargets(p, rep)
	checkHistory(p, rep)
	checkPairs(e, rep)
}

// checkHistory refuses a minimum history longer than the baseline window it
// is counted in: every baseline monitor would then report insufficient
// history forever. It points at the key the file sets. A value already
// out of its own range is reported once, as that.
func checkHistory(p *Project, rep *reporter) {
	m := p.Monitors
	if m.MinHistoryDays <= m.BaselineDays || m.BaselineDays < minBaselineDays {
		return
	}
	const minKey, baseKey = "monitors.min_history_days", "monitors.baseline_days"
	_, minSet := p.pos[minKey]
	_, baseSet := p.pos[baseKey]
	if baseSet && !minSet {
		rep.add(p.Pos(baseKey), "%s: %d is less than %s (%d, the default): no baseline "+
			"could ever have enough history", baseKey, m.BaselineDays, minKey, m.MinHistoryDays)
		return
	}
	base := fmt.Sprint(m.BaselineDays)
	if !baseSet {
		base += ", the default"
	}
	rep.add(p.Pos(minKey), "%s: %d is more than %s (%s): no baseline could ever have "+
		"enough history", minKey, m.MinHistoryDays, baseKey, base)
}

// checkOutputFolder refuses an output folder that is the contracts folder:
// dbt_project.yml and the project's other YAML files would land beside the
// contracts, and every later run would read them as contracts.
func checkOutputFolder(p *Project, rep *reporter) {
	if p.Output == "" || path.Clean(strings.ReplaceAll(p.Output, `\`, "/")) != "." {
		return
	}
	rep.add(p.Pos("output"), "output: %q is the contracts folder: dbt_project.yml and the "+
		"project's other YAML files would be read as contracts; name a folder of its own, "+
		"such as dbt", p.Output)
}

// checkProjectNames refuses a project or profile name dbt would reject; a
// profile that defaulted to the project name is not reported twice.
func checkProjectNames(p *Project, rep *reporter) {
	names := []struct{ path, name string }{{"project", p.Name}}
	if p.Profile != p.Name {
		names = append(names, struct{ path, name string }{"profile", p.Profile})
	}
	for _, n := range names {
		if !nameRe.MatchString(n.name) {
			rep.add(p.Pos(n.path), "%s: %q is not a safe dbt name: use lower-case "+
				"letters, digits and underscores, not starting with a digit", n.path, n.name)
		}
	}
}

func checkTargets(p *Project, rep *reporter) {
	seen := map[string]bool{}
	for i, t := range p.Targets {
		if seen[t] {
			path := fmt.Sprintf("targets[%d]", i)
			rep.add(p.Pos(path), "%s: %s is listed twice", path, t)
		}
		seen[t] = true
	}
}

// pairRef is one source a check pair names and what it must be.
type pairRef struct {
	path     string
	source   string
	feed     Feed
	quantity string // a required quantity_field, or ""
}

func checkPairs(e *Estate, rep *reporter) {
	for _, ref := range pairRefs(&e.Project.Checks) {
		checkPairRef(e, ref, rep)
	}
}

func pairRefs(ch *CheckPairs) []pairRef {
	var refs []pairRef
	for i, pr := range ch.Conservation {
		base := fmt.Sprintf("checks.conservation[%d]", i)
		refs = append(refs, pairRef{base + ".positions", pr.Positions, FeedPositions,
			QuantityOnHand})
		for j, m := range pr.Movements {
			refs = append(refs, pairRef{fmt.Sprintf("%s.movements[%d]", base, j), m,
				FeedMovements, ""})
		}
	}
	for i, pr := range ch.Parity {
		base := fmt.Sprintf("checks.parity[%d]", i)
		refs = append(refs,
			pairRef{base + ".erp", pr.ERP, FeedPositions, QuantityOnHand},
			pairRef{base + ".wms", pr.WMS, FeedPositions, QuantityOnHand})
	}
	for i, pr := range ch.Honesty {
		base := fmt.Sprintf("checks.honesty[%d]", i)
		refs = append(refs,
			pairRef{base + ".availability", pr.Availability, FeedAvailability, ""},
			pairRef{base + ".atp", pr.ATP, FeedPositions, QuantityATP})
	}
	for i, pr := range ch.Returns {
		base := fmt.Sprintf("checks.returns[%d]", i)
		refs = append(refs,
			pairRef{base + ".refunds", pr.Refunds, FeedRefunds, ""},
			pairRef{base + ".dispositions", pr.Dispositions, FeedDispositions, ""})
	}
	return refs
}

func checkPairRef(e *Estate, ref pairRef, rep *reporter) {
	if ref.source == "" {
		return
	}
	p := &e.Project
	c := e.Contract(ref.source)
	switch {
	case c == nil && e.unread > 0:
		return // it may be defined in a file that did not parse
	case c == nil:
		msg := fmt.Sprintf("%s: no source named %q", ref.path, ref.source)
		if best := suggest(ref.source, sourceNames(e, ref.feed)); best != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", best)
		}
		rep.add(p.Pos(ref.path), "%s", msg)
	case c.Feed != ref.feed:
		rep.add(p.Pos(ref.path), "%s: %q is %s, not %s", ref.path, ref.source,
			aFeed(c.Feed), ref.feed)
	case ref.quantity != "" && c.QuantityField() != ref.quantity:
		rep.add(p.Pos(ref.path), "%s: %q holds %s, not %s", ref.path, ref.source,
			c.QuantityField(), ref.quantity)
	}
}
