package integration

import (
	"fmt"
	"sort"
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// loaderProject is a dbt project whose seeds are the raw tables of an
// estate, one CSV file per source: dbt seed puts every source's rows where
// its contract says, typed as the contract says, on any adapter.
func loaderProject(e *c.Estate, seeds map[string][]byte, adapter string) map[string][]byte {
	files := map[string][]byte{
		"dbt_project.yml": []byte(fmt.Sprintf("name: invgen_raw\nversion: \"1.0.0\"\n"+
			"profile: %s\nseed-paths: [\"seeds\"]\nmacro-paths: [\"macros\"]\n",
			e.Project.Profile)),
		// Seeds land in the contract's schema itself, not <target>_<schema>.
		"macros/generate_schema_name.sql": []byte(
			"{% macro generate_schema_name(custom, node) %}" +
				"{{ custom if custom else target.schema }}{% endmacro %}\n"),
	}
	var props strings.Builder
	props.WriteString("version: 2\n\nseeds:\n")
	for _, con := range e.Contracts {
		files["seeds/"+con.Source+".csv"] = seeds[con.Source]
		seedProperties(&props, con, adapter)
	}
	files["seeds/_raw.yml"] = []byte(props.String())
	return files
}

func seedProperties(b *strings.Builder, con *c.Contract, adapter string) {
	fmt.Fprintf(b, "  - name: %s\n    config:\n      schema: %s\n      alias: %s\n"+
		"      column_types:\n", con.Source, con.Relation.Schema, con.Relation.Table)
	cols := make([]string, 0, len(con.Columns))
	for _, col := range con.Columns {
		cols = append(cols, fmt.Sprintf("        %s: %s\n", col.Name, adapterType(col, adapter)))
	}
	sort.Strings(cols)
	for _, line := range cols {
		b.WriteString(line)
	}
}

// adapterType is a contract column's type on an adapter, as the producer's
// raw table would hold it.
func adapterType(col c.Column, adapter string) string {
	t, err := c.ParseType(col.Type)
	if err != nil {
		return "varchar"
	}
	spark := adapter == "spark"
	switch t.Base {
	case "string":
		if spark {
			return "string"
		}
		return "varchar"
	case "integer":
		return "int"
	case "decimal", "float":
		if t.Precision > 0 {
			return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale)
		}
		return "double"
	}
	return t.Base
}
