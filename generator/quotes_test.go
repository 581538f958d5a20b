package generator_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/generator"
)

// A quote inside a code or an owner reaches SQL through dbt's
// escape_single_quotes, never doubled by hand: Spark reads a doubled quote
// as two literals run together, and Snowflake and BigQuery escape with \'.
func TestQuotesInValuesEscapeThroughDBT(t *testing.T) {
	e := retailEstate(t)
	con := e.Contract("wms_eu_movements")
	con.Owner = "dara.o'neill@retailer.example"
	for i, col := range con.Columns {
		if code, ok := col.Values["ADJ"]; ok {
			delete(con.Columns[i].Values, "ADJ")
			con.Columns[i].Values["AD'J"] = code
		}
	}
	g, err := generator.New()
	require.NoError(t, err)
	res, err := g.Generate(e, generator.Options{ContractDir: ".."})
	require.NoError(t, err)

	base := string(res.Files["models/staging/wms_eu_movements/base_wms_eu_movements.sql"])
	require.Contains(t, base, `when '{{ dbt.escape_single_quotes("AD'J") }}' then 'adjustment'`)
	ledger := string(res.Files["models/ledger/breaks_observed.sql"])
	require.Contains(t, ledger, `'{{ dbt.escape_single_quotes("dara.o'neill@retailer.example") }}'`)
	for path, body := range res.Files {
		require.NotContains(t, string(body), "''neill", path)
		require.NotContains(t, string(body), "AD''J", path)
	}

	require.Equal(t, "dara.o'neill@retailer.example AD'J", probe(t, res.All(),
		`'{{ dbt.escape_single_quotes("dara.o'neill@retailer.example") }}'`+
			` || ' ' || '{{ dbt.escape_single_quotes("AD'J") }}'`))
}

// probe evaluates one SQL expression written in the generated project's
// Jinja, as a model of that project, on DuckDB.
func probe(t *testing.T, files map[string][]byte, expr string) string {
	t.Helper()
	files["models/probe.sql"] = []byte("select " + expr + " as value")
	project, err := engine.Load(files)
	require.NoError(t, err)

	db, err := sql.Open("duckdb", "")
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	defer db.Close()
	require.NoError(t, project.Build(context.Background(), db,
		engine.Options{Select: []string{"probe"}}))
	var value string
	require.NoError(t, db.QueryRow("select value from main.probe").Scan(&value))
	return value
}
