package contractdiff

import (
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
)

// checkReaders maps each source to the reconciliations and reports that
// read its staging model, following ref() through intermediate models. It
// asks the generator rather than restating its pairing rules, so the answer
// is exactly the project the base would build, explicit pairs in invgen.yml
// included. Staging's own base_ models are not followed: every source feeds
// the row-count monitors, and that alone is no check depending on it.
func checkReaders(e *contracts.Estate) (map[string][]string, error) {
	gen, err := generator.New()
	if err != nil {
		return nil, err
	}
	res, err := gen.Generate(e, generator.Options{})
	if err != nil {
		return nil, err
	}
	refs := modelRefs(res.Files)

	readers := map[string][]string{}
	for model, p := range modelPaths(res.Files) {
		dir := path.Dir(p)
		if dir != "models/reconciliation" && dir != "models/reports" {
			continue
		}
		for _, src := range stagedSources(model, refs) {
			readers[src] = append(readers[src], model)
		}
	}
	for src := range readers {
		sort.Strings(readers[src])
	}
	return readers, nil
}

var refRe = regexp.MustCompile(`ref\(\s*'([a-z0-9_]+)'\s*\)`)

// modelRefs maps each SQL model to the models it refs.
func modelRefs(files map[string][]byte) map[string][]string {
	refs := map[string][]string{}
	for model, p := range modelPaths(files) {
		for _, m := range refRe.FindAllStringSubmatch(string(files[p]), -1) {
			refs[model] = append(refs[model], m[1])
		}
	}
	return refs
}

// modelPaths maps a model name to its SQL file.
func modelPaths(files map[string][]byte) map[string]string {
	out := map[string]string{}
	for p := range files {
		if strings.HasPrefix(p, "models/") && strings.HasSuffix(p, ".sql") {
			out[strings.TrimSuffix(path.Base(p), ".sql")] = p
		}
	}
	return out
}

// stagedSources returns the sources whose stg_ model model reads, directly
// or through non-staging models.
func stagedSources(model string, refs map[string][]string) []string {
	seen := map[string]bool{}
	var out []string
	var visit func(string)
	visit = func(m string) {
		if seen[m] {
			return
		}
		seen[m] = true
		if src, ok := strings.CutPrefix(m, "stg_"); ok {
			out = append(out, src)
			return
		}
		if strings.HasPrefix(m, "base_") || strings.HasPrefix(m, "quarantine_") {
			return
		}
		for _, r := range refs[m] {
			visit(r)
		}
	}
	visit(model)
	return out
}

// checkedFeeds are the feeds some reconciliation reads whenever its
// counterpart exists; readersByFeed assumes the counterpart does.
var checkedFeeds = map[contracts.Feed]string{
	contracts.FeedMovements:     "movement conservation",
	contracts.FeedPositions:     "conservation, parity or honesty",
	contracts.FeedAvailability:  "storefront honesty",
	contracts.FeedRefunds:       "returns closure",
	contracts.FeedDispositions:  "returns closure",
	contracts.FeedControlTotals: "control totals",
	contracts.FeedCosts:         "break values",
	contracts.FeedLocations:     "tolerances by location class",
	contracts.FeedCycleCounts:   "inventory record accuracy",
}

// readersByFeed is the rule for a base that did not validate, which the
// generator cannot build: a source is read by checks when its feed is one
// that reconciliations take part in. It errs towards breaking.
func readersByFeed(cs []*contracts.Contract) map[string][]string {
	out := map[string][]string{}
	for _, c := range cs {
		if what, ok := checkedFeeds[c.Feed]; ok {
			out[c.Source] = []string{what}
		}
	}
	return out
}
