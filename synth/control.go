package synth

import (
	"math"
	"sort"
	"time"

	c "github.com/invgen/invgen/contracts"
)

// controlTotals writes the producer's own count of what it exported per
// business date into the control feed's table.
//
// On the short day the count is higher than the rows delivered by as many
// rows as min_ratio tolerates, lines the producer counted that moved no
// stock and never landed: a day short of its control total within the
// ratio, which the control totals check must not report. Where the ratio
// leaves no room for a row, the count is exact.
func (w *World) controlTotals(ct *Table, checked *c.Contract, rows *Table) {
	if ct == nil {
		return
	}
	counts := rows.exported
	dates := make([]time.Time, 0, len(counts))
	for d := range counts {
		dates = append(dates, d)
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].Before(dates[j]) })

	con := w.estate.Contract(ct.Source)
	r := &rowWriter{w: w, con: con, t: ct}
	for _, d := range dates {
		n := counts[d]
		if w.isShortDay(d) {
			n += withinRatio(n, checked.Delivery.Completeness.Ratio())
		}
		roles := map[c.Role]string{c.RoleRowCount: num(float64(n))}
		r.emit(fact{roles: roles, at: d.Add(25 * time.Hour), date: d})
	}
}

// isShortDay reports whether date is the business date on which every feed
// with a control total falls short of it within min_ratio: the day before
// the first a partial extract is planted on, in a window of two days or
// more.
func (w *World) isShortDay(date time.Time) bool {
	d := len(w.days)/2 - 1
	return d >= 0 && w.days[d].Equal(date)
}

// withinRatio is how many rows a producer may count beyond the n rows
// delivered while the day still meets min_ratio: the most k for which
// n >= (n + k) × ratio.
func withinRatio(n int, ratio float64) int {
	if ratio >= 1 || ratio <= 0 || n == 0 {
		return 0
	}
	k := int(math.Floor(float64(n)*(1-ratio)/ratio + 1e-9))
	for k > 0 && float64(n) < float64(n+k)*ratio-1e-9 {
		k--
	}
	return k
}
