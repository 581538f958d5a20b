package duckconn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/stretchr/testify/require"
)

func open(t testing.TB) *sql.DB {
	t.Helper()
	db, err := Open("")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// The pinned duckdb-go keeps its connection where rawConnection looks; an
// upgrade that moves it fails here rather than silently planning twice.
func TestTheFastPathIsActive(t *testing.T) {
	direct, err := Direct(context.Background(), open(t))
	require.NoError(t, err)
	require.True(t, direct)
}

func TestExecRunsEveryStatementAndCountsRows(t *testing.T) {
	db := open(t)
	_, err := db.Exec("create table t (i integer); insert into t values (1), (2)")
	require.NoError(t, err)

	res, err := db.Exec("update t set i = i + 10")
	require.NoError(t, err)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	require.EqualValues(t, 2, n)

	var sum int
	require.NoError(t, db.QueryRow("select sum(i) from t").Scan(&sum))
	require.Equal(t, 23, sum)
}

func TestExecWithArgumentsTakesDuckdbGosPath(t *testing.T) {
	db := open(t)
	_, err := db.Exec("create table t (s varchar)")
	require.NoError(t, err)
	_, err = db.Exec("insert into t values (?)", "it's")
	require.NoError(t, err)

	var s string
	require.NoError(t, db.QueryRow("select s from t").Scan(&s))
	require.Equal(t, "it's", s)
}

// Errors read as duckdb-go's do: typed, with DuckDB's message and the line
// it points at, which the engine maps back to a model's file.
func TestErrorsAreTypedWithTheirLine(t *testing.T) {
	_, err := open(t).Exec("select 1 as a,\n  missing_column")
	var de *duckdb.Error
	require.ErrorAs(t, err, &de)
	require.Equal(t, duckdb.ErrorTypeBinder, de.Type)
	require.Contains(t, de.Msg, "missing_column")
	require.Contains(t, de.Msg, "LINE 2:")
}

func TestATransactionRollsBackWhatItRan(t *testing.T) {
	db := open(t)
	_, err := db.Exec("create table t (i integer)")
	require.NoError(t, err)

	tx, err := db.Begin()
	require.NoError(t, err)
	_, err = tx.Exec("insert into t select range from range(5)")
	require.NoError(t, err)
	require.NoError(t, tx.Rollback())

	var n int
	require.NoError(t, db.QueryRow("select count(*) from t").Scan(&n))
	require.Zero(t, n)
}

func TestCancellingTheContextInterruptsAStatement(t *testing.T) {
	db := open(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()

	start := time.Now()
	_, err := db.ExecContext(ctx, "create table t as select count(*) from range(10000000000)")
	require.Error(t, err)
	require.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
	require.Less(t, time.Since(start), 10*time.Second)

	_, err = db.Exec("select 1")
	require.NoError(t, err, "the connection is usable after an interrupt")
}

// wideUnion is the shape that made the fast path worth having: one CTE and
// one branch per source, as a large estate's daily row counts are.
func wideUnion(b *testing.B, db *sql.DB, n int) string {
	b.Helper()
	ctes, branches := make([]string, n), make([]string, n)
	for i := range branches {
		_, err := db.Exec(fmt.Sprintf("create table s%d as select range as q, "+
			"range %% 7 as k, date '2026-01-01' + (range %% 30)::int as d from range(10)", i))
		require.NoError(b, err)
		ctes[i] = fmt.Sprintf("keys_%d as (select distinct d, k, q from s%d "+
			"where d is not null)", i, i)
		branches[i] = fmt.Sprintf("select '%d' as source, d, count(*) as n from keys_%d "+
			"group by d", i, i)
	}
	return "create or replace table u as with " + strings.Join(ctes, ",\n") + "\n" +
		strings.Join(branches, "\nunion all\n")
}

// BenchmarkWideUnion builds a 300-branch union through duckdb_query and
// through duckdb-go's prepare-then-execute.
func BenchmarkWideUnion(b *testing.B) {
	for _, path := range []string{"direct", "prepared"} {
		b.Run(path, func(b *testing.B) {
			db := open(b)
			query := wideUnion(b, db, 300)
			var args []any
			if path == "prepared" {
				query = strings.Replace(query, "'0'", "?", 1)
				args = []any{"0"}
			}
			for b.Loop() {
				if _, err := db.Exec(query, args...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
