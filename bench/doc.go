// Package bench holds invgen's performance benchmarks: Go benchmarks run
// with `go test -run NONE -bench . ./bench`, never timed tests, so a busy
// machine slows them down without failing anything. The README records the
// figures and the machine they came from.
package bench
