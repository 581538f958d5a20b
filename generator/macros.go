package generator

import "strings"

type targetsView struct {
	Header    string
	Postgres  bool
	Snowflake bool
	BigQuery  bool
	Spark     bool
}

// macros renders the project's own macros. DuckDB and the default are always
// present: invgen validates on DuckDB, and the default (SQL-standard "at time
// zone") keeps other warehouses working.
func (r *renderer) macros() {
	// The header sits in a Jinja comment, whose lines continue indented.
	view := targetsView{Header: strings.Join(header(r.projectFile()), "\n   ")}
	for _, t := range r.estate.Project.Targets {
		switch t {
		case "postgres":
			view.Postgres = true
		case "snowflake":
			view.Snowflake = true
		case "bigquery":
			view.BigQuery = true
		case "spark":
			view.Spark = true
		}
	}
	r.render("macros/invgen_time.sql", "time_macros.sql", view)
	r.render("macros/invgen_types.sql", "type_macros.sql", view)
	r.render("tests/generic/invgen_no_rows.sql", "generic_tests.sql", view)
	r.render("macros/invgen_checks.sql", "check_macros.sql", view)
}
