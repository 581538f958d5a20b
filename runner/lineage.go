package runner

import (
	"slices"
	"strings"
)

// SourceInfo is what a lineage shows of one source, however the caller
// knows it: invgen run and lineage from the contracts, triage from dbt's
// manifest.
type SourceInfo struct {
	// Table is the raw relation's table, as the source names it.
	Table string
	// Contract is the contract file, as a path the user can open.
	Contract string
	// Owner is the contract's owner.
	Owner string
	// Quarantine is the relation holding the source's violating rows, or ""
	// when the project has none for it.
	Quarantine string
}

// AlertLineage decides what an alert's lineage is: one decision, so that
// invgen run, triage and lineage print the same path for the same test.
// The path is the one the generator wrote into the test's meta.lineage:
// check, model, the intermediate models that compare, then per source its
// staging model, raw relation, contract, owner and quarantine. Reference
// data every check reads (costs, locations) is not on it: it does not lead
// to the owner of a break. A test without meta.lineage (a quarantine's, a
// staging model's) leads to the source its model is named after.
//
// only, when not empty, keeps the sources a test's failing rows name;
// info says what is known of a source, and a source it does not know is
// left out. Quarantine rows are not counted here (HeldRows is -1): that
// needs the database, which only the caller has.
func AlertLineage(model string, meta map[string]any, only map[string]bool,
	info func(source string) (SourceInfo, bool)) Lineage {
	l := Lineage{Model: model, Check: metaString(meta, "check"),
		Monitor: metaString(meta, "monitor")}
	for _, node := range metaList(meta, "lineage") {
		if strings.HasPrefix(node, "int_") {
			l.Intermediate = append(l.Intermediate, node)
		}
	}
	for _, source := range lineageSources(model, meta) {
		if len(only) > 0 && !only[source] {
			continue
		}
		if si, ok := info(source); ok {
			l.addSource(source, si)
		}
	}
	return l
}

// lineageSources lists the sources a test's lineage reaches, in lineage
// order.
func lineageSources(model string, meta map[string]any) []string {
	var out []string
	for _, node := range metaList(meta, "lineage") {
		if rest, ok := strings.CutPrefix(node, "source:"); ok {
			out = append(out, strings.SplitN(rest, ".", 2)[0])
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, prefix := range []string{"quarantine_", "stg_", "base_"} {
		if source, ok := strings.CutPrefix(model, prefix); ok {
			return []string{source}
		}
	}
	return nil
}

func (l *Lineage) addSource(source string, si SourceInfo) {
	l.Staging = append(l.Staging, "stg_"+source)
	l.Sources = append(l.Sources, source+"."+si.Table)
	if si.Contract != "" {
		l.Contracts = append(l.Contracts, si.Contract)
	}
	if si.Owner != "" && !slices.Contains(l.Owners, si.Owner) {
		l.Owners = append(l.Owners, si.Owner)
	}
	if si.Quarantine != "" {
		l.Quarantine = append(l.Quarantine, Quarantine{Relation: si.Quarantine, HeldRows: -1})
	}
}
