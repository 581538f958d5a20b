// Package golden holds the generated dbt project of every example estate,
// committed so that reviewers see exactly what a change to invgen does to
// the SQL and YAML a data team would get.
package golden
