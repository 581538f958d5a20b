package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/invgen/invgen/cli"
	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/duckconn"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/proof"
)

// Estate sizes a detection run: the simulator's flags.
type Estate struct {
	SKUs, Locations, Days int
	Seed                  uint64
	Every                 int // plant a fault in every Nth SKU-location; 0: the default
}

func (s Estate) flags() []string {
	f := []string{"--skus", strconv.Itoa(s.SKUs), "--locations", strconv.Itoa(s.Locations),
		"--days", strconv.Itoa(s.Days), "--seed", strconv.FormatUint(s.Seed, 10)}
	if s.Every > 0 {
		f = append(f, "--every", strconv.Itoa(s.Every))
	}
	return f
}

// Invoke runs invgen with args and fails unless it exits with one of the
// codes given: in this process for tests, or as the binary measured.
type Invoke func(args []string, codes ...int) error

// Detect simulates an estate for the contracts in dir with culprits
// planted, runs the project on it with `invgen run` exactly as a user
// would, and scores the run against the simulation's ground truth. work
// receives the feeds and the run's DuckDB file.
func Detect(ctx context.Context, invgen Invoke, dir, work string, size Estate) (*Detection,
	error) {
	data, db := filepath.Join(work, "data"), filepath.Join(work, "run.duckdb")
	args := append([]string{"simulate", dir, "--out", data, "--culprits"}, size.flags()...)
	if err := invgen(args, 0); err != nil {
		return nil, err
	}
	truth, err := readTruth(filepath.Join(data, "ground_truth.json"))
	if err != nil {
		return nil, err
	}
	if err := invgen([]string{"run", dir, "--data", data, "--db", db, "--as-of", truth.AsOf},
		0, cli.ExitFindings); err != nil {
		return nil, err
	}
	return scoreRun(ctx, dir, db, truth)
}

// inProcess runs the CLI in this process.
func inProcess(args []string, codes ...int) error {
	var stdout, stderr bytes.Buffer
	code := cli.Run(args, nil, &stdout, &stderr)
	for _, c := range codes {
		if code == c {
			return nil
		}
	}
	return fmt.Errorf("invgen %s: exit %d:\n%s", args[0], code, tail(stderr.String(), 2000))
}

func readTruth(path string) (proof.GroundTruth, error) {
	var t proof.GroundTruth
	data, err := os.ReadFile(path)
	if err != nil {
		return t, err
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return t, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// scoreRun reads the checks' and monitors' rows from a run's database.
func scoreRun(ctx context.Context, dir, dbPath string, truth proof.GroundTruth) (*Detection,
	error) {
	e, err := contracts.Load(os.DirFS(dir), dir)
	if err != nil {
		return nil, err
	}
	gen, err := generator.New()
	if err != nil {
		return nil, err
	}
	res, err := gen.Generate(e, generator.Options{})
	if err != nil {
		return nil, err
	}
	db, err := duckconn.Open(dbPath + "?access_mode=read_only")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return ScoreDetection(e, res, truth, func(model string) ([]proof.Row, error) {
		return proof.ReadRows(ctx, db, model)
	})
}
