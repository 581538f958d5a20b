package jinja

import (
	"errors"
	"fmt"
)

// Error is every error a template can cause, positioned in its source
// file so that the user can jump to it. Err holds the underlying error
// when a caller's Func failed, so errors.Is and errors.As see through it.
type Error struct {
	File string
	Line int
	Col  int
	Msg  string
	Err  error
}

// Error formats the error as file:line:col: message, the form editors
// and the rest of invgen understand.
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Unwrap returns the caller's error that this error wraps, if any.
func (e *Error) Unwrap() error { return e.Err }

// positioned formats an Error at a position in file. A %w in format wraps
// its operand as fmt.Errorf does, so errors.Is and errors.As see through it.
func positioned(file string, at pos, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &Error{File: file, Line: at.line, Col: at.col, Msg: err.Error(),
		Err: errors.Unwrap(err)}
}

// pos is a 1-based line and column (in characters) in a template.
type pos struct{ line, col int }

// Limits that keep any input from exhausting memory or time.
const (
	maxNesting   = 500       // nested statements and expression levels
	maxCallDepth = 100       // nested macro calls
	maxSize      = 1 << 22   // bytes in one string, elements in one list
	maxSteps     = 1_000_000 // work units in one render
	bytesPerStep = 1024      // produced bytes that cost one work unit
)
