package generator

import (
	"sort"
	"strings"
)

// books are the groups of on-hand feeds that int_daily_positions keys by
// name: each conservation's, and each side of each parity pair.
func (ch *checks) books() []*systemFeeds {
	out := append([]*systemFeeds{}, ch.conservation...)
	for _, p := range ch.parity {
		out = append(out, p.erp, p.wms)
	}
	return out
}

// separateBooks keeps named pairs exact. int_daily_positions takes a
// system's latest snapshot across all the on-hand feeds it holds for it, so
// when named pairs give one system's feeds to different checks, keying them
// by system would compare feeds nobody paired. Each such feed is keyed by
// its own source name instead; inferred checks always keep a system whole.
func (r *renderer) separateBooks(ch *checks) {
	books := ch.books()
	sets := map[string]map[string]bool{}
	for _, b := range books {
		system := b.positions[0].System
		if sets[system] == nil {
			sets[system] = map[string]bool{}
		}
		sets[system][sources(b.positions)] = true
	}

	split := map[string][]string{}
	for _, b := range books {
		system := b.positions[0].System
		if len(sets[system]) < 2 || len(b.positions) > 1 {
			continue
		}
		b.system = b.positions[0].Source
		if sets[b.system] != nil {
			b.system = system + "_" + b.system // a system is called that too
		}
		split[system] = appendNew(split[system], b.system)
	}
	r.noteSplit(split)
}

// noteSplit tells the user which systems' feeds were kept apart.
func (r *renderer) noteSplit(split map[string][]string) {
	systems := make([]string, 0, len(split))
	for system := range split {
		systems = append(systems, system)
	}
	sort.Strings(systems)
	for _, system := range systems {
		labels := split[system]
		sort.Strings(labels)
		r.note("checks: the named pairs give %s's on-hand feeds to different checks, so "+
			"int_daily_positions keeps them apart as %s", system, strings.Join(labels, ", "))
	}
}

// bookOf is the name int_daily_positions holds a system's on-hand under,
// for models that join to it by system: the system's own when it is kept
// whole, else that of the first of its feeds kept apart.
func (ch *checks) bookOf(system string) (string, bool) {
	first := ""
	for _, b := range ch.systems() {
		if b.system == system {
			return system, true
		}
		if first == "" && b.positions[0].System == system {
			first = b.system
		}
	}
	return first, first != ""
}
