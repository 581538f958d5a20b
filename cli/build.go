package cli

import (
	"errors"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/output"
	"github.com/invgen/invgen/proof"
	"github.com/invgen/invgen/synth"
)

func (a *app) buildCommand() *cobra.Command {
	var out, fixturesDir string
	cmd := &cobra.Command{
		Use:   "build [DIR]",
		Short: "Generate the dbt project from the contracts in DIR, validated",
		Long: "Reads invgen.yml and the contracts in DIR (default: the current folder), " +
			"generates the dbt\nproject, runs every model in embedded DuckDB against " +
			"fixtures (or data synthesised from\nthe contracts), and only then writes the " +
			"project, atomically, touching only files it owns.\n\n",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.build(cmd, dirArg(args), out, fixturesDir)
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the project here (default: invgen.yml's "+
		"output, relative to DIR)")
	cmd.Flags().StringVar(&fixturesDir, "fixtures", "", "validate against the "+
		"<source>.csv files in this folder (default: invgen.yml's fixtures, else "+
		"synthesised data)")
	return cmd
}

func (a *app) build(cmd *cobra.Command, dir, out, fixturesDir string) error {
	ws, err := generate(dir, out)
	if err != nil {
		return err
	}
	if err := a.recoverOutput(ws.out); err != nil {
		return err
	}
	if err := writable(ws.out, ws.result.Files); err != nil {
		return err
	}
	for _, n := range ws.result.Notes {
		a.progress("note: %s", n)
	}

	data := proof.Data{Dir: fixturesDir}
	if data.Dir == "" && ws.estate.Project.Fixtures != "" {
		data.Dir = filepath.Join(dir, filepath.FromSlash(ws.estate.Project.Fixtures))
	}
	rep, err := proof.Validate(cmd.Context(), ws.estate, ws.result.All(), data)
	if err != nil {
		return withCode(validationCode(err), err)
	}
	a.reportValidation(rep, data.Dir)

	proven, err := proof.Prove(cmd.Context(), ws.estate, ws.result, synth.Params{})
	if err != nil {
		return withCode(ExitUnproven, err)
	}
	a.progress("checks proven: %d/%d (clean estate silent, every fault caught)",
		len(proven.Proven), proven.Total)
	a.progress("monitors proven: %d/%d (clean history silent, each pattern caught by its "+
		"monitor alone) in %s", len(proven.Monitors), proven.MonitorTotal,
		proven.Elapsed.Round(1e6))

	sum, err := output.Write(ws.out, ws.result.Files)
	if err != nil {
		return writeError(err)
	}
	a.reportRecovery(ws.out, sum.Recovered)
	created, err := output.Scaffold(ws.out, ws.result.Scaffold)
	if err != nil {
		return withCode(ExitFailure, err)
	}
	for _, p := range created {
		a.progress("created %s: it is yours to keep; invgen will not rewrite it", p)
	}
	a.printf("wrote %s: %d files written, %d unchanged, %d removed\n", ws.out,
		len(sum.Written), len(sum.Unchanged), len(sum.Removed))
	return nil
}

// writable fails when a file of the user's sits where a generated file
// goes: the user must move it, so it is invalid input, not a tool failure.
func writable(out string, files output.Files) error {
	if err := output.Conflicts(out, files); err != nil {
		return writeError(err)
	}
	return nil
}

func writeError(err error) error {
	if errors.Is(err, output.ErrConflict) {
		return withCode(ExitInvalid, err)
	}
	return withCode(ExitFailure, err)
}

// recoverOutput rolls back a write to out that was killed halfway, so that
// what follows starts from the folder as it was before that write.
func (a *app) recoverOutput(out string) error {
	rec, err := output.Recover(out)
	if err != nil {
		return withCode(ExitFailure, err)
	}
	a.reportRecovery(out, rec)
	return nil
}

func (a *app) reportRecovery(out string, rec output.Recovery) {
	for _, s := range rec.RolledBack {
		a.progress("rolled back an interrupted write to %s (found %s): its files are as "+
			"they were before it", out, s)
	}
	for _, s := range rec.Discarded {
		a.progress("removed %s from %s, left by a write that had nothing to undo", s, out)
	}
}

func (a *app) reportValidation(rep *proof.Report, dir string) {
	source := "data synthesised from the contracts"
	if !rep.Synthetic {
		source = "fixtures in " + dir
	}
	a.progress("validated %d models on %s in %s", rep.Models, source,
		rep.Elapsed.Round(1e6))
	for _, s := range rep.Empty {
		a.progress("note: no fixture for %s: its models ran on an empty table", s)
	}
}

// validationCode tells bad fixtures, which the user fixes, from a project
// that does not build, which invgen must.
func validationCode(err error) int {
	var de *fixtures.DataError
	if errors.As(err, &de) {
		return ExitInvalid
	}
	return ExitUnproven
}
