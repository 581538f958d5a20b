package engine

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/stretchr/testify/require"
)

func project(models map[string]string) map[string][]byte {
	files := map[string][]byte{
		"dbt_project.yml": []byte("name: p\nvars:\n  threshold: 2\nmodels:\n  p:\n" +
			"    marts:\n      +materialized: table\n"),
		"macros/double.sql": []byte("{% macro double(x) %}{{ return(adapter.dispatch(" +
			"'double')(x)) }}{% endmacro %}\n{% macro default__double(x) %}({{ x }} * 2)" +
			"{% endmacro %}\n{% macro duckdb__double(x) %}({{ x }} + {{ x }}){% endmacro %}\n"),
		"tests/generic/no_rows.sql": []byte("{% test no_rows(model) %}\nselect * from " +
			"{{ model }}\n{% endtest %}\n"),
	}
	for path, sql := range models {
		files[path] = []byte(sql)
	}
	return files
}

func open(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func scalar(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	var s string
	require.NoError(t, db.QueryRow(query).Scan(&s))
	return s
}

func TestModelsRunInDependencyOrderWithMacrosAndVars(t *testing.T) {
	p, err := Load(project(map[string]string{
		"models/marts/c.sql":   "select n + {{ var('threshold') }} as n from {{ ref('b') }}",
		"models/staging/a.sql": "select 1 as n",
		"models/staging/b.sql": "select {{ double('n') }} as n from {{ ref('a') }}",
	}))
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b", "c"}, names(p.Models))
	require.Equal(t, "table", p.Model("c").Materialized, "folder config applies")
	require.Equal(t, "view", p.Model("a").Materialized, "views by default")

	db := open(t)
	require.NoError(t, p.Build(context.Background(), db, Options{Vars: map[string]any{
		"threshold": int64(10)}}))
	require.Equal(t, "12", scalar(t, db, "select n from main.c"))
	require.Equal(t, "BASE TABLE", scalar(t, db,
		"select table_type from information_schema.tables where table_name = 'c'"))
}

func names(ms []*Model) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	return out
}

func TestConfigInTheModelOverridesTheFolder(t *testing.T) {
	p, err := Load(project(map[string]string{
		"models/marts/v.sql": "{{ config(materialized='view') }}\nselect 1 as n",
	}))
	require.NoError(t, err)
	require.Equal(t, "view", p.Model("v").Materialized)
}

func TestARuntimeErrorNamesTheModelFileAndLine(t *testing.T) {
	p, err := Load(project(map[string]string{
		"models/a.sql": "-- a comment\nselect\n    1 as n,\n    missing_column as m\n",
	}))
	require.NoError(t, err)

	err = p.Build(context.Background(), open(t), Options{})
	var me *ModelError
	require.ErrorAs(t, err, &me)
	require.Equal(t, "a", me.Model)
	require.Equal(t, "models/a.sql", me.Path)
	require.Equal(t, 4, me.Line)
	require.Contains(t, err.Error(), "models/a.sql:4: model a failed:")
}

func TestLinesAreMappedThroughMacroExpansion(t *testing.T) {
	p, err := Load(project(map[string]string{
		"models/a.sql": "select\n    {{ double('1') }} as n,\n    nope(1) as m\n",
	}))
	require.NoError(t, err)
	err = p.Build(context.Background(), open(t), Options{})
	var me *ModelError
	require.ErrorAs(t, err, &me)
	require.Equal(t, 3, me.Line)
}

func TestACompileErrorNamesFileLineAndColumn(t *testing.T) {
	_, err := Load(project(map[string]string{
		"models/a.sql": "select 1\nfrom {{ ref('nowhere') }}\n",
	}))
	require.ErrorContains(t, err, "models/a.sql:2:")
	require.ErrorContains(t, err, `ref("nowhere"): no model or seed of that name`)
}

func TestAMissingVarIsAnError(t *testing.T) {
	_, err := Load(project(map[string]string{
		"models/a.sql": "select {{ var('nope') }} as n",
	}))
	require.ErrorContains(t, err, `required var "nope"`)
}

func TestACycleIsReportedWithItsModels(t *testing.T) {
	_, err := Load(project(map[string]string{
		"models/a.sql": "select * from {{ ref('b') }}",
		"models/b.sql": "select * from {{ ref('a') }}",
		"models/c.sql": "select 1 as n",
	}))
	require.EqualError(t, err, "models form a cycle: a, b")
}

func TestIncrementalModelsMergeOnTheirUniqueKey(t *testing.T) {
	model := "{{ config(materialized='incremental', unique_key='k') }}\n" +
		"select * from (values ('a', {{ var('v', 0) }}), ('b', {{ var('v', 0) }})) as t(k, v)\n" +
		"{% if is_incremental() %}where k = 'a'{% endif %}"
	p, err := Load(project(map[string]string{"models/inc.sql": model}))
	require.NoError(t, err)
	require.Equal(t, []string{"k"}, p.Model("inc").UniqueKey)

	db := open(t)
	ctx := context.Background()
	require.NoError(t, p.Build(ctx, db, Options{Vars: map[string]any{"v": int64(1)}}))
	require.NoError(t, p.Build(ctx, db, Options{Vars: map[string]any{"v": int64(2)}}))
	require.Equal(t, "a=2,b=1", scalar(t, db,
		"select string_agg(k || '=' || v, ',' order by k) from main.inc"))
}

func TestGenericTestsBecomeMacros(t *testing.T) {
	files := project(map[string]string{"models/a.sql": "select 1 as n"})
	files["models/a.yml"] = []byte("version: 2\nmodels:\n  - name: a\n    data_tests:\n" +
		"      - no_rows:\n          name: a_is_empty\n          config:\n" +
		"            severity: warn\n")
	p, err := Load(files)
	require.NoError(t, err)
	require.Len(t, p.Tests, 1)
	require.Equal(t, "a_is_empty", p.Tests[0].Name)
	require.Equal(t, "warn", p.Tests[0].Severity)
	require.Contains(t, p.macros["tests/generic/no_rows.sql"], "{% macro test_no_rows(model) %}")
}

func TestUnsupportedMaterializationIsRefused(t *testing.T) {
	_, err := Load(project(map[string]string{
		"models/a.sql": "{{ config(materialized='ephemeral') }}select 1",
	}))
	require.ErrorContains(t, err, `materialization "ephemeral" is not supported`)
}

func TestAModelOfTwoStatementsIsRefusedAtTheSecond(t *testing.T) {
	p, err := Load(project(map[string]string{
		"models/a.sql": "select 1 as n;\n\ndrop table x;\n",
		"models/b.sql": "select 1 as n;\n",
	}))
	require.NoError(t, err)
	db := open(t)
	err = p.Build(context.Background(), db, Options{})
	require.EqualError(t, err, "models/a.sql:3: model a failed: a model is one select "+
		"statement; this one has 2")
}

func TestSeedsLoadWithInferredTypes(t *testing.T) {
	files := project(map[string]string{
		"models/a.sql": "select location_class, tolerance_qty * 2 as doubled " +
			"from {{ ref('tolerances') }}",
	})
	files["seeds/tolerances.csv"] = []byte("location_class,tolerance_qty,since\n" +
		"default,0,2026-01-01\nkit_build,0.5,\n")
	files["seeds/empty.csv"] = []byte("key,resolved_at\n")
	p, err := Load(files)
	require.NoError(t, err)
	db := open(t)
	require.NoError(t, p.Build(context.Background(), db, Options{}))
	require.Equal(t, "1", scalar(t, db,
		"select doubled from main.a where location_class = 'kit_build'"))
	require.Equal(t, "DATE", scalar(t, db, "select data_type from duckdb_columns() "+
		"where table_name = 'tolerances' and column_name = 'since'"))
	require.Equal(t, "VARCHAR", scalar(t, db, "select data_type from duckdb_columns() "+
		"where table_name = 'empty' and column_name = 'resolved_at'"))
}

func TestSelectBuildsOnlyTheNamedModels(t *testing.T) {
	p, err := Load(project(map[string]string{
		"models/a.sql": "select 1 as n",
		"models/b.sql": "select n + 1 as n from {{ ref('a') }}",
	}))
	require.NoError(t, err)
	db := open(t)
	_, err = db.Exec("create table main.a as select 41 as n")
	require.NoError(t, err)
	require.NoError(t, p.Build(context.Background(), db, Options{Select: []string{"b"}}))
	require.Equal(t, "42", scalar(t, db, "select n from main.b"))

	err = p.Build(context.Background(), db, Options{Select: []string{"zz"}})
	require.EqualError(t, err, "--select zz: no model of that name")
	require.Equal(t, []string{"a", "b"}, p.Upstream("b"))
	require.Equal(t, []string{"a"}, p.Upstream("a"))
}

func TestDownstreamFollowsSourcesThroughRefs(t *testing.T) {
	files := project(map[string]string{
		"models/a.sql": "select * from {{ source('raw', 'x') }}",
		"models/b.sql": "select * from {{ ref('a') }}",
		"models/c.sql": "select 1 as n",
		"models/d.sql": "select * from {{ source('raw', 'y') }}",
	})
	files["models/src.yml"] = []byte("version: 2\nsources:\n  - name: raw\n    schema: r\n" +
		"    tables:\n      - name: x\n      - name: y\n")
	p, err := Load(files)
	require.NoError(t, err)
	require.Equal(t, []string{"raw"}, p.Model("a").Sources)
	require.Equal(t, []string{"a", "b", "d"}, p.Downstream("raw"))
	require.Empty(t, p.Downstream("other"))
}

func TestTestsStoreFailuresAndTakeTheirSeverity(t *testing.T) {
	files := project(map[string]string{
		"models/a.sql": "select 1 as n union all select 2",
		"models/b.sql": "select 1 as n where 1 = 0",
	})
	files["models/a.yml"] = []byte("version: 2\nmodels:\n" +
		"  - name: a\n    data_tests:\n      - no_rows:\n          name: a_empty\n" +
		"          config: {severity: warn}\n" +
		"      - no_rows:\n          name: a_big\n          config: {where: \"n > 1\"}\n" +
		"  - name: b\n    data_tests:\n      - no_rows\n" +
		"    columns:\n      - name: n\n        data_tests:\n          - bigger:\n" +
		"              arguments: {than: 1}\n")
	files["tests/generic/bigger.sql"] = []byte("{% test bigger(model, column_name, than) %}\n" +
		"select * from {{ model }} where {{ column_name }} <= {{ than }}\n{% endtest %}\n")
	p, err := Load(files)
	require.NoError(t, err)
	db := open(t)
	ctx := context.Background()
	require.NoError(t, p.Build(ctx, db, Options{}))

	results, err := p.RunTests(ctx, db, Options{})
	require.NoError(t, err)
	got := map[string]string{}
	for _, r := range results {
		got[r.Test.Name] = fmt.Sprintf("%s %d", r.Status, r.Failures)
	}
	require.Equal(t, map[string]string{"a_empty": "warn 2", "a_big": "fail 1",
		"no_rows_b": "pass 0", "bigger_b_n": "pass 0"}, got)
	require.Equal(t, "2", scalar(t, db, "select count(*) from main_dbt_test__audit.a_empty"))
}

// run_started_at is the run's one stamp, as dbt gives it: printed as Python
// prints a datetime in UTC, formatted by strftime, and the Unix epoch when
// no start is given, so a proving build compiles the same SQL every time.
func TestRunStartedAtIsTheRunsStamp(t *testing.T) {
	p, err := Load(project(map[string]string{
		"models/marts/stamp.sql": "select '{{ run_started_at }}' as printed, " +
			"'{{ run_started_at.strftime(\"%Y-%m-%d %H:%M:%S.%f\") }}' as formatted",
	}))
	require.NoError(t, err)
	db := open(t)
	started := time.Date(2026, 2, 14, 6, 30, 5, 123456789, time.FixedZone("CET", 3600))
	require.NoError(t, p.Build(context.Background(), db, Options{RunStartedAt: started}))
	require.Equal(t, "2026-02-14 05:30:05.123456+00:00", scalar(t, db,
		"select printed from main.stamp"))
	require.Equal(t, "2026-02-14 05:30:05.123456", scalar(t, db,
		"select formatted from main.stamp"))

	require.NoError(t, p.Build(context.Background(), db, Options{}))
	require.Equal(t, "1970-01-01 00:00:00+00:00", scalar(t, db,
		"select printed from main.stamp"))
	require.Equal(t, "1970-01-01 00:00:00.000000", scalar(t, db,
		"select formatted from main.stamp"))
}

func TestAnUnsupportedStrftimeDirectiveIsAnError(t *testing.T) {
	_, err := Load(project(map[string]string{
		"models/marts/stamp.sql": "select '{{ run_started_at.strftime(\"%j\") }}' as day",
	}))
	require.ErrorContains(t, err, "stamp.sql:1:12: strftime directive %j is not supported")
}
