// Package generator turns validated contracts into a dbt project.
//
// Generation is pure: an estate goes in, a map of relative path to file
// contents comes out, and nothing touches the disk. That lets `invgen build`,
// `invgen check` and `invgen run` share one code path, lets tests compare
// whole projects against golden trees in memory, and guarantees that a second
// build is byte-identical: every list a template sees is sorted first.
//
// The Go side decides what each file says (names, casts, code maps, checks);
// the templates in package templates decide how it is laid out.
package generator
