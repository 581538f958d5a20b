package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// dbtBuild runs `dbt build` with dbt-duckdb on a copy of a run's database,
// whose raw tables the run loaded, so dbt builds the same project on the
// same data. Without the integration suite's virtual environment it
// measures nothing.
func (h *Harness) dbtBuild(ctx context.Context, dir, db, asOf string) (*Measured, error) {
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

	copyDB := filepath.Join(dir, "dbt.duckdb")
	if err := copyFile(db, copyDB); err != nil {
		return nil, err
	}
	profiles := filepath.Join(dir, "profiles")
	if err := os.MkdirAll(profiles, 0o755); err != nil {
		return nil, err
	}
	yml := fmt.Sprintf("%s:\n  target: bench\n  outputs:\n    bench:\n      type: duckdb\n"+
		"      path: %s\n      threads: 2\n", profile, copyDB)
	if err := os.WriteFile(filepath.Join(profiles, "profiles.yml"), []byte(yml),
		0o644); err != nil {
		return nil, err
	}

	h.progress("run: dbt build on dbt-duckdb")
	m, err := ExecWant(ctx, []int{0, 1}, dbt, "build", "--project-dir", project,
		"--profiles-dir", profiles, "--vars", "{invgen_as_of_date: '"+asOf+"'}")
	if err != nil {
		return nil, err
	}
	return &m, os.Remove(copyDB)
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
