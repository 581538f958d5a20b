package output

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// contextLines is how many unchanged lines a hunk shows around a change, as diff -u does.
const contextLines = 3

// edit is one line of a line-by-line diff.
type edit struct {
	kind byte   // ' ' kept, '-' deleted from before, '+' inserted from after
	line string // with its newline, if it has one
	a, b int    // where the edit sits in before and in after, counting lines from 0
}

// unifiedDiff shows how before becomes after, in the unified format that diff -u, git and
// patch share, under the headers --- beforeName and +++ afterName. It returns "" when the two
// are equal.
func unifiedDiff(beforeName, afterName string, before, after []byte) string {
	hunks := groupHunks(diffLines(splitLines(before), splitLines(after)))
	if len(hunks) == 0 {
		return ""
	}

	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", beforeName, afterName)
	for _, h := range hunks {
		writeHunk(&b, h)
	}

	return b.String()
}

// splitLines cuts text into lines that keep their newline; only the last may lack one.
func splitLines(text []byte) []string {
	lines := strings.SplitAfter(string(text), "\n")

	return slices.DeleteFunc(lines, func(l string) bool { return l == "" })
}

// diffLines returns a shortest edit script turning a into b. The common start and end are
// taken off first, since a regenerated file usually differs in a few places.
func diffLines(a, b []string) []edit {
	pre := commonPrefix(a, b)
	suf := commonPrefix(reversed(a[pre:]), reversed(b[pre:]))
	kinds := slices.Repeat([]byte{' '}, pre)
	kinds = append(kinds, myers(a[pre:len(a)-suf], b[pre:len(b)-suf])...)
	kinds = append(kinds, slices.Repeat([]byte{' '}, suf)...)

	edits := make([]edit, 0, len(kinds))
	var i, j int
	for _, k := range kinds {
		switch k {
		case ' ':
			edits = append(edits, edit{k, a[i], i, j})
			i, j = i+1, j+1
		case '-':
			edits = append(edits, edit{k, a[i], i, j})
			i++
		case '+':
			edits = append(edits, edit{k, b[j], i, j})
			j++
		}
	}

	return edits
}

// commonPrefix counts the lines a and b start with in common.
func commonPrefix(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}

	return n
}

// reversed returns a reversed copy of lines.
func reversed(lines []string) []string {
	r := slices.Clone(lines)
	slices.Reverse(r)

	return r
}

// myers finds a shortest edit script from a to b with Myers' O(ND) algorithm and returns it
// as one kind byte per line. It keeps the frontier of every round to walk the path back,
// which costs memory quadratic in the number of differing lines; a file rewritten from top to
// bottom with tens of thousands of lines would need gigabytes.
func myers(a, b []string) []byte {
	n, m := len(a), len(b)
	limit := n + m
	off := limit + 1
	v := make([]int, 2*limit+3) // v[off+k] is the furthest x reached on diagonal k = x-y
	var trace [][]int

	// An edit script of at most n+m steps always exists, so the loop returns by round n+m.
	for d := 0; ; d++ {
		// Keep the window of diagonals -d-1..d+1 that round d reads.
		trace = append(trace, slices.Clone(v[off-d-1:off+d+2]))

		for k := -d; k <= d; k += 2 {
			prev := from(v, off, k, d)
			x := v[off+prev]
			if prev == k-1 {
				x++
			}

			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x

			if x >= n && y >= m {
				return backtrack(trace, n, m)
			}
		}
	}
}

// from picks the diagonal the best path to diagonal k in round d comes from: k+1 for a step
// down (an insertion) or k-1 for a step right (a deletion). v[off+k] holds diagonal k.
func from(v []int, off, k, d int) int {
	if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
		return k + 1
	}

	return k - 1
}

// backtrack walks the rounds recorded by myers back from (n, m) to the start.
func backtrack(trace [][]int, n, m int) []byte {
	var kinds []byte
	x, y := n, m

	for d := len(trace) - 1; d >= 0; d-- {
		v, off, k := trace[d], d+1, x-y
		prevK := from(v, off, k, d)
		prevX := v[off+prevK]
		prevY := prevX - prevK

		for x > prevX && y > prevY {
			kinds = append(kinds, ' ')
			x, y = x-1, y-1
		}

		if d > 0 && x == prevX {
			kinds = append(kinds, '+')
		} else if d > 0 {
			kinds = append(kinds, '-')
		}
		x, y = prevX, prevY
	}
	slices.Reverse(kinds)

	return kinds
}

// groupHunks cuts the edits into hunks: each change with up to contextLines kept lines
// around it, and changes closer than twice that merged into one hunk.
func groupHunks(edits []edit) [][]edit {
	var hunks [][]edit
	start, end := -1, -1

	for i, e := range edits {
		if e.kind == ' ' {
			continue
		}

		lo := max(i-contextLines, 0)
		if start >= 0 && lo > end {
			hunks = append(hunks, edits[start:end])
			start = -1
		}
		if start < 0 {
			start = lo
		}
		end = min(i+1+contextLines, len(edits))
	}

	if start >= 0 {
		hunks = append(hunks, edits[start:end])
	}

	return hunks
}

// writeHunk writes one hunk with its @@ header.
func writeHunk(b *strings.Builder, h []edit) {
	var aLen, bLen int
	for _, e := range h {
		if e.kind != '+' {
			aLen++
		}
		if e.kind != '-' {
			bLen++
		}
	}

	fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(h[0].a, aLen), hunkRange(h[0].b, bLen))
	for _, e := range h {
		b.WriteByte(e.kind)
		b.WriteString(e.line)
		if !strings.HasSuffix(e.line, "\n") {
			b.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange formats where a hunk sits in one file: the first line counting from 1 and the
// line count, which is left out when 1; an empty range names the line before it.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return strconv.Itoa(start) + ",0"
	case 1:
		return strconv.Itoa(start + 1)
	}

	return strconv.Itoa(start+1) + "," + strconv.Itoa(n)
}
