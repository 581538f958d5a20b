package bench

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The harness reads go test's result lines, GOMAXPROCS suffix and custom
// metrics included, and ignores the rest of what go test prints.
func TestGoBenchLinesAreRead(t *testing.T) {
	out := strings.Join([]string{
		"goos: linux",
		"pkg: github.com/invgen/invgen/bench",
		"BenchmarkConservation/window-2         \t       3\t4270123456 ns/op\t  " +
			"10000000 movements",
		"BenchmarkConservation/self_join-2      \t       3\t3271000000 ns/op\t  " +
			"10000000 movements",
		"PASS",
		"BenchmarkWideUnion/direct-2 \t 3\t 137456789 ns/op",
		"BenchmarkWideUnion/prepared-2 \t 3\t 173000000 ns/op\t 12 B/op",
		"ok  \tgithub.com/invgen/invgen/duckconn\t3.2s",
	}, "\n")
	got, err := parseGoBench(out)
	require.NoError(t, err)
	require.Len(t, got, 4)
	w := got["BenchmarkConservation/window"]
	require.Equal(t, 4270123456*time.Nanosecond, w.perOp)
	require.Equal(t, 1e7, w.movements)
	require.Equal(t, 173*time.Millisecond, got["BenchmarkWideUnion/prepared"].perOp)

	var buf bytes.Buffer
	h := &Harness{out: &buf}
	require.NoError(t, h.printGoBench("go test", got))
	require.Contains(t, buf.String(), "over 10,000,000 movements")
	require.Contains(t, buf.String(), "| one windowed scan of `int_daily_positions` "+
		"(the default) | 4.27 s |")
	require.Contains(t, buf.String(), "| self-join on the previous date | 3.27 s |")
	require.Contains(t, buf.String(), "137 ms through duckdb_query, 173 ms prepared")

	delete(got, "BenchmarkWideUnion/direct")
	require.ErrorContains(t, h.printGoBench("go test", got), "BenchmarkWideUnion/direct")
}

// A part --only does not know is refused rather than measuring nothing.
func TestOnlyNamesKnownParts(t *testing.T) {
	var out, log bytes.Buffer
	h, err := parseFlags([]string{"--only", "detection, gobench"}, &out, &log)
	require.NoError(t, err)
	require.Equal(t, map[string]bool{"detection": true, "gobench": true}, h.Only)
	h, err = parseFlags(nil, &out, &log)
	require.NoError(t, err)
	require.True(t, h.Only["gobench"], "the full run includes the Go benchmarks")
	_, err = parseFlags([]string{"--only", "detect"}, &out, &log)
	require.ErrorContains(t, err, `"detect"`)
}
