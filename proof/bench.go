package proof

import (
	"context"
	"database/sql"
	"reflect"
	"sort"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/synth"
)

// workbench is a database that holds one estate at a time. Proving swaps
// fault estates in source by source and rebuilds only the models the
// swapped sources feed and the proof reads, which is most of the speed of a
// build with proofs.
type workbench struct {
	ctx     context.Context
	e       *contracts.Estate
	project *engine.Project
	db      *sql.DB
	loaded  map[string]*synth.Table
	stale   map[string]bool // models whose inputs changed since they were built
	vars    map[string]any
}

// newWorkbench loads an estate and builds every model on it.
func newWorkbench(ctx context.Context, e *contracts.Estate, project *engine.Project,
	w *synth.World) (*workbench, error) {
	db, err := openSmall()
	if err != nil {
		return nil, err
	}
	wb := &workbench{ctx: ctx, e: e, project: project, db: db,
		loaded: map[string]*synth.Table{}, stale: map[string]bool{},
		vars: map[string]any{"invgen_as_of_date": w.AsOf()}}
	if err := fixtures.CreateRaw(ctx, db, e); err != nil {
		db.Close()
		return nil, err
	}
	if err := wb.load(w.Render()); err != nil {
		db.Close()
		return nil, err
	}
	err = project.Build(ctx, db, engine.Options{Vars: wb.vars})
	if err != nil {
		db.Close()
		return nil, err
	}
	wb.stale = map[string]bool{}
	return wb, nil
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

// load replaces every raw table that differs from what is loaded and marks
// the models downstream of it stale.
func (wb *workbench) load(tables map[string]*synth.Table) error {
	var changed []string
	for _, con := range wb.e.Contracts {
		t := tables[con.Source]
		if old, ok := wb.loaded[con.Source]; ok && reflect.DeepEqual(old.Rows, t.Rows) {
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

// swap loads a world and rebuilds the stale models that the given models
// read, so that those can be queried.
func (wb *workbench) swap(w *synth.World, queried ...string) error {
	if err := wb.load(w.Render()); err != nil {
		return err
	}
	var rebuild []string
	for _, m := range wb.project.Upstream(queried...) {
		if wb.stale[m] {
			rebuild = append(rebuild, m)
			delete(wb.stale, m)
		}
	}
	sort.Strings(rebuild)
	if len(rebuild) == 0 {
		return nil
	}
	return wb.project.Build(wb.ctx, wb.db, engine.Options{Vars: wb.vars, Select: rebuild})
}
