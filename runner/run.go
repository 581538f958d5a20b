// Package runner runs a generated project on embedded DuckDB over a folder of
// raw data files, the way a warehouse would run it daily, and gathers the
// alerts a team acts on: grouped by tier, valued, and each traced to the
// contract and owner behind it.
//
// A run is one transaction: raw data is loaded, every model is built and
// every test run, and only then is anything kept. A bad data file or a
// failing model leaves the database exactly as it was. Kept state is the
// point: run daily against the same database file, the breaks ledger
// accumulates as it would in the warehouse.
package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	c "github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/duckconn"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/generator"
)

// Options say what to run on.
type Options struct {
	// DataDir holds one <source>.csv or <source>.parquet per contract.
	DataDir string

	// DB is the DuckDB file that keeps state between runs; "" runs in
	// memory.
	DB string

	// AsOf is the date the run judges, YYYY-MM-DD; "" means today.
	AsOf string

	// Progress hears about each model as it is built.
	Progress func(model string, elapsed time.Duration)
}

// Run loads the data, builds the project and runs its tests in one
// transaction, then reads the alerts.
func Run(ctx context.Context, e *c.Estate, res *generator.Result, opt Options) (*Report, error) {
	start := time.Now()
	project, err := engine.Load(res.All())
	if err != nil {
		return nil, err
	}
	paths, err := dataFiles(e, opt.DataDir)
	if err != nil {
		return nil, err
	}

	// A run that fails keeps nothing: a database file it created is
	// removed, or the next run would take an empty file for kept state.
	created := opt.DB != "" && !exists(opt.DB)
	rep, err := runOn(ctx, e, project, paths, opt)
	if err != nil && created {
		if rmErr := removeDB(opt.DB); rmErr != nil {
			err = errors.Join(err, rmErr)
		}
	}
	if err != nil {
		return nil, err
	}
	rep.Models, rep.Elapsed = len(project.Models), time.Since(start)
	rep.Currency = e.Project.Currency
	return rep, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// removeDB removes a DuckDB file and its write-ahead log.
func removeDB(path string) error {
	var errs []error
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// runOn opens the database and runs the project on it.
func runOn(ctx context.Context, e *c.Estate, project *engine.Project,
	paths map[string]string, opt Options) (*Report, error) {
	db, err := duckconn.Open(opt.DB)
	if err != nil {
		return nil, err
	}
	defer db.Close()

	// Nothing a run builds depends on the order rows were stored in, and
	// DuckDB writes large tables faster when it may store them out of order.
	if _, err := db.ExecContext(ctx, "set preserve_insertion_order = false"); err != nil {
		return nil, err
	}

	results, err := runAtomically(ctx, db, e, project, paths, opt)
	if err != nil {
		return nil, err
	}
	return report(ctx, &reporter{db: db, estate: e, project: project}, results, opt.AsOf)
}

// dataFiles finds every source's data file; a missing one is an error, as a
// missing feed is.
func dataFiles(e *c.Estate, dir string) (map[string]string, error) {
	paths := map[string]string{}
	var missing []error
	for _, con := range e.Contracts {
		path, err := fixtures.Find(dir, con.Source)
		if err != nil {
			return nil, err
		}
		if path == "" {
			missing = append(missing, &fixtures.DataError{Msg: fmt.Sprintf(
				"%s: no data for source %s (expected %s.csv or %s.parquet)",
				filepath.Clean(dir), con.Source, con.Source, con.Source)})
			continue
		}
		paths[con.Source] = path
	}
	return paths, errors.Join(missing...)
}

func vars(asOf string) map[string]any {
	if asOf == "" {
		return nil
	}
	return map[string]any{"invgen_as_of_date": asOf}
}

// runAtomically loads, builds and tests inside one transaction. Raw tables
// in a database the contracts name live in attached memory, which DuckDB
// will not write in the same transaction as the file, so those load first.
func runAtomically(ctx context.Context, db *sql.DB, e *c.Estate, project *engine.Project,
	paths map[string]string, opt Options) ([]engine.TestResult, error) {
	if err := fixtures.Attach(ctx, db, e); err != nil {
		return nil, err
	}
	for _, con := range e.Contracts {
		if con.Relation.Database != "" {
			if err := loadRaw(ctx, db, con, paths[con.Source]); err != nil {
				return nil, err
			}
		}
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	results, err := runIn(ctx, tx, e, project, paths, opt)
	if err != nil {
		return nil, errors.Join(err, tx.Rollback())
	}
	return results, tx.Commit()
}

func runIn(ctx context.Context, tx *sql.Tx, e *c.Estate, project *engine.Project,
	paths map[string]string, opt Options) ([]engine.TestResult, error) {
	for _, con := range e.Contracts {
		if con.Relation.Database == "" {
			if err := loadRaw(ctx, tx, con, paths[con.Source]); err != nil {
				return nil, err
			}
		}
	}
	// The run's one stamp: the ledger keeps the latest run of each date.
	eopt := engine.Options{Vars: vars(opt.AsOf), Progress: opt.Progress,
		RunStartedAt: time.Now()}
	if err := project.Build(ctx, tx, eopt); err != nil {
		return nil, err
	}
	return project.RunTests(ctx, tx, eopt)
}

func loadRaw(ctx context.Context, db fixtures.Execer, con *c.Contract, path string) error {
	if err := fixtures.CreateTable(ctx, db, con); err != nil {
		return err
	}
	return fixtures.LoadFile(ctx, db, con, path)
}
