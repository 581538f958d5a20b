package synth

import (
	"sort"
	"time"

	c "github.com/invgen/invgen/contracts"
)

// controlTotals writes the producer's own count of what it exported per
// business date into the control feed's table.
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
		roles := map[c.Role]string{c.RoleRowCount: num(float64(counts[d]))}
		r.emit(fact{roles: roles, at: d.Add(25 * time.Hour), date: d})
	}
}
