package synth

import (
	"encoding/csv"
	"io"
	"time"
)

// Table is the raw rows of one source, as text in the source's own format.
// An empty string is NULL, as in the CSV files invgen reads.
type Table struct {
	Source  string
	Columns []string
	Rows    [][]string

	// exported counts, per business date, the rows the producer exported:
	// each delivered row once however often the loader replayed it, and the
	// rows lost on the way. Control totals are these counts.
	exported map[time.Time]int

	// sink, when set, receives rows as they are rendered instead of Rows:
	// a simulation of millions of rows streams them to disk.
	sink func(row []string) error
	err  error
}

// WriteCSV writes the table with a header row.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// add appends a row; it goes to the sink when the table streams.
func (t *Table) add(row []string) {
	if t.sink == nil {
		t.Rows = append(t.Rows, row)
		return
	}
	if t.err == nil {
		t.err = t.sink(row)
	}
}

// count records an exported row of a business date.
func (t *Table) count(date time.Time, n int) {
	if t.exported == nil {
		t.exported = map[time.Time]int{}
	}
	t.exported[date] += n
}
