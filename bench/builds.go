package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// buildCase is one estate the build benchmark measures, and its target.
type buildCase struct {
	name   string
	dir    string
	target time.Duration // for invgen build; 0: none
}

// builds measures `invgen build` (generation, validation in DuckDB and the
// proofs) and `invgen check` on the example and on estates scaled to 100
// and 500 contracts. Targets: the example under 2 s, check under 300 ms, 500
// contracts under 30 s.
func (h *Harness) builds(ctx context.Context) (int, error) {
	cases, err := h.buildCases()
	if err != nil {
		return 0, err
	}
	var rows [][]string
	missed := 0
	for _, bc := range cases {
		h.progress("build: %s", bc.name)
		build, out, err := h.measureBuild(ctx, bc)
		if err != nil {
			return 0, err
		}
		check, err := h.repeat(ctx, []int{0}, h.bin, "check", bc.dir, "--out", out)
		if err != nil {
			return 0, err
		}
		rows = append(rows, []string{bc.name, seconds(build.Wall), mib(build),
			millis(check.Wall), mib(check)})
		if bc.target > 0 && build.Wall >= bc.target {
			missed++
		}
		if bc == cases[0] && check.Wall >= 300*time.Millisecond {
			missed++
		}
	}
	fmt.Fprintf(h.out, "invgen build (generation, validation and proof) and invgen check, "+
		"median of %d runs, peak resident memory of the process:\n\n", h.Repeat)
	table(h.out, []string{"estate", "build", "build memory", "check", "check memory"}, rows)
	return h.verdict("the example under 2 s, its check under 300 ms, 500 contracts under 30 s",
		missed == 0, fmt.Sprintf("%d missed", missed)), nil
}

func (h *Harness) buildCases() ([]buildCase, error) {
	example := h.path(h.Example)
	n, err := ScaleEstate(example, filepath.Join(h.Work, "estate-example"), 0)
	if err != nil {
		return nil, err
	}
	cases := []buildCase{{name: fmt.Sprintf("%s (%d contracts, on its fixtures)",
		filepath.Base(example), n), dir: example, target: 2 * time.Second}}
	for _, size := range []int{100, 500} {
		dir := filepath.Join(h.Work, fmt.Sprintf("estate-%d", size))
		if _, err := ScaleEstate(example, dir, size); err != nil {
			return nil, err
		}
		bc := buildCase{name: fmt.Sprintf("%d contracts (synthesised validation)", size),
			dir: dir}
		if size == 500 {
			bc.target = 30 * time.Second
		}
		cases = append(cases, bc)
	}
	return cases, nil
}

// measureBuild builds into a fresh folder each time, as a first build does,
// and returns the median run and the folder of the last.
func (h *Harness) measureBuild(ctx context.Context, bc buildCase) (Measured, string, error) {
	var runs []Measured
	var out string
	for i := 0; i < h.Repeat; i++ {
		out = filepath.Join(h.Work, "out", fmt.Sprintf("%s-%d", filepath.Base(bc.dir), i))
		if err := os.RemoveAll(out); err != nil {
			return Measured{}, "", err
		}
		m, err := ExecWant(ctx, []int{0}, h.bin, "build", bc.dir, "--out", out)
		if err != nil {
			return Measured{}, "", err
		}
		runs = append(runs, m)
	}
	return median(runs), out, nil
}

// repeat runs a command Repeat times and returns the median run, with the
// highest peak memory of all.
func (h *Harness) repeat(ctx context.Context, codes []int, name string,
	args ...string) (Measured, error) {
	var runs []Measured
	for i := 0; i < h.Repeat; i++ {
		m, err := ExecWant(ctx, codes, name, args...)
		if err != nil {
			return Measured{}, err
		}
		runs = append(runs, m)
	}
	return median(runs), nil
}

func median(runs []Measured) Measured {
	sort.Slice(runs, func(i, j int) bool { return runs[i].Wall < runs[j].Wall })
	m := runs[len(runs)/2]
	for _, r := range runs {
		m.MaxRSS = max(m.MaxRSS, r.MaxRSS)
	}
	return m
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
func millis(d time.Duration) string  { return fmt.Sprintf("%d ms", d.Milliseconds()) }
func mib(m Measured) string          { return fmt.Sprintf("%.0f MiB", m.MiB()) }
