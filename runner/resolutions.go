package runner

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/invgen/invgen/fixtures"
)

// resolutionColumns are the columns of the resolutions seed the team keeps,
// as the ledger reads them.
var resolutionColumns = []string{"break_key", "root_cause", "resolution", "resolved_at"}

// CheckResolutions checks the resolutions seed the team maintains before
// a run reads it: its header names exactly the seed's columns, every row
// has a value for each, names a break and the date it was resolved
// (YYYY-MM-DD), and no break is resolved twice. A seed that fails would
// otherwise stop the run at the ledger, as a model error far from the line
// at fault. Every problem is reported at once, as path:line:col, in a
// *fixtures.DataError.
func CheckResolutions(path string, data []byte) error {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if line, col, found, _ := fixtures.UnterminatedQuote(bytes.NewReader(data)); found {
		return &fixtures.DataError{Msg: fmt.Sprintf("%s:%d:%d: this quote opens a field "+
			"that is never closed: every line after it would be read into that field",
			path, line, col)}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.LazyQuotes = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return &fixtures.DataError{Msg: fmt.Sprintf("%s:1:1: the file is empty: expected "+
			"the header %s", path, strings.Join(resolutionColumns, ","))}
	}
	if err != nil {
		return &fixtures.DataError{Msg: fmt.Sprintf("%s: %v", path, err)}
	}
	at := func(field int) string {
		line, col := r.FieldPos(field)
		return fmt.Sprintf("%s:%d:%d", path, line, col)
	}
	problems, index := checkResolutionHeader(header, at)
	if len(problems) > 0 {
		return &fixtures.DataError{Msg: strings.Join(problems, "\n")}
	}
	problems = checkResolutionRows(r, header, index, at)
	if len(problems) > 0 {
		return &fixtures.DataError{Msg: strings.Join(problems, "\n")}
	}
	return nil
}

// checkResolutionHeader insists on the seed's columns, in any order, and
// returns where each is.
func checkResolutionHeader(header []string, at func(int) string) ([]string, map[string]int) {
	index := map[string]int{}
	var problems []string
	for i, name := range header {
		_, dup := index[name]
		switch {
		case dup:
			problems = append(problems, fmt.Sprintf("%s: column %q appears twice", at(i),
				name))
		case !isResolutionColumn(name):
			problems = append(problems, fmt.Sprintf("%s: column %q is not one of the "+
				"seed's: %s", at(i), name, strings.Join(resolutionColumns, ", ")))
		}
		index[name] = i
	}
	for _, col := range resolutionColumns {
		if _, ok := index[col]; !ok {
			problems = append(problems, fmt.Sprintf("%s: the header has no column %s: "+
				"want %s", at(0), col, strings.Join(resolutionColumns, ",")))
		}
	}
	return problems, index
}

func isResolutionColumn(name string) bool {
	for _, col := range resolutionColumns {
		if col == name {
			return true
		}
	}
	return false
}

// checkResolutionRows checks every row: as many fields as the header, a
// break key, a resolution date, and each break resolved once.
func checkResolutionRows(r *csv.Reader, header []string, index map[string]int,
	at func(int) string) []string {
	var problems []string
	firstAt := map[string]string{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return problems
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			problems = append(problems, raggedResolution(rec, header, at))
			continue
		}
		if err != nil {
			return append(problems, err.Error())
		}
		key, date := index["break_key"], index["resolved_at"]
		if strings.TrimSpace(rec[key]) == "" {
			problems = append(problems, fmt.Sprintf("%s: break_key is empty: a resolution "+
				"names the break_key of a breaks_ledger row", at(key)))
		} else if first, dup := firstAt[rec[key]]; dup {
			problems = append(problems, fmt.Sprintf("%s: break %s is resolved twice, first "+
				"at %s: the ledger would list it twice", at(key), rec[key], first))
		} else {
			firstAt[rec[key]] = at(key)
		}
		if _, err := time.Parse(time.DateOnly, rec[date]); err != nil {
			problems = append(problems, fmt.Sprintf("%s: resolved_at %q is not a date: "+
				"want YYYY-MM-DD, the day the break was resolved", at(date), rec[date]))
		}
	}
}

// raggedResolution points at the first field past the header's, or at the
// last field of a row that ends early.
func raggedResolution(rec, header []string, at func(int) string) string {
	if len(rec) > len(header) {
		return fmt.Sprintf("%s: the row has %d fields, the header %d: a value past the "+
			"last column, %s", at(len(header)), len(rec), len(header), header[len(header)-1])
	}
	return fmt.Sprintf("%s: the row has %d %s, the header %d: no value for column %s",
		at(len(rec)-1), len(rec), pluralOf(len(rec), "field"), len(header), header[len(rec)])
}

func pluralOf(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
