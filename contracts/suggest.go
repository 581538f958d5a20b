package contracts

import "strings"

// Suggest is suggest for other packages' messages: importers offer the
// same "did you mean" by the same rule.
func Suggest(s string, candidates []string) string { return suggest(s, candidates) }

// suggest returns the candidate closest to s, or "" when none is close
// enough to be a plausible typo: at most a third of the longer word's
// letters edited, and always one edit. A swap of two neighbours counts as
// one edit, as a typist makes it (wsm for wms, reciept for receipt). So
// crates suggests cases and each suggests eaches, while colour, four edits
// from role, suggests nothing. A candidate that differs only in case wins
// outright: SKU for sku is the commonest slip, and three edits.
func suggest(s string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(s, c) {
			return c
		}
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		d := TypoDistance(s, c)
		if d <= max(1, max(len(s), len(c))/3) && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// TypoDistance is the Levenshtein distance (inserted, deleted or changed
// bytes) with a swap of two neighbouring bytes counted as one edit: the
// optimal string alignment distance. Every "did you mean" ranks by it.
func TypoDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
