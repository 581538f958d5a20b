package bench

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/invgen/invgen/proof"
	"github.com/invgen/invgen/synth"
)

// table writes a Markdown table, the form the README keeps its figures in.
func table(w io.Writer, header []string, rows [][]string) {
	line := func(cells []string) { fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |") }
	line(header)
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	line(sep)
	for _, r := range rows {
		line(r)
	}
	fmt.Fprintln(w)
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

func money(f float64) string {
	if f == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", f)
}

// detection scores a simulated estate and prints recall, precision and
// value per check and monitor and per planted cause. Its target: every
// fault found, nothing else reported.
func (h *Harness) detection(ctx context.Context) (int, error) {
	s := h.Detect
	h.progress("detection: %d SKUs x %d locations x %d days", s.SKUs, s.Locations, s.Days)
	d, err := Detect(ctx, h.invoke(ctx), h.path(h.Example), filepath.Join(h.Work,
		"detection"), s)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(h.out, "Detection on a simulated estate of %d SKUs at %d locations over %d "+
		"days (seed %d):\n\n", s.SKUs, s.Locations, s.Days, s.Seed)
	var rows [][]string
	for _, c := range d.ByCheck {
		rows = append(rows, scoreRow(c, true))
	}
	table(h.out, []string{"check or monitor", "planted", "found", "recall", "reported",
		"precision", "true value", "value found", "value reported"}, rows)
	rows = nil
	for _, c := range d.ByCause {
		hinted := "-"
		if _, ok := proof.Hints[synth.Fault(c.Name)]; ok {
			hinted = fmt.Sprint(c.Hinted)
		}
		rows = append(rows, append(scoreRow(c, false), fmt.Sprint(c.Reported),
			pct(c.Precision()), hinted))
	}
	table(h.out, []string{"planted cause", "planted", "found", "recall",
		"rows attributed", "precision", "ledger hint right"},
		rows)
	return h.verdict("every planted fault found with its cause's hint, no trap reported",
		d.Perfect(), fmt.Sprintf("%d missed, %d false alarms, %d wrong hints", len(d.Missed),
			len(d.Unexplained), len(d.Mishinted))), nil
}

func scoreRow(s Score, reported bool) []string {
	row := []string{s.Name, fmt.Sprint(s.Planted), fmt.Sprint(s.Found), pct(s.Recall())}
	if reported {
		row = append(row, fmt.Sprint(s.Reported), pct(s.Precision()), money(s.TrueValue),
			money(s.FoundValue), money(s.ReportedValue))
	}
	return row
}

// verdict prints whether a target was met and counts a miss.
func (h *Harness) verdict(target string, met bool, detail string) int {
	mark := "met"
	if !met {
		mark = "MISSED"
	}
	fmt.Fprintf(h.out, "Target (%s): %s (%s).\n\n", target, mark, detail)
	if met {
		return 0
	}
	return 1
}
