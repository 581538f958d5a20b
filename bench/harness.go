package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Harness is one run of the benchmark command: where it works and what it
// measures.
type Harness struct {
	Repo     string // the invgen checkout: examples and the main package
	Work     string // scratch space: binaries, simulated feeds, databases
	Example  string // the estate benchmarked, relative to Repo
	Repeat   int    // runs per build and check measurement; the median is reported
	Millions []int  // movement counts of the run benchmark, in millions
	Detect   Estate // the simulated estate the detection benchmark scores
	Only     map[string]bool

	// ConservationSKUs sizes the Go conservation benchmark for a quick run
	// (see conservationSKUsEnv); 0 leaves it at the README's 2,000.
	ConservationSKUs int

	out, log io.Writer
	bin      string // the invgen binary measured
}

// Main runs the benchmark harness as a command: `go run ./cmd/invgen-bench`.
// It prints the README's tables on stdout and progress on stderr, and exits
// 1 when a target is missed.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == scanCommand {
		return scanMain(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == loadCommand {
		return loadMain(args[1:], stderr)
	}
	h, err := parseFlags(args, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "invgen-bench:", err)
		return 2
	}
	missed, err := h.Run(context.Background())
	if err != nil {
		fmt.Fprintln(stderr, "invgen-bench:", err)
		return 5
	}
	if missed > 0 {
		fmt.Fprintf(stderr, "invgen-bench: %d targets missed\n", missed)
		return 1
	}
	return 0
}

func parseFlags(args []string, stdout, stderr io.Writer) (*Harness, error) {
	fs := flag.NewFlagSet("invgen-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	h := &Harness{out: stdout, log: stderr}
	fs.StringVar(&h.Repo, "repo", ".", "the invgen checkout")
	fs.StringVar(&h.Work, "work", "", "scratch folder, kept afterwards (default: a "+
		"temporary folder, removed)")
	fs.StringVar(&h.Example, "example", "examples/retail", "the estate to benchmark")
	fs.IntVar(&h.Repeat, "repeat", 3, "runs per build and check measurement")
	millions := fs.String("millions", "10,50", "movements of the run benchmark, in millions")
	only := fs.String("only", "build,run,detection,gobench", "what to measure: build, run, "+
		"detection, gobench (the Go benchmarks)")
	fs.IntVar(&h.ConservationSKUs, "gobench-skus", 0, "SKUs of the Go conservation "+
		"benchmark, at 50 locations over 100 days (default: 2,000, 10 million movements)")
	fs.IntVar(&h.Detect.SKUs, "detect-skus", 200, "SKUs of the detection estate")
	fs.IntVar(&h.Detect.Locations, "detect-locations", 12, "its locations")
	fs.IntVar(&h.Detect.Days, "detect-days", 120, "its days")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	h.Detect.Seed = 1
	var err error
	if h.Millions, err = ints(*millions); err != nil {
		return nil, fmt.Errorf("--millions: %w", err)
	}
	h.Only = map[string]bool{}
	for _, s := range strings.Split(*only, ",") {
		part := strings.TrimSpace(s)
		if !parts[part] {
			return nil, fmt.Errorf("--only: %q is none of build, run, detection, gobench", s)
		}
		h.Only[part] = true
	}
	return h, nil
}

// parts are what --only can name.
var parts = map[string]bool{"build": true, "run": true, "detection": true, "gobench": true}

func ints(list string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a positive whole number", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// Run measures what the harness was asked to and prints each table as it
// completes. It returns how many targets were missed.
func (h *Harness) Run(ctx context.Context) (int, error) {
	cleanup, err := h.prepare(ctx)
	if err != nil {
		return 0, err
	}
	defer cleanup()
	fmt.Fprintf(h.out, "Machine: %s.\n\n", machine())

	missed := 0
	steps := []struct {
		name string
		run  func(context.Context) (int, error)
	}{{"build", h.builds}, {"run", h.runs}, {"detection", h.detection},
		{"gobench", h.gobench}}
	for _, s := range steps {
		if !h.Only[s.name] {
			continue
		}
		n, err := s.run(ctx)
		if err != nil {
			return missed, fmt.Errorf("%s: %w", s.name, err)
		}
		missed += n
	}
	return missed, nil
}

// prepare makes the scratch folder and builds the invgen binary that is
// measured, so that each measurement is one process with its own peak
// memory. The harness itself stays small: Linux counts a child's peak from
// its parent's at the fork, so anything heavy runs in a child of its own.
func (h *Harness) prepare(ctx context.Context) (func(), error) {
	cleanup := func() {}
	if h.Work == "" {
		dir, err := os.MkdirTemp("", "invgen-bench-")
		if err != nil {
			return nil, err
		}
		h.Work, cleanup = dir, func() { os.RemoveAll(dir) }
	}
	if err := os.MkdirAll(h.Work, 0o755); err != nil {
		return nil, err
	}
	h.bin = filepath.Join(h.Work, "invgen")
	h.progress("building %s", h.bin)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", h.bin, "./cmd/invgen")
	cmd.Dir, cmd.Stderr = h.Repo, h.log
	if err := cmd.Run(); err != nil {
		cleanup()
		return nil, fmt.Errorf("building invgen: %w", err)
	}
	return cleanup, nil
}

// invoke runs the measured binary, for steps whose own cost is not the
// figure.
func (h *Harness) invoke(ctx context.Context) Invoke {
	return func(args []string, codes ...int) error {
		_, err := ExecWant(ctx, codes, h.bin, args...)
		return err
	}
}

func (h *Harness) path(rel string) string { return filepath.Join(h.Repo, rel) }

func (h *Harness) progress(format string, args ...any) {
	fmt.Fprintf(h.log, "== "+format+"\n", args...)
}

// machine describes where the figures come from.
func machine() string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	return fmt.Sprintf("%d cores (%s), %s memory, %s/%s, %s", runtime.NumCPU(), cpu,
		memory(), runtime.GOOS, runtime.GOARCH, runtime.Version())
}

func memory() string {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return "unknown"
	}
	var kb int64
	if _, err := fmt.Sscanf(string(data), "MemTotal: %d kB", &kb); err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
}

// errMissing is a tool the harness needs and did not find.
var errMissing = errors.New("not found")
