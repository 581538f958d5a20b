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

	// dates holds each row's business date and replays marks rows a loader
	// delivered twice, for the producer's control totals, which count what
	// the producer exported once per business date.
	dates   []time.Time
	replays []bool
	dropped map[time.Time]int // exported by the producer, lost before landing
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

// add appends a row given as column → value; absent columns are NULL.
func (t *Table) add(values map[string]string) {
	row := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		row[i] = values[c]
	}
	t.Rows = append(t.Rows, row)
}
