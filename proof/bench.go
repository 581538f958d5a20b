package proof

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/synth"
)

// cleanSchema holds a copy of every table model as the clean estate builds
// it, so that a model whose inputs are clean again is copied back instead
// of built again. The name keeps clear of any schema a contract names.
const cleanSchema = "invgen_proof_clean"

// workbench is a database that holds one estate at a time. Proving swaps
// fault estates in source by source and rebuilds only the models that the
// sources a fault changed feed and the proof reads; a model whose inputs
// are clean again is copied back from the clean estate's copy. Planning a
// model is most of the cost on data this small, so that is most of the
// speed of a build with proofs; for the same reason views are built as
// tables, planned once rather than inside every model that reads them.
type workbench struct {
	ctx     context.Context
	e       *contracts.Estate
	project *engine.Project
	db      *sql.DB
	vars    map[string]any

	clean  map[string]*synth.Table // the clean estate's raw rows
	loaded map[string]*synth.Table // the raw rows loaded; clean's own where equal
	built  map[string]bool         // models that exist in the database
	stale  map[string]bool         // models whose inputs changed since they were built
	copied map[string]bool         // table models with a copy in cleanSchema
	seeded bool                    // the seeds are loaded

	// pure are the table models built as the clean estate builds them:
	// never an incremental one, which keeps rows of the builds before.
	pure map[string]bool
}

// newWorkbench loads an estate and builds every model on it; the estate
// is the clean one later swaps return to.
func newWorkbench(ctx context.Context, e *contracts.Estate, project *engine.Project,
	w *synth.World) (*workbench, error) {
	wb, err := openWorkbench(ctx, e, project, w.Render(), w.AsOf())
	if err != nil {
		return nil, err
	}
	if err := wb.swapTables(wb.clean, wb.allModels()...); err != nil {
		wb.close()
		return nil, err
	}
	return wb, nil
}

// openWorkbench opens a database with empty raw tables and no model built.
func openWorkbench(ctx context.Context, e *contracts.Estate, project *engine.Project,
	clean map[string]*synth.Table, asOf string) (*workbench, error) {
	db, err := openSmall()
	if err != nil {
		return nil, err
	}
	wb := &workbench{ctx: ctx, e: e, project: project, db: db,
		vars:  map[string]any{"invgen_as_of_date": asOf},
		clean: clean, loaded: map[string]*synth.Table{}, built: map[string]bool{},
		stale: map[string]bool{}, pure: map[string]bool{}, copied: map[string]bool{}}
	if err := wb.setUp(); err != nil {
		db.Close()
		return nil, err
	}
	return wb, nil
}

func (wb *workbench) setUp() error {
	if err := fixtures.CreateRaw(wb.ctx, wb.db, wb.e); err != nil {
		return err
	}
	_, err := wb.db.ExecContext(wb.ctx, "create schema "+quote(cleanSchema))
	return err
}

// openSmall opens an in-memory database for a proof: the data is small, so
// one thread per database is faster, and the proofs run side by side.
func openSmall() (*sql.DB, error) {
	db, err := Open("")
	if err != nil {
		return nil, err
	}
	if _, err := db.Exec("set threads = 1"); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (wb *workbench) close() { wb.db.Close() }

func (wb *workbench) allModels() []string {
	names := make([]string, len(wb.project.Models))
	for i, m := range wb.project.Models {
		names[i] = m.Name
	}
	return names
}

// forget makes a model be built again the next time it is read, as its
// project defines it now, for a test that swaps the project.
func (wb *workbench) forget(model string) {
	wb.stale[model] = true
	delete(wb.copied, model)
}

// swap loads a world and brings the models the given models read up to
// date, so that those can be queried.
func (wb *workbench) swap(w *synth.World, queried ...string) error {
	return wb.swapTables(w.Render(), queried...)
}

func (wb *workbench) swapTables(tables map[string]*synth.Table, queried ...string) error {
	if err := wb.load(tables); err != nil {
		return err
	}
	faulty := wb.faulty()

	var rebuild []string
	for _, m := range wb.project.Upstream(queried...) {
		switch {
		case wb.built[m] && !wb.stale[m]:
		case wb.copied[m] && !faulty[m]:
			if err := wb.copyTable(cleanSchema, "main", m); err != nil {
				return err
			}
			wb.pure[m] = true
		default:
			if err := wb.keepClean(m, faulty); err != nil {
				return err
			}
			rebuild = append(rebuild, m)
		}
		delete(wb.stale, m)
	}
	if len(rebuild) == 0 {
		return nil
	}

	err := wb.project.Build(wb.ctx, wb.db, engine.Options{Vars: wb.vars, Select: rebuild,
		SeedsLoaded: wb.seeded, ViewsAsTables: true})
	wb.seeded = wb.seeded || err == nil
	for _, m := range rebuild {
		wb.built[m] = true
		wb.pure[m] = !faulty[m] && wb.project.Model(m).Materialized != "incremental"
	}
	return err
}

// keepClean copies a table model built on the clean estate aside before a
// fault's inputs build it again, so that it can be copied back later.
func (wb *workbench) keepClean(m string, faulty map[string]bool) error {
	if !faulty[m] || !wb.pure[m] || wb.copied[m] {
		return nil
	}
	if err := wb.copyTable("main", cleanSchema, m); err != nil {
		return err
	}
	wb.copied[m] = true
	return nil
}

// load replaces every raw table that differs from what is loaded and marks
// the models downstream of it stale. A table equal to the clean estate's
// is kept as that one, so telling faulty sources apart needs no compare.
func (wb *workbench) load(tables map[string]*synth.Table) error {
	var changed []string
	for _, con := range wb.e.Contracts {
		t := tables[con.Source]
		if c := wb.clean[con.Source]; sameRows(c, t) {
			t = c
		}
		if old, ok := wb.loaded[con.Source]; ok && sameRows(old, t) {
			continue
		}
		if err := fixtures.Replace(wb.ctx, wb.db, con, t); err != nil {
			return err
		}
		wb.loaded[con.Source] = t
		changed = append(changed, con.Source)
	}
	for _, m := range wb.project.Downstream(changed...) {
		wb.stale[m] = true
	}
	return nil
}

// sameRows reports whether two tables hold the same rows in the same order.
func sameRows(a, b *synth.Table) bool {
	return a == b || slices.EqualFunc(a.Rows, b.Rows, slices.Equal)
}

// faulty is the set of models that read a source whose rows are not the
// clean estate's.
func (wb *workbench) faulty() map[string]bool {
	var sources []string
	for _, con := range wb.e.Contracts {
		if wb.loaded[con.Source] != wb.clean[con.Source] {
			sources = append(sources, con.Source)
		}
	}
	out := map[string]bool{}
	for _, m := range wb.project.Downstream(sources...) {
		out[m] = true
	}
	return out
}

func (wb *workbench) copyTable(from, to, table string) error {
	_, err := wb.db.ExecContext(wb.ctx, fmt.Sprintf("create or replace table %s.%s as "+
		"select * from %s.%s", to, quote(table), from, quote(table)))
	return err
}

func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
