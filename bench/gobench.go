package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// goBenchArgs are the Go benchmarks the README quotes: conservation in its
// two forms over 10 million movements, and a wide union through DuckDB's
// two statement paths, three runs each.
var goBenchArgs = []string{"test", "-run", "NONE", "-bench", ".", "-benchtime", "3x",
	"./bench", "./duckconn"}

// conservationSKUsEnv sizes the conservation benchmark: SKUs at its 50
// locations over 100 days, one movement each a day. Unset, 2,000 SKUs: 10
// million movements.
const conservationSKUsEnv = "INVGEN_BENCH_CONSERVATION_SKUS"

// goBench is one result line of `go test -bench`.
type goBench struct {
	name      string // without the -N suffix GOMAXPROCS adds
	perOp     time.Duration
	movements float64 // the movements metric a benchmark reports, if any
}

// gobench runs the Go benchmarks as `go test` does from the checkout, with
// the toolchain the module asks for, and prints their times: the
// conservation forms' table and the wide union's two paths. The benchmarks
// have no target; they fail only when one fails or is missing.
func (h *Harness) gobench(ctx context.Context) (int, error) {
	command := "go " + strings.Join(goBenchArgs, " ")
	cmd := exec.CommandContext(ctx, "go", goBenchArgs...)
	cmd.Dir, cmd.Stderr = h.Repo, h.log
	if h.ConservationSKUs > 0 {
		size := fmt.Sprintf("%s=%d", conservationSKUsEnv, h.ConservationSKUs)
		cmd.Env, command = append(os.Environ(), size), size+" "+command
	}
	h.progress("go benchmarks: %s", command)
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("%s: %w:\n%s", command, err, tail(string(out), 2000))
	}
	results, err := parseGoBench(string(out))
	if err != nil {
		return 0, err
	}
	return 0, h.printGoBench(command, results)
}

// parseGoBench reads the result lines of `go test -bench` output: name,
// iterations, ns/op, then any metrics the benchmark reported.
func parseGoBench(out string) (map[string]goBench, error) {
	results := map[string]goBench{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || f[3] != "ns/op" {
			continue
		}
		ns, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("go test -bench: %q: %w", sc.Text(), err)
		}
		b := goBench{name: f[0], perOp: time.Duration(ns)}
		if i := strings.LastIndex(b.name, "-"); i > 0 {
			if _, err := strconv.Atoi(b.name[i+1:]); err == nil {
				b.name = b.name[:i]
			}
		}
		for i := 4; i+1 < len(f); i += 2 {
			if f[i+1] == "movements" {
				b.movements, _ = strconv.ParseFloat(f[i], 64)
			}
		}
		results[b.name] = b
	}
	return results, sc.Err()
}

// printGoBench prints the README's tables of the Go benchmarks.
func (h *Harness) printGoBench(command string, results map[string]goBench) error {
	want := func(name string) (goBench, error) {
		b, ok := results[name]
		if !ok {
			return b, fmt.Errorf("go test -bench printed no result for %s", name)
		}
		return b, nil
	}
	window, err := want("BenchmarkConservation/window")
	if err != nil {
		return err
	}
	selfJoin, err := want("BenchmarkConservation/self_join")
	if err != nil {
		return err
	}
	direct, err := want("BenchmarkWideUnion/direct")
	if err != nil {
		return err
	}
	prepared, err := want("BenchmarkWideUnion/prepared")
	if err != nil {
		return err
	}
	fmt.Fprintf(h.out, "Go benchmarks (%s), time per run:\n\n", command)
	fmt.Fprintf(h.out, "BenchmarkConservation: int_conservation_compared and "+
		"rec_movement_conservation over %s movements:\n\n", count(window.movements))
	table(h.out, []string{"form", "time"}, [][]string{
		{"one windowed scan of `int_daily_positions` (the default)", seconds(window.perOp)},
		{"self-join on the previous date", seconds(selfJoin.perOp)},
	})
	fmt.Fprintf(h.out, "BenchmarkWideUnion: a 300-branch union, %s through duckdb_query, "+
		"%s prepared.\n\n", millis(direct.perOp), millis(prepared.perOp))
	return nil
}

// count writes a whole number with thousands separators.
func count(f float64) string {
	s := strconv.FormatInt(int64(f), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
