package proof

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/synth"
)

// cleanSchema holds a copy of a model's clean rows, made before a fault's
// inputs first build it again, so that once its inputs are clean again it
// is copied back instead of built again. The name keeps clear of any
// schema a contract names.
const cleanSchema = "invgen_proof_clean"

// workbench is a database that holds one estate at a time. Proving swaps
// fault estates in source by source and builds again only what a fault
// changed: a model whose inputs are as they were when it was built stays,
// one whose inputs are the clean estate's again is copied back from the
// copy kept of it, and one built again with rows equal to the clean
// estate's counts as clean for the models that read it. Planning a model
// is most of the cost on data this small, so that is most of the speed of
// a build with proofs; for the same reason views are built as tables,
// planned once rather than inside every model that reads them.
type workbench struct {
	ctx     context.Context
	e       *contracts.Estate
	project *engine.Project
	db      *sql.DB
	vars    map[string]any

	clean  map[string]*synth.Table // the clean estate's raw rows
	loaded map[string]*synth.Table // the raw rows loaded; clean's own where equal

	// versions name the rows each source and model holds: cleanRows for
	// the clean estate's, else a name of its own for each load or build;
	// "" for a model not built. inputs are the versions each model was
	// built from.
	versions map[string]string
	inputs   map[string]string
	next     int

	copied map[string]bool // models with a copy of their clean rows in cleanSchema
	read   map[string]bool // models another model reads
	seeded bool            // the seeds are loaded
}

// cleanRows is the version of rows equal to the clean estate's.
const cleanRows = "clean"

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
		clean: clean, loaded: map[string]*synth.Table{},
		versions: map[string]string{}, inputs: map[string]string{},
		copied: map[string]bool{}, read: map[string]bool{}}
	for _, m := range project.Models {
		for _, d := range m.Deps {
			wb.read[d] = true
		}
	}
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
	_, err := wb.db.ExecContext(wb.ctx, "create schema "+fixtures.Quote(cleanSchema))
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
	wb.versions[model] = ""
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
	err := wb.project.Build(wb.ctx, wb.db, engine.Options{Vars: wb.vars,
		Select: wb.project.Upstream(queried...), SeedsLoaded: wb.seeded,
		ViewsAsTables: true, Around: wb.step})
	wb.seeded = wb.seeded || err == nil
	return err
}

// step brings one model up to date, its inputs being up to date already.
func (wb *workbench) step(m string, build func() error) error {
	inputs, clean := wb.inputsOf(m)
	switch {
	case wb.versions[m] != "" && wb.inputs[m] == inputs:
		return nil
	case clean && wb.copied[m]:
		wb.versions[m], wb.inputs[m] = cleanRows, inputs
		return wb.copyTable(cleanSchema, "main", m)
	}

	if err := wb.keepClean(m); err != nil {
		return err
	}
	if err := build(); err != nil {
		return err
	}
	wb.versions[m], wb.inputs[m] = wb.newVersion(), inputs
	if wb.project.Model(m).Materialized == "incremental" {
		return nil // it keeps rows of the builds before: never clean
	}
	if clean {
		wb.versions[m] = cleanRows
		return nil
	}
	same, err := wb.sameAsClean(m)
	if same {
		wb.versions[m] = cleanRows
	}
	return err
}

// inputsOf names the versions of a model's inputs, and says whether all
// of them are the clean estate's.
func (wb *workbench) inputsOf(m string) (string, bool) {
	model := wb.project.Model(m)
	var parts []string
	clean := true
	for _, s := range model.Sources {
		parts = append(parts, s+"="+wb.versions["source:"+s])
		clean = clean && wb.versions["source:"+s] == cleanRows
	}
	for _, d := range model.Deps {
		parts = append(parts, d+"="+wb.versions[d])
		clean = clean && wb.versions[d] == cleanRows
	}
	return strings.Join(parts, " "), clean
}

func (wb *workbench) newVersion() string {
	wb.next++
	return "v" + strconv.Itoa(wb.next)
}

// keepClean copies a model's clean rows aside before other inputs build it
// again, so that they can be copied back later.
func (wb *workbench) keepClean(m string) error {
	if wb.versions[m] != cleanRows || wb.copied[m] {
		return nil
	}
	if err := wb.copyTable("main", cleanSchema, m); err != nil {
		return err
	}
	wb.copied[m] = true
	return nil
}

// sameAsClean reports whether a model built from a fault's inputs holds
// the clean estate's rows all the same, so that the models reading it
// need not be built again. It is asked only of models others read and
// that have their clean rows kept. Rows compare by their count and the
// sum of their hashes, one scan of each side: a fault's rows that collide
// with the clean ones would have to match a 64-bit sum by chance.
func (wb *workbench) sameAsClean(m string) (bool, error) {
	if !wb.read[m] || !wb.copied[m] {
		return false, nil
	}
	rows := "(select (count(*), coalesce(sum(hash(t)::hugeint), 0)) from %s as t)"
	q := "select " + fmt.Sprintf(rows, fixtures.Quote("main", m)) + " is not distinct from " +
		fmt.Sprintf(rows, fixtures.Quote(cleanSchema, m))
	var same bool
	err := wb.db.QueryRowContext(wb.ctx, q).Scan(&same)
	return same, err
}

// load replaces every raw table that differs from what is loaded and gives
// it a new version, cleanRows where it is the clean estate's.
func (wb *workbench) load(tables map[string]*synth.Table) error {
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
		version := wb.newVersion()
		if t == wb.clean[con.Source] {
			version = cleanRows
		}
		wb.versions["source:"+con.Source] = version
	}
	return nil
}

// sameRows reports whether two tables hold the same rows in the same order.
func sameRows(a, b *synth.Table) bool {
	return a == b || slices.EqualFunc(a.Rows, b.Rows, slices.Equal)
}

func (wb *workbench) copyTable(from, to, table string) error {
	_, err := wb.db.ExecContext(wb.ctx, "create or replace table "+
		fixtures.Quote(to, table)+" as select * from "+fixtures.Quote(from, table))
	return err
}
