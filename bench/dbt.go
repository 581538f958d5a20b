package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/duckconn"
	"github.com/invgen/invgen/fixtures"
)

// dbtBuild runs `dbt build` with dbt-duckdb on a database of its own that
// holds only the raw tables, loaded from the same files invgen ran on, so
// dbt builds every model from scratch as invgen did, breaks_observed
// included, rather than append to what invgen built. Loading is not in its
// figure; it is in invgen's. Without the integration suite's virtual
// environment it measures nothing.
func (h *Harness) dbtBuild(ctx context.Context, dir, data, asOf string) (*Measured, error) {
	dbt := h.path(".venv/bin/dbt")
	if _, err := os.Stat(dbt); err != nil {
		h.progress("run: no %s (scripts/setup-integration makes it): dbt not measured", dbt)
		return nil, nil
	}
	project := filepath.Join(h.Work, "dbt-project")
	if _, err := os.Stat(project); err != nil {
		if _, err := ExecWant(ctx, []int{0}, h.bin, "build", h.path(h.Example), "--out",
			project); err != nil {
			return nil, err
		}
	}
	profile, err := profileName(filepath.Join(project, "dbt_project.yml"))
	if err != nil {
		return nil, err
	}

	rawDB := filepath.Join(dir, "dbt.duckdb")
	h.progress("run: loading the raw tables for dbt")
	if err := h.loadInChild(ctx, data, rawDB); err != nil {
		return nil, err
	}
	profiles := filepath.Join(dir, "profiles")
	if err := os.MkdirAll(profiles, 0o755); err != nil {
		return nil, err
	}
	yml := fmt.Sprintf("%s:\n  target: bench\n  outputs:\n    bench:\n      type: duckdb\n"+
		"      path: %s\n      threads: 2\n", profile, rawDB)
	if err := os.WriteFile(filepath.Join(profiles, "profiles.yml"), []byte(yml),
		0o644); err != nil {
		return nil, err
	}

	h.progress("run: dbt build on dbt-duckdb")
	target := filepath.Join(dir, "dbt-target")
	m, err := ExecWant(ctx, []int{0, 1}, dbt, "build", "--project-dir", project,
		"--profiles-dir", profiles, "--target-path", target,
		"--vars", "{invgen_as_of_date: '"+asOf+"'}")
	if err != nil {
		return nil, err
	}
	if err := everyModelBuilt(filepath.Join(target, "run_results.json")); err != nil {
		return nil, fmt.Errorf("dbt build: %w\n%s", err, tail(m.Stdout, 2000))
	}
	return &m, os.Remove(rawDB)
}

// loadCommand is the harness's child that loads raw tables for dbt, in a
// process of its own so that DuckDB's memory does not count towards the
// next measurement.
const loadCommand = "load"

func (h *Harness) loadInChild(ctx context.Context, data, db string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	_, err = ExecWant(ctx, []int{0}, self, loadCommand, h.path(h.Example), data, db)
	return err
}

// loadMain is the load child: it creates a DuckDB file holding only the
// estate's raw tables, loaded from the data files as invgen run loads them.
func loadMain(args []string, stderr io.Writer) int {
	if len(args) != 3 {
		fmt.Fprintln(stderr, "usage: invgen-bench load ESTATE DATA DB")
		return 2
	}
	if err := loadRaw(context.Background(), args[0], args[1], args[2]); err != nil {
		fmt.Fprintln(stderr, "invgen-bench load:", err)
		return 5
	}
	return 0
}

func loadRaw(ctx context.Context, estate, data, path string) error {
	e, err := contracts.Load(os.DirFS(estate), estate)
	if err != nil {
		return err
	}
	for _, con := range e.Contracts {
		// DuckDB keeps another database's tables in an attached file or in
		// memory, which dbt-duckdb would not see in this one.
		if con.Relation.Database != "" {
			return fmt.Errorf("%s names database %s: dbt-duckdb is measured only on "+
				"estates whose raw tables live in the database dbt builds in", con.Source,
				con.Relation.Database)
		}
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	db, err := duckconn.Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := fixtures.CreateRaw(ctx, db, e); err != nil {
		return err
	}
	for _, con := range e.Contracts {
		file, err := fixtures.Find(data, con.Source)
		if err != nil {
			return err
		}
		if file == "" {
			return fmt.Errorf("%s: no data for source %s", data, con.Source)
		}
		if err := fixtures.LoadFile(ctx, db, con, file); err != nil {
			return err
		}
	}
	return nil
}

// everyModelBuilt reads dbt's run_results.json and fails unless every
// model and seed succeeded and every test ran to a verdict: dbt exits 1
// both for a test that fails, as checks on faulty data must, and for a
// model that errors, which would make the figure a partial build's.
func everyModelBuilt(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var results struct {
		Results []struct {
			UniqueID string `json:"unique_id"`
			Status   string `json:"status"`
			Message  string `json:"message"`
		} `json:"results"`
	}
	if err := json.Unmarshal(data, &results); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var bad []string
	models := 0
	for _, r := range results.Results {
		ok := r.Status == "success"
		if strings.HasPrefix(r.UniqueID, "test.") {
			ok = r.Status == "pass" || r.Status == "warn" || r.Status == "fail"
		} else {
			models++
		}
		if !ok {
			bad = append(bad, fmt.Sprintf("%s is %s: %s", r.UniqueID, r.Status, r.Message))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s:\n%s", path, strings.Join(bad, "\n"))
	}
	if models == 0 {
		return fmt.Errorf("%s: no model was built", path)
	}
	return nil
}

var profileLine = regexp.MustCompile(`(?m)^profile:\s*['"]?([A-Za-z0-9_]+)`)

func profileName(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	m := profileLine.FindSubmatch(data)
	if m == nil {
		return "", fmt.Errorf("%s: no profile: %w", path, errMissing)
	}
	return string(m[1]), nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
