package generator

import (
	"sort"
	"strings"
)

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
	r.render("macros/invgen_checks.sql", "check_macros.sql", r.checksView(view))
}

// checksView adds to the targets the timezones the estate's business dates
// live in: today's date by default is the earliest of them, so that the
// day monitors judge, the one before it, is complete in every source.
func (r *renderer) checksView(targets targetsView) checksView {
	view := checksView{targetsView: targets}
	from := []string{r.projectFile()}
	seen := map[string]bool{}
	for _, con := range r.estate.Contracts {
		tz := con.Semantics.Timezone
		if tz == "" {
			continue
		}
		from = append(from, r.contractPath(con))
		if !seen[tz] {
			seen[tz] = true
			view.Zones = append(view.Zones, tz)
		}
	}
	sort.Strings(view.Zones)
	sort.Strings(from[1:])
	view.Header = strings.Join(header(from...), "\n   ")
	return view
}

// checksView is what the shared check macros need: the targets, and the
// estate's timezones, sorted.
type checksView struct {
	targetsView
	Zones []string
}
