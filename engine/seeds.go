package engine

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// Seed is a CSV file under seeds/ that dbt seed loads as a table.
type Seed struct {
	Name string
	Path string
	CSV  []byte
}

func (p *Project) addSeed(name string, data []byte) error {
	seed := strings.TrimSuffix(path.Base(name), ".csv")
	if _, dup := p.byName[seed]; dup {
		return fmt.Errorf("%s: seed %s has the name of a model", name, seed)
	}
	p.Seeds = append(p.Seeds, &Seed{Name: seed, Path: name, CSV: data})
	p.seeds[seed] = true
	return nil
}

// load creates the seed's table. Column types are inferred as dbt's agate
// does for the values invgen writes: numbers, dates, timestamps, else text;
// a column with no values is text.
func (s *Seed) load(ctx context.Context, db DB, target string) error {
	records, err := csv.NewReader(bytes.NewReader(s.CSV)).ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", s.Path, err)
	}
	if len(records) == 0 {
		return fmt.Errorf("%s: a seed needs a header row", s.Path)
	}
	header, rows := records[0], records[1:]

	cols := make([]string, len(header))
	types := make([]string, len(header))
	for i, h := range header {
		types[i] = inferType(rows, i)
		cols[i] = quote(h) + " " + types[i]
	}
	stmt := "create or replace table " + target + " (" + strings.Join(cols, ", ") + ")"
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("%s: %w", s.Path, err)
	}
	return insertRows(ctx, db, target, types, rows, s.Path)
}

func inferType(rows [][]string, col int) string {
	kinds := []struct {
		name string
		ok   func(string) bool
	}{
		{"double", func(v string) bool { _, err := strconv.ParseFloat(v, 64); return err == nil }},
		{"date", func(v string) bool { _, err := time.Parse("2006-01-02", v); return err == nil }},
		{"timestamp", func(v string) bool {
			_, err := time.Parse("2006-01-02 15:04:05", v)
			return err == nil
		}},
	}
	for _, k := range kinds {
		seen, all := false, true
		for _, r := range rows {
			if r[col] == "" {
				continue
			}
			seen = true
			all = all && k.ok(r[col])
		}
		if seen && all {
			return k.name
		}
	}
	return "varchar"
}

func insertRows(ctx context.Context, db DB, target string, types []string,
	rows [][]string, file string) error {
	for _, r := range rows {
		vals := make([]string, len(r))
		for i, v := range r {
			vals[i] = literal(v, types[i])
		}
		stmt := "insert into " + target + " values (" + strings.Join(vals, ", ") + ")"
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	return nil
}

func literal(v, typ string) string {
	if v == "" {
		return "null"
	}
	return "cast('" + strings.ReplaceAll(v, "'", "''") + "' as " + typ + ")"
}
