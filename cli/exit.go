package cli

import (
	"errors"

	"github.com/invgen/invgen/contracts"
)

// Exit codes. Findings and failures differ so that CI and pre-commit hooks
// can tell "the tool found something" from "the tool broke".
const (
	// ExitOK: done, nothing found.
	ExitOK = 0
	// ExitFindings: the command worked and found something: drift from the
	// contracts, breaking contract changes, or page and ticket alerts.
	ExitFindings = 1
	// ExitUsage: the command line was wrong.
	ExitUsage = 2
	// ExitInvalid: the input is wrong: contracts, invgen.yml or data files,
	// a folder invgen cannot use (missing, a file, a broken manifest), or a
	// file of the user's where a generated file must go. Nothing was
	// written.
	ExitInvalid = 3
	// ExitUnproven: the generated project failed validation: a model did
	// not compile or run, or a check was not proven. Nothing was written.
	ExitUnproven = 4
	// ExitFailure: invgen itself failed (I/O, an internal error).
	ExitFailure = 5
)

const exitCodeHelp = `Exit codes:
  0  done, nothing found
  1  findings: drift, breaking changes, or page/ticket alerts
  2  usage error
  3  invalid input: contracts, invgen.yml, data files, a folder invgen cannot
     use, or a file of yours where a generated file goes (nothing written)
  4  the generated project failed validation (nothing written)
  5  invgen failed: I/O or internal error`

// exitError carries an exit code through cobra's error return.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: code, err: err}
}

// findings is returned by a command that ran cleanly but found something;
// its message has already been printed.
var errFindings = &exitError{code: ExitFindings, err: errors.New("findings")}

// codeOf maps an error to its exit code.
func codeOf(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case contracts.IsInvalid(err):
		return ExitInvalid
	}
	return ExitFailure
}
