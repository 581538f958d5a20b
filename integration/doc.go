// Package integration runs generated projects under real dbt-core with its
// real adapters: DuckDB, PostgreSQL (a private server the tests start) and
// Spark (a local session), and parses them for Snowflake. A generated
// project that only invgen's own engine has run is not proven; these tests
// are what prove it on the engines teams run in production.
//
// The tests need the Python environment of requirements.txt and, for
// PostgreSQL, Debian's postgresql package; scripts/test sets both up and
// runs them with INVGEN_INTEGRATION=1. Without it they skip.
package integration
