package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/invgen/invgen/proof"
	"github.com/invgen/invgen/synth"
)

func (a *app) simulateCommand() *cobra.Command {
	p := synth.DefaultParams()
	var out string
	var culprits bool
	var every int
	cmd := &cobra.Command{
		Use:   "simulate [DIR] --out DATA",
		Short: "Write raw feeds for the contracts in DIR from a synthesised estate",
		Long: "Synthesises one consistent estate and writes each source's raw rows as " +
			"<source>.csv, in the\nsource's own codes, units, timezone and grain, with the " +
			"traps that must stay silent.\nIt streams: one SKU-location's history is in " +
			"memory at a time, so tens of millions of\nmovements fit. With --culprits it " +
			"plants faults at known places and writes\nground_truth.json beside the feeds. " +
			"Deterministic for a seed.\n\n",
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return a.simulate(dirArg(args), out, p, culprits, every)
		},
	}
	cmd.Flags().IntVar(&p.SKUs, "skus", p.SKUs, "number of SKUs")
	cmd.Flags().IntVar(&p.Locations, "locations", p.Locations, "number of locations")
	cmd.Flags().IntVar(&p.Days, "days", p.Days, "number of business days")
	cmd.Flags().Uint64Var(&p.Seed, "seed", p.Seed, "random seed")
	cmd.Flags().IntVar(&p.SnapshotsPerDay, "snapshots-per-day", 3, "ATP snapshots and "+
		"storefront showings per SKU-location and day (1 to 3)")
	cmd.Flags().StringVar(&out, "out", "", "folder to write the CSV files to (required)")
	cmd.Flags().BoolVar(&culprits, "culprits", false, "plant faults and write "+
		"ground_truth.json")
	cmd.Flags().IntVar(&every, "every", 0, "with --culprits, plant a fault in every Nth "+
		"SKU-location (default: about 25 faults)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func (a *app) simulate(dir, out string, p synth.Params, culprits bool, every int) error {
	ws, err := generate(dir, "")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return withCode(ExitFailure, err)
	}
	files := &csvFiles{dir: out}
	defer files.abandon()

	var planter *proof.Planter
	if culprits {
		if every <= 0 {
			every = max(1, p.SKUs*p.Locations/25)
		}
		planter = proof.NewPlanter(ws.result, every)
	}
	var plant synth.Planter
	if planter != nil {
		plant = planter
	}
	world, err := synth.Stream(ws.estate, p, files.open, plant)
	if err != nil {
		return withCode(ExitFailure, err)
	}
	if planter != nil {
		if err := files.json("ground_truth.json", proof.GroundTruth{AsOf: world.AsOf(),
			Injected: planter.Injected}); err != nil {
			return withCode(ExitFailure, err)
		}
		a.progress("planted %d culprits; judge as of %s (invgen run --as-of %s)",
			len(planter.Injected), world.AsOf(), world.AsOf())
	}
	if err := files.commit(); err != nil {
		return withCode(ExitFailure, err)
	}
	a.printf("wrote %d files (%d rows) to %s\n", len(files.names), files.rows,
		filepath.Clean(out))
	return nil
}

// csvFiles writes each source's rows to a part file and moves them all into
// place once every file is complete, so a failed simulation leaves no
// half-written feed behind.
type csvFiles struct {
	dir   string
	names []string
	parts []*part
	rows  int
}

type part struct {
	f    *os.File
	buf  *bufio.Writer
	csv  *csv.Writer
	name string
}

func (cf *csvFiles) open(source string, columns []string) (func([]string) error, error) {
	f, err := createPart(cf.dir, source+".csv")
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 1<<20)
	pt := &part{f: f, buf: buf, csv: csv.NewWriter(buf), name: source + ".csv"}
	cf.parts = append(cf.parts, pt)
	if err := pt.csv.Write(columns); err != nil {
		return nil, err
	}
	return func(row []string) error {
		cf.rows++
		return pt.csv.Write(row)
	}, nil
}

func (cf *csvFiles) json(name string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	f, err := createPart(cf.dir, name)
	if err != nil {
		return err
	}
	cf.parts = append(cf.parts, &part{f: f, name: name})
	_, err = f.Write(append(data, '\n'))
	return err
}

// createPart creates the part file of an output, readable by everyone as
// every other file invgen writes: os.CreateTemp makes it private (0600).
func createPart(dir, name string) (*os.File, error) {
	f, err := os.CreateTemp(dir, "."+name+".part-*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

// commit flushes every part file and renames it into place.
func (cf *csvFiles) commit() error {
	for _, pt := range cf.parts {
		if pt.csv != nil {
			pt.csv.Flush()
			if err := errors.Join(pt.csv.Error(), pt.buf.Flush()); err != nil {
				return err
			}
		}
		if err := pt.f.Close(); err != nil {
			return err
		}
	}
	for _, pt := range cf.parts {
		if err := os.Rename(pt.f.Name(), filepath.Join(cf.dir, pt.name)); err != nil {
			return fmt.Errorf("placing %s: %w", pt.name, err)
		}
		cf.names = append(cf.names, pt.name)
	}
	sort.Strings(cf.names)
	cf.parts = nil
	return nil
}

// abandon removes the part files of a simulation that did not finish.
func (cf *csvFiles) abandon() {
	for _, pt := range cf.parts {
		pt.f.Close()
		os.Remove(pt.f.Name())
	}
}
