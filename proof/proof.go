// Package proof runs a generated project in embedded DuckDB before anything
// is written: every model must compile and run on data shaped by the
// contracts, either the user's fixtures or an estate synthesised from the
// contracts themselves.
package proof

import (
	"context"
	"database/sql"
	"time"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/duckconn"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/synth"
)

// Data says where the raw rows come from.
type Data struct {
	// Dir is a folder of <source>.csv or <source>.parquet files; empty means
	// synthesise a clean estate from the contracts.
	Dir string

	// Params size the synthesised estate.
	Params synth.Params
}

// Report is what validation did.
type Report struct {
	Models    int
	Loaded    []string // sources with data
	Empty     []string // sources validated on an empty table: no fixture file
	Elapsed   time.Duration
	Synthetic bool
}

// Validate builds every model of the project (files, as generated) against
// the data, in dependency order, in a fresh in-memory database.
func Validate(ctx context.Context, e *contracts.Estate, files map[string][]byte,
	data Data) (*Report, error) {
	start := time.Now()
	project, err := engine.Load(files)
	if err != nil {
		return nil, err
	}

	db, err := openSmall()
	if err != nil {
		return nil, err
	}
	defer db.Close()

	rep := &Report{Models: len(project.Models), Synthetic: data.Dir == ""}
	if err := load(ctx, db, e, data, rep); err != nil {
		return nil, err
	}
	if err := project.Build(ctx, db, engine.Options{ViewsAsTables: true}); err != nil {
		return nil, err
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// Open opens a DuckDB database: a file, or memory when path is empty. One
// connection serves every statement so attached catalogs and temporary
// tables stay visible.
func Open(path string) (*sql.DB, error) {
	return duckconn.Open(path)
}

func load(ctx context.Context, db *sql.DB, e *contracts.Estate, data Data, rep *Report) error {
	if err := fixtures.CreateRaw(ctx, db, e); err != nil {
		return err
	}
	if data.Dir == "" {
		return loadSynthetic(ctx, db, e, data.Params, rep)
	}
	for _, con := range e.Contracts {
		path, err := fixtures.Find(data.Dir, con.Source)
		if err != nil {
			return err
		}
		if path == "" {
			rep.Empty = append(rep.Empty, con.Source)
			continue
		}
		if err := fixtures.LoadFile(ctx, db, con, path); err != nil {
			return err
		}
		rep.Loaded = append(rep.Loaded, con.Source)
	}
	return nil
}

func loadSynthetic(ctx context.Context, db *sql.DB, e *contracts.Estate, p synth.Params,
	rep *Report) error {
	if p.Days == 0 {
		p = synth.DefaultParams()
	}
	tables := synth.NewWorld(e, p).Render()
	for _, con := range e.Contracts {
		if err := fixtures.LoadTable(ctx, db, con, tables[con.Source]); err != nil {
			return err
		}
		rep.Loaded = append(rep.Loaded, con.Source)
	}
	return nil
}
