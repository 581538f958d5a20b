// Package engine runs a generated dbt project in embedded DuckDB without
// dbt: it reads the project's own files as dbt would (dbt_project.yml, the
// sources and models YAML, models, macros and generic tests), compiles each
// model's Jinja to DuckDB SQL and executes the models in dependency order.
//
// invgen uses it to prove a project before writing it, and `invgen run`
// uses it to give a team results in a minute with no warehouse. It compiles
// only the dbt Jinja invgen generates: ref, source, var, config,
// is_incremental, this, the project's own macros through adapter.dispatch,
// and the dbt.* cross-database macros listed in builtins.go, each mirroring
// dbt-duckdb's rendering. Anything else is a compile error naming the file,
// line and column.
package engine
