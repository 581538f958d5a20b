package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/invgen/invgen/output"
	"github.com/invgen/invgen/proof"
	"github.com/invgen/invgen/synth"
)

func (a *app) simulateCommand() *cobra.Command {
	p := synth.DefaultParams()
	var out string
	var culprits bool
	cmd := &cobra.Command{
		Use:   "simulate [DIR] --out DATA",
		Short: "Write raw feeds for the contracts in DIR from a synthesised estate",
		Long: "Synthesises one consistent estate and writes each source's raw rows as " +
			"<source>.csv, in the\nsource's own codes, units, timezone and grain. " +
			"Deterministic for a seed.\n\n",
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return a.simulate(dirArg(args), out, p, culprits)
		},
	}
	cmd.Flags().IntVar(&p.SKUs, "skus", p.SKUs, "number of SKUs")
	cmd.Flags().IntVar(&p.Locations, "locations", p.Locations, "number of locations")
	cmd.Flags().IntVar(&p.Days, "days", p.Days, "number of business days")
	cmd.Flags().Uint64Var(&p.Seed, "seed", p.Seed, "random seed")
	cmd.Flags().StringVar(&out, "out", "", "folder to write the CSV files to (required)")
	cmd.Flags().BoolVar(&culprits, "culprits", false, "inject one of every fault the "+
		"checks and monitors catch, and write ground_truth.json beside the feeds")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func (a *app) simulate(dir, out string, p synth.Params, culprits bool) error {
	ws, err := generate(dir, "")
	if err != nil {
		return err
	}
	world := synth.NewWorld(ws.estate, p)
	files := output.Files{}
	if culprits {
		truth := proof.InjectCulprits(world, ws.result)
		data, err := json.MarshalIndent(groundTruth{AsOf: world.AsOf(), Injected: truth},
			"", "  ")
		if err != nil {
			return err
		}
		files["ground_truth.json"] = append(data, '\n')
		a.progress("injected %d culprits; as of %s (pass --as-of %s to invgen run)",
			len(truth), world.AsOf(), world.AsOf())
	}
	for source, t := range world.Render() {
		var buf bytes.Buffer
		if err := t.WriteCSV(&buf); err != nil {
			return err
		}
		files[source+".csv"] = buf.Bytes()
	}
	sum, err := output.Write(out, files)
	if err != nil {
		return withCode(ExitFailure, err)
	}
	a.printf("wrote %d files to %s\n", len(sum.Written)+len(sum.Unchanged),
		filepath.Clean(out))
	return nil
}

// groundTruth is what a simulation injected, for scoring what finds it.
type groundTruth struct {
	AsOf     string           `json:"as_of"`
	Injected []proof.Injected `json:"injected"`
}
