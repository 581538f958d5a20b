// Command invgen-bench reproduces the figures in invgen's README: detection
// against ground truth, build and check times, invgen run at scale against
// a scan of the same data and against dbt-duckdb, and the Go benchmarks.
package main

import (
	"os"

	"github.com/invgen/invgen/bench"
)

func main() { os.Exit(bench.Main(os.Args[1:], os.Stdout, os.Stderr)) }
