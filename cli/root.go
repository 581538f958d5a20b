// Package cli is invgen's command line: a function of arguments and streams
// that returns an exit code, so tests drive it exactly as a user would.
//
// It decides every path invgen reads or writes, and reads the contracts
// itself, so that contracts and generator stay pure. The packages it hands
// a path to touch the file system there and nowhere else: output writes
// the generated project, fixtures and runner read data files (and runner
// the --db file), triage reads dbt's artifacts, gitrev reads a folder at
// a git revision.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
)

// Run executes invgen and returns its exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	app := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := app.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)

	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	if !app.started {
		fmt.Fprintf(stderr, "invgen: %v\nRun 'invgen --help' for usage.\n", err)
		return ExitUsage
	}
	if !errors.Is(err, errFindings) {
		fmt.Fprintf(stderr, "%v\n", err)
	}
	return codeOf(err)
}

// app holds the streams every command writes to: progress to stderr,
// results to stdout.
type app struct {
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	started bool // a command's own code ran: errors after this are not usage
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "invgen",
		Short: "Generate a dbt project that finds phantom stock from inventory contracts",
		Long: "invgen reads inventory source contracts and emits a complete dbt project: " +
			"staging with quarantine,\nreconciliation models whose correct answer is zero " +
			"rows, tiered tests, monitors and a breaks ledger.\n\n" + exitCodeHelp,
		SilenceUsage:      true,
		SilenceErrors:     true,
		PersistentPreRunE: a.start,
	}
	root.SetHelpCommand(&cobra.Command{Hidden: true})
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(a.buildCommand(), a.checkCommand(), a.validateCommand(),
		a.diffCommand(), a.importCommand(), a.runCommand(), a.triageCommand(),
		a.lineageCommand(), a.reportCommand(),
		a.simulateCommand(), a.schemaCommand(), a.versionCommand())
	for _, cmd := range root.Commands() {
		cmd.Long = cmd.Short + "\n\n" + cmd.Long + exitCodeHelp
	}
	return root
}

// start runs before a command's own code. Cobra checks required flags only
// after this hook, so it checks them first: a missing flag is a usage
// error, which it can only be while the command has not started.
func (a *app) start(cmd *cobra.Command, _ []string) error {
	if err := cmd.ValidateRequiredFlags(); err != nil {
		return err
	}
	if err := cmd.ValidateFlagGroups(); err != nil {
		return err
	}
	a.started = true
	return nil
}

func (a *app) progress(format string, args ...any) {
	fmt.Fprintf(a.stderr, format+"\n", args...)
}

func (a *app) printf(format string, args ...any) {
	fmt.Fprintf(a.stdout, format, args...)
}
