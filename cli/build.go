package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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
	data, err := fixturesData(ws, fixturesDir)
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

	rep, proven, err := verify(cmd.Context(), ws, data)
	if rep != nil {
		a.reportValidation(rep, data.Dir)
	}
	if err != nil {
		return err
	}
	a.progress("checks proven: %d/%d (clean estate silent, every fault caught)",
		len(proven.Proven), proven.Total)
	if len(proven.Traps) > 0 {
		a.progress("traps held silent: %s", describeTraps(proven.Traps))
	}
	a.reportIdleFeeds(proven.IdleFeeds)
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

// verify validates the project on the data and proves its checks and
// monitors side by side: the two share nothing and each database runs on
// one thread, so together they take little longer than the proof alone.
// A validation failure wins, since it says what the user must fix first,
// and stops the proof; a proof failure comes with the validation report.
func verify(ctx context.Context, ws *workspace, data proof.Data) (*proof.Report,
	*proof.Proof, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var rep *proof.Report
	var verr error
	validated := make(chan struct{})
	go func() {
		defer close(validated)
		rep, verr = proof.Validate(ctx, ws.estate, ws.result.All(), data)
		if verr != nil {
			cancel()
		}
	}()
	proven, perr := proof.Prove(ctx, ws.estate, ws.result, synth.Params{})
	<-validated

	if verr != nil {
		return nil, nil, withCode(validationCode(verr), verr)
	}
	if perr != nil {
		return rep, nil, withCode(ExitUnproven, perr)
	}
	return rep, proven, nil
}

// fixturesData is the data the build validates on: the --fixtures folder,
// else invgen.yml's, else none (synthesised data). A folder named but not
// there is refused: validating on empty tables would prove nothing.
func fixturesData(ws *workspace, flag string) (proof.Data, error) {
	p := &ws.estate.Project
	dir, named := flag, "--fixtures "+flag
	if dir == "" && p.Fixtures != "" {
		dir = filepath.Join(ws.dir, filepath.FromSlash(p.Fixtures))
		named = fmt.Sprintf("%s: fixtures: %s", p.Pos("fixtures"), dir)
	}
	if dir == "" {
		return proof.Data{}, nil
	}

	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return proof.Data{}, withCode(ExitInvalid, fmt.Errorf("%s: no such folder", named))
	case err != nil:
		return proof.Data{}, withCode(ExitInvalid, fmt.Errorf("%s: %w", named, pathCause(err)))
	case !info.IsDir():
		return proof.Data{}, withCode(ExitInvalid, fmt.Errorf("%s: not a folder", named))
	}
	return proof.Data{Dir: dir}, nil
}

// writable fails when a file of the user's sits where a generated file
// goes: the user must move it, so it is invalid input, not a tool failure.
func writable(out string, files output.Files) error {
	if err := output.Conflicts(out, files); err != nil {
		return writeError(err)
	}
	return nil
}

// writeError tells a folder the user must fix (a file of theirs in the
// way, a manifest they broke) from a failure of invgen.
func writeError(err error) error {
	if errors.Is(err, output.ErrConflict) || errors.Is(err, output.ErrMalformedManifest) {
		return withCode(ExitInvalid, err)
	}
	return withCode(ExitFailure, err)
}

// recoverOutput rolls back a write to out that was killed halfway, so that
// what follows starts from the folder as it was before that write.
func (a *app) recoverOutput(out string) error {
	rec, err := output.Recover(out)
	if err != nil {
		return writeError(err)
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

// describeTraps lists the trap counts kind by kind: "137 near local
// midnight (wms_eu_movements, Europe/Berlin), 146 (wms_us_movements,
// America/Chicago); 405 quantities converted to eaches (wms_us_movements)".
func describeTraps(traps []proof.Trap) string {
	var kinds []string
	for i := 0; i < len(traps); {
		j := i
		for j < len(traps) && traps[j].Kind == traps[i].Kind {
			j++
		}
		kinds = append(kinds, describeTrapKind(traps[i:j]))
		i = j
	}
	return strings.Join(kinds, "; ")
}

// describeTrapKind names each place a kind of trap is held in, or past
// three, how many places, so that an estate of many regional feeds still
// reads in a line.
func describeTrapKind(traps []proof.Trap) string {
	kind := traps[0].Kind
	if len(traps) > 3 {
		total, places := 0, "feeds"
		for _, t := range traps {
			total += t.Rows
		}
		if kind == proof.TrapNoise {
			places = "location classes"
		}
		return fmt.Sprintf("%d %s in %d %s", total, kind, len(traps), places)
	}
	parts := make([]string, len(traps))
	for i, t := range traps {
		parts[i] = fmt.Sprintf("%d (%s)", t.Rows, t.Place())
	}
	parts[0] = fmt.Sprintf("%d %s (%s)", traps[0].Rows, kind, traps[0].Place())
	return strings.Join(parts, ", ")
}

// reportIdleFeeds says which feeds no trap could be counted in, naming a
// few: the clean estate delivers no rows in them.
func (a *app) reportIdleFeeds(feeds []string) {
	if len(feeds) == 0 {
		return
	}
	names := strings.Join(feeds, ", ")
	if len(feeds) > 3 {
		names = fmt.Sprintf("%s and %d more", strings.Join(feeds[:3], ", "), len(feeds)-3)
	}
	a.progress("note: no trap counted in %s: the clean estate has no rows there, as a "+
		"system's movements feeds share its few synthesised locations", names)
}
