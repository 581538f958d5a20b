package output

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numbered returns lines "1\n" to "n\n", with line i replaced by repl[i] where given.
func numbered(n int, repl map[int]string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		line, ok := repl[i]
		if !ok {
			line = strconv.Itoa(i) + "\n"
		}
		b.WriteString(line)
	}

	return b.String()
}

func TestUnifiedDiff(t *testing.T) {
	cases := map[string]struct{ before, after, want string }{
		"equal":      {"a\nb\n", "a\nb\n", ""},
		"both empty": {"", "", ""},
		"one line changed in the middle": {
			numbered(10, nil), numbered(10, map[int]string{5: "five\n"}),
			"@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
		},
		"changes six lines apart share a hunk": {
			numbered(12, nil), numbered(12, map[int]string{2: "x\n", 9: "y\n"}),
			"@@ -1,12 +1,12 @@\n 1\n-2\n+x\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+y\n 10\n 11\n 12\n",
		},
		"changes seven lines apart get two hunks": {
			numbered(14, nil), numbered(14, map[int]string{2: "x\n", 10: "y\n"}),
			"@@ -1,5 +1,5 @@\n 1\n-2\n+x\n 3\n 4\n 5\n" +
				"@@ -7,7 +7,7 @@\n 7\n 8\n 9\n-10\n+y\n 11\n 12\n 13\n",
		},
		"from nothing": {"", "a\nb\n", "@@ -0,0 +1,2 @@\n+a\n+b\n"},
		"to nothing":   {"a\n", "", "@@ -1 +0,0 @@\n-a\n"},
		"insertion between lines": {
			"a\nb\n", "a\nnew\nb\n", "@@ -1,2 +1,3 @@\n a\n+new\n b\n",
		},
		"newline added at the end": {
			"a\nb", "a\nb\n", "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		},
	}

	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := unifiedDiff("a/f", "b/f", []byte(c.before), []byte(c.after))

			if c.want == "" {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, "--- a/f\n+++ b/f\n"+c.want, got)
		})
	}
}

// TestUnifiedDiffRoundTrip applies diffs of random files and checks they are minimal.
func TestUnifiedDiffRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))

	for i := range 500 {
		before, after := randomText(rng), randomText(rng)
		d := unifiedDiff("a/f", "b/f", []byte(before), []byte(after))

		got, changed := applyDiff(t, before, d)
		require.Equal(t, after, got, "case %d:\n%s", i, d)

		a, b := splitLines([]byte(before)), splitLines([]byte(after))
		require.Equal(t, len(a)+len(b)-2*lcs(a, b), changed, "case %d not minimal:\n%s", i, d)
	}
}

// randomText makes a short text from a few distinct lines, so that diffs have both common
// and changed lines, and sometimes leaves off the final newline.
func randomText(rng *rand.Rand) string {
	var b strings.Builder
	for range rng.IntN(30) {
		fmt.Fprintf(&b, "line %d\n", rng.IntN(6))
	}

	if b.Len() > 0 && rng.IntN(4) == 0 {
		return strings.TrimSuffix(b.String(), "\n")
	}

	return b.String()
}

// applyDiff applies unified diff d to before, checking every context and deleted line, and
// returns the result with the number of lines added or deleted.
func applyDiff(t *testing.T, before, d string) (string, int) {
	t.Helper()

	if d == "" {
		return before, 0
	}

	src := splitLines([]byte(before))
	lines := strings.SplitAfter(strings.TrimPrefix(d, "--- a/f\n+++ b/f\n"), "\n")
	var out []string
	next, changed := 0, 0
	var last byte

	for _, line := range lines {
		switch {
		case line == "":
		case strings.HasPrefix(line, "@@ "):
			var a int
			_, err := fmt.Sscanf(line, "@@ -%d", &a)
			require.NoError(t, err, line)
			if !strings.HasPrefix(line, fmt.Sprintf("@@ -%d,0 ", a)) {
				a--
			}
			require.GreaterOrEqual(t, a, next, "hunks overlap or go backwards")
			out, next = append(out, src[next:a]...), a
		case line == "\\ No newline at end of file\n":
			if last != '-' {
				out[len(out)-1] = strings.TrimSuffix(out[len(out)-1], "\n")
			}
		case line[0] == '+':
			out = append(out, line[1:])
			changed++
			last = '+'
		default:
			require.Less(t, next, len(src), "diff reads past the end")
			want := strings.TrimSuffix(src[next], "\n")
			require.Equal(t, want, strings.TrimSuffix(line[1:], "\n"))
			last = line[0]
			if line[0] == ' ' {
				out = append(out, src[next])
			} else {
				require.Equal(t, byte('-'), line[0], line)
				changed++
			}
			next++
		}
	}

	return strings.Join(append(out, src[next:]...), ""), changed
}

// lcs is the length of the longest common subsequence of a and b, by dynamic programming.
func lcs(a, b []string) int {
	row := make([]int, len(b)+1)
	for i := range a {
		prev := 0
		for j := range b {
			cur := row[j+1]
			if a[i] == b[j] {
				row[j+1] = prev + 1
			} else {
				row[j+1] = max(row[j+1], row[j])
			}
			prev = cur
		}
	}

	return row[len(b)]
}
