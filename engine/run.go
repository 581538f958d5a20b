package engine

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Options tune a run.
type Options struct {
	// Schema is where models are built; "main" when empty.
	Schema string

	// Vars override dbt_project.yml's vars, as dbt's --vars does.
	Vars map[string]any

	// Progress, when set, hears about each model as it is built.
	Progress func(model string, elapsed time.Duration)

	// Select, when set, builds only these models (still in dependency
	// order), as dbt's --select does with plain names; seeds always load
	// unless SeedsLoaded.
	Select []string

	// ViewsAsTables builds views as tables. A view is planned again inside
	// every model that reads it, so on small data, where planning is most
	// of the cost, storing its rows once is faster; and it runs the view's
	// SQL in full, which proves more than binding it does.
	ViewsAsTables bool

	// Around, when set, builds each selected model: it gets the model's
	// name and the func that builds it, and may put the model's rows in
	// place some other way instead, or look at what the build made, as a
	// proof does that keeps rows from earlier builds.
	Around func(model string, build func() error) error

	// SeedsLoaded skips loading the seeds: an earlier build into the same
	// database loaded them, and rebuilding a few models needs them as they
	// are.
	SeedsLoaded bool

	// RunStartedAt is dbt's run_started_at: the one stamp every model of a
	// run shares, which the breaks ledger tells runs apart by. The zero
	// time stands for the Unix epoch, so a build that only proves the
	// project compiles the same SQL every time; a run kept in a database
	// passes the time it started.
	RunStartedAt time.Time
}

// ModelError is a model that failed to compile or run, with the place in its
// file the failure points at.
type ModelError struct {
	Model string
	Path  string
	Line  int
	Err   error
}

// Error leads with the file and line, so an editor or CI log jumps to the
// model that failed.
func (e *ModelError) Error() string {
	where := e.Path
	if e.Line > 0 {
		where += ":" + strconv.Itoa(e.Line)
	}
	return fmt.Sprintf("%s: model %s failed: %v", where, e.Model, e.Err)
}

// Unwrap exposes the underlying failure, so callers can still tell a
// cancelled run or a DuckDB error class apart.
func (e *ModelError) Unwrap() error { return e.Err }

// Build runs every model in dependency order.
func (p *Project) Build(ctx context.Context, db DB, opt Options) error {
	if opt.Schema == "" {
		opt.Schema = "main"
	}
	c, err := newCompiler(p, opt)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx,
		"create schema if not exists "+quote(opt.Schema)); err != nil {
		return err
	}
	for _, s := range p.Seeds {
		if opt.SeedsLoaded {
			break // loaded by an earlier build into this database
		}
		if err := s.load(ctx, db, c.relation(s.Name).Text); err != nil {
			return err
		}
	}
	selected := map[string]bool{}
	for _, name := range opt.Select {
		if p.byName[name] == nil {
			return fmt.Errorf("--select %s: no model of that name", name)
		}
		selected[name] = true
	}
	for _, m := range p.Models {
		if len(selected) > 0 && !selected[m.Name] {
			continue
		}
		start := time.Now()
		build := func() error { return c.build(ctx, db, m) }
		if opt.Around != nil {
			err = opt.Around(m.Name, build)
		} else {
			err = build()
		}
		if err != nil {
			return err
		}
		if opt.Progress != nil {
			opt.Progress(m.Name, time.Since(start))
		}
	}
	return nil
}

func (c *compiler) build(ctx context.Context, db DB, m *Model) error {
	exists := false
	if m.Materialized == "incremental" {
		var err error
		if exists, err = c.tableExists(ctx, db, m.Name); err != nil {
			return err
		}
	}
	res, err := c.compile(m, exists)
	if err != nil {
		return &ModelError{Model: m.Name, Path: m.Path, Err: err}
	}
	sql, serr := singleStatement(res)
	if serr != nil {
		return &ModelError{Model: m.Name, Path: m.Path, Line: res.out.SourceLine(serr.line),
			Err: serr}
	}

	// The statement prefix sits on the model's first line, so DuckDB's line
	// numbers are the compiled SQL's.
	target := c.relation(m.Name).Text
	var stmts []string
	switch {
	case m.Materialized == "view" && !c.viewsAsTables:
		stmts = []string{"create or replace view " + target + " as " + sql}
	case m.Materialized == "table" || !exists:
		stmts = []string{"create or replace table " + target + " as " + sql}
	default:
		stmts = c.mergeStatements(target, m, sql)
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return &ModelError{Model: m.Name, Path: m.Path,
				Line: sourceLine(res, err), Err: err}
		}
	}
	return nil
}

// mergeStatements apply an incremental model's new rows: delete the rows
// they replace by unique key, then insert, as dbt-duckdb's default
// delete+insert strategy does.
func (c *compiler) mergeStatements(target string, m *Model, sql string) []string {
	tmp := quote(m.Name + "__invgen_new")
	stmts := []string{"create or replace temp table " + tmp + " as " + sql}
	if len(m.UniqueKey) > 0 {
		keys := strings.Join(m.UniqueKey, ", ")
		stmts = append(stmts, fmt.Sprintf("delete from %s where (%s) in (select %s from %s)",
			target, keys, keys, tmp))
	}
	return append(stmts, "insert into "+target+" by name select * from "+tmp,
		"drop table "+tmp)
}

func (c *compiler) tableExists(ctx context.Context, db DB, name string) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, "select count(*) from duckdb_tables() where "+
		"schema_name = ? and table_name = ? and database_name = current_database()",
		c.schema, name).Scan(&n)
	return n > 0, err
}

var duckLine = regexp.MustCompile(`LINE (\d+):`)

// sourceLine maps the line a DuckDB error names in the compiled SQL back to
// the model file.
func sourceLine(res *compiled, err error) int {
	m := duckLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return res.out.SourceLine(n)
}

// statementError is a model that is not exactly one statement.
type statementError struct {
	line int
	msg  string
}

func (e *statementError) Error() string { return e.msg }

// singleStatement returns a model's one statement: a model is a select, and
// a trailing semicolon is tolerated as dbt tolerates it.
func singleStatement(res *compiled) (string, *statementError) {
	stmts := Split(res.out.Text)
	switch len(stmts) {
	case 0:
		return "", &statementError{line: 1, msg: "the model compiles to no SQL"}
	case 1:
		return stmts[0].SQL, nil
	}
	return "", &statementError{line: stmts[1].Line, msg: fmt.Sprintf("a model is one "+
		"select statement; this one has %d", len(stmts))}
}

// DB is what the engine runs statements on: a database, one connection or a
// transaction, so that a caller can make a whole run atomic.
type DB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
