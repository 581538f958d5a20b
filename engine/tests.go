package engine

import (
	"context"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/invgen/invgen/jinja"
)

// Test is one data test: a generic test applied to a model or column.
type Test struct {
	Name     string
	Generic  string
	Model    string
	Column   string
	Args     map[string]any
	Severity string
	Where    string // dbt's where config: the test sees only these rows
	Meta     map[string]any
	File     string
	Line     int
}

type testSpec struct {
	Name      string         `yaml:"name"`
	Arguments map[string]any `yaml:"arguments"`
	Config    struct {
		Severity string         `yaml:"severity"`
		Where    string         `yaml:"where"`
		Meta     map[string]any `yaml:"meta"`
	} `yaml:"config"`
}

// addTests reads a data_tests list. An entry is a generic test's name, or a
// one-key mapping from the name to its arguments and config.
func (p *Project) addTests(file string, m *Model, column string, nodes []yaml.Node) error {
	for _, n := range nodes {
		t := &Test{Model: m.Name, Column: column, File: file, Line: n.Line,
			Severity: "error", Args: map[string]any{}}
		if err := readTest(&n, t); err != nil {
			return fmt.Errorf("%s:%d:%d: %w", file, n.Line, n.Column, err)
		}
		if t.Name == "" {
			t.Name = t.Generic + "_" + m.Name
			if column != "" {
				t.Name += "_" + column
			}
		}
		p.Tests = append(p.Tests, t)
	}
	return nil
}

func readTest(n *yaml.Node, t *Test) error {
	if n.Kind == yaml.ScalarNode {
		t.Generic = n.Value
		return nil
	}
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return fmt.Errorf("a data test is a name or a one-key mapping")
	}
	t.Generic = n.Content[0].Value
	var spec testSpec
	if err := n.Content[1].Decode(&spec); err != nil {
		return err
	}
	t.Name = spec.Name
	for k, v := range spec.Arguments {
		t.Args[k] = normalise(v)
	}
	if spec.Config.Severity != "" {
		t.Severity = spec.Config.Severity
	}
	t.Meta = spec.Config.Meta
	t.Where = spec.Config.Where
	return nil
}

// TestResult is the outcome of one data test, as dbt reports it.
type TestResult struct {
	Test     *Test
	Status   string // pass, warn, fail
	Failures int
}

// AuditSchema is where failing rows are stored, as dbt's store_failures
// stores them.
const AuditSchema = "main_dbt_test__audit"

// RunTests runs every data test of the project after Build: each test's
// failing rows are stored in AuditSchema under the test's name, and a test
// with rows fails or, at severity warn, warns.
func (p *Project) RunTests(ctx context.Context, db DB, opt Options) ([]TestResult, error) {
	if opt.Schema == "" {
		opt.Schema = "main"
	}
	c, err := newCompiler(p, opt)
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx,
		"create schema if not exists "+quote(AuditSchema)); err != nil {
		return nil, err
	}
	var out []TestResult
	for _, t := range p.Tests {
		n, err := c.runTest(ctx, db, t)
		if err != nil {
			return nil, err
		}
		out = append(out, TestResult{Test: t, Status: status(n, t.Severity), Failures: n})
	}
	return out, nil
}

func status(failures int, severity string) string {
	switch {
	case failures == 0:
		return "pass"
	case severity == "warn":
		return "warn"
	}
	return "fail"
}

func (c *compiler) runTest(ctx context.Context, db DB, t *Test) (int, error) {
	query, err := c.testSQL(t)
	if err != nil {
		return 0, fmt.Errorf("%s:%d: test %s: %w", t.File, t.Line, t.Name, err)
	}
	audit := quote(AuditSchema) + "." + quote(t.Name)
	if _, err := db.ExecContext(ctx, "create or replace table "+audit+" as "+query); err != nil {
		return 0, fmt.Errorf("%s:%d: test %s failed to run: %w", t.File, t.Line, t.Name, err)
	}
	var n int
	err = db.QueryRowContext(ctx, "select count(*) from "+audit).Scan(&n)
	return n, err
}

// testSQL renders a generic test: dbt calls the test's macro with the model
// relation, the column name when the test is on a column, and the test's
// arguments.
func (c *compiler) testSQL(t *Test) (string, error) {
	args := []string{"model=model"}
	model := c.relation(t.Model)
	if t.Where != "" {
		// As dbt does: the test reads a subquery of the rows that match.
		model = &jinja.Namespace{Name: "relation", Text: "(select * from " + model.Text +
			" where " + t.Where + ") dbt_subquery"}
	}
	vars := map[string]any{"model": model}
	if t.Column != "" {
		args = append(args, "column_name=column_name")
		vars["column_name"] = t.Column
	}
	for _, k := range sortedKeys(t.Args) {
		args = append(args, k+"="+k)
		vars[k] = t.Args[k]
	}
	src := "{{ test_" + t.Generic + "(" + strings.Join(args, ", ") + ") }}"
	out, err := c.env.Render(t.File, src, vars)
	if err != nil {
		return "", err
	}
	stmts := Split(out.Text)
	if len(stmts) != 1 {
		return "", fmt.Errorf("the test compiles to %d statements", len(stmts))
	}
	return stmts[0].SQL, nil
}
