// Package jinja renders the restricted subset of dbt Jinja that invgen's
// generated models use, so that invgen can compile every model to plain SQL
// and run it in embedded DuckDB before it writes a single file.
//
// The semantics are Jinja2's, as dbt renders them: the same whitespace
// control, operator precedence, scoping (down to which names a loop or
// macro sees before a later set), Python-style value printing and dbt's
// return() and adapter.dispatch(). Two things differ on purpose:
// an undefined name is an error at its use site instead of rendering as
// an empty string (only the "is defined" test and the "default" filter may
// look at an undefined value), and any construct outside the subset is
// refused with a positioned error instead of being half supported.
//
// Values are Go values: string, int64, float64, bool, nil for none, []any
// for lists and tuples, *Dict, Func, *Macro and *Namespace. Values from
// the caller may also be other Go ints, float32, []string,
// map[string]any or map[string]string; templates see them converted.
//
// Known differences from Jinja2 that the subset makes harmless:
//   - tuples are Go []any and print like lists, "[1, 2]" instead of "(1, 2)";
//   - dict.items(), keys() and values() return lists, which print as
//     lists rather than as dict_items([...]) and the like;
//   - integers are 64-bit: arithmetic that overflows is an error;
//   - upper and lower case mapping follows Go's per-character mapping;
//   - a render stops with an error after about a million steps (loop
//     iterations, macro calls, compared elements, produced kilobytes) and
//     strings and lists are limited to 4 MiB, so no input can hang it.
//
// Nothing here touches the disk: templates come in as strings and the
// output goes back as a string.
package jinja
