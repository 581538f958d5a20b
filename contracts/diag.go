package contracts

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in an input file. Line and Col are 1-based; a zero Line
// means the whole file.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position the way editors and CI annotations parse it.
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Diagnostic is one problem found in a contract or the project file.
type Diagnostic struct {
	Pos Pos
	Msg string
}

// Error formats the diagnostic as file:line:col: message.
func (d Diagnostic) Error() string {
	return d.Pos.String() + ": " + d.Msg
}

// Diagnostics is every problem found in one pass. It is an error so that
// callers can return it as one; use errors.As to reach the list.
type Diagnostics []Diagnostic

// Error lists every diagnostic on its own line, in file and position order.
func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds.Sorted() {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// Sorted returns the diagnostics ordered by file, line, column and message,
// so output is stable across runs and map iteration orders.
func (ds Diagnostics) Sorted() Diagnostics {
	out := append(Diagnostics(nil), ds...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Msg < b.Msg
	})
	return out
}

// IsInvalid reports whether err carries contract diagnostics, which the CLI
// maps to its own exit code.
func IsInvalid(err error) bool {
	var ds Diagnostics
	return errors.As(err, &ds)
}

// reporter collects diagnostics while a file is checked.
type reporter struct {
	diags Diagnostics
}

func (r *reporter) add(p Pos, format string, args ...any) {
	r.diags = append(r.diags, Diagnostic{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// nearest returns the recorded position of path or, when the value is
// absent, of its closest recorded parent; the file alone when there is none.
func nearest(pos map[string]Pos, file, path string) Pos {
	for {
		if p, ok := pos[path]; ok {
			return p
		}
		if path == "" {
			return Pos{File: file}
		}
		path = parent(path)
	}
}

// parent drops the last step of a path: "columns[2].name" → "columns[2]"
// → "columns" → "".
func parent(path string) string {
	if i := strings.LastIndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return ""
}
