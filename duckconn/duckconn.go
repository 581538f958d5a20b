// Package duckconn opens the embedded DuckDB databases invgen builds and runs
// projects in.
//
// DuckDB 2.0 binds and plans a prepared statement again when it executes it
// (duckdb/duckdb#20885 made plan caching less eager), and duckdb-go prepares
// every statement, even one without parameters. Each model would be planned
// twice, and for the wide unions a large estate generates (one branch per
// source, hundreds of sources) planning is most of the cost. A connection
// opened here runs a statement without arguments through duckdb_query, which
// plans it once, and hands everything else to duckdb-go unchanged.
package duckconn

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"reflect"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"
	"github.com/duckdb/duckdb-go/v2"
)

// Open opens a DuckDB database: a file, or memory when path is empty. The
// pool holds one connection, so that attached catalogs, temporary tables
// and an open transaction are seen by every statement.
func Open(path string) (*sql.DB, error) {
	c, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return nil, fmt.Errorf("opening DuckDB %s: %w", path, err)
	}
	db := sql.OpenDB(&connector{inner: c})
	db.SetMaxOpenConns(1)
	return db, nil
}

// Driver is the duckdb-go connection behind a connection of this package,
// for duckdb-go functions that take one, such as its appender.
func Driver(dc any) driver.Conn {
	if c, ok := dc.(*conn); ok {
		return c.Conn
	}
	return dc.(driver.Conn)
}

type connector struct{ inner *duckdb.Connector }

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	dconn, ok := dc.(*duckdb.Conn)
	if !ok {
		return dc, nil
	}
	raw, direct := rawConnection(dconn)
	return &conn{Conn: dconn, raw: raw, direct: direct}, nil
}

func (c *connector) Driver() driver.Driver { return c.inner.Driver() }

// Close closes the database itself, once the pool is closed.
func (c *connector) Close() error { return c.inner.Close() }

// conn is a duckdb-go connection whose parameterless statements skip the
// prepare step.
type conn struct {
	*duckdb.Conn
	raw    bindings.Connection
	direct bool
}

// rawConnection reaches the duckdb_connection inside a duckdb-go
// connection. duckdb-go does not export it, so this reads its one field of
// that type; if a later duckdb-go renames or retypes the field, direct is
// false and every statement takes duckdb-go's own path, slower but the same.
func rawConnection(c *duckdb.Conn) (bindings.Connection, bool) {
	field := reflect.ValueOf(c).Elem().FieldByName("conn")
	if !field.IsValid() || field.Type() != reflect.TypeFor[bindings.Connection]() {
		return bindings.Connection{}, false
	}
	return *(*bindings.Connection)(unsafe.Pointer(field.UnsafeAddr())), true
}

// Direct reports whether db's connection runs parameterless statements
// through duckdb_query, for a test that notices a duckdb-go upgrade losing
// the fast path.
func Direct(ctx context.Context, db *sql.DB) (bool, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer c.Close()
	direct := false
	err = c.Raw(func(dc any) error {
		cc, ok := dc.(*conn)
		direct = ok && cc.direct
		return nil
	})
	return direct, err
}

// ExecContext runs a statement without arguments in one planning pass;
// with arguments it is duckdb-go's.
func (c *conn) ExecContext(ctx context.Context, query string,
	args []driver.NamedValue) (driver.Result, error) {
	if len(args) > 0 || !c.direct {
		return c.Conn.ExecContext(ctx, query, args)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	stop := c.interruptOnCancel(ctx)
	defer stop()

	var res bindings.Result
	defer bindings.DestroyResult(&res)
	if bindings.Query(c.raw, query, &res) == bindings.StateError {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, queryError(&res)
	}
	return driver.RowsAffected(bindings.RowsChanged(&res)), nil
}

// interruptOnCancel interrupts the running statement if ctx ends before it
// does; the returned func stops watching and waits for the watcher.
func (c *conn) interruptOnCancel(ctx context.Context) func() {
	if ctx.Done() == nil {
		return func() {}
	}
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-ctx.Done():
			bindings.Interrupt(c.raw)
		case <-done:
		}
	}()
	return func() {
		close(done)
		<-stopped
	}
}

// queryError is DuckDB's error as duckdb-go reports it, typed by DuckDB's
// own error class, so callers tell errors apart the same way on both paths.
func queryError(res *bindings.Result) error {
	return &duckdb.Error{Type: duckdb.ErrorType(bindings.ResultErrorType(res)),
		Msg: bindings.ResultError(res)}
}
