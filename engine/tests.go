package engine

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Test is one data test: a generic test applied to a model or column.
type Test struct {
	Name     string
	Generic  string
	Model    string
	Column   string
	Args     map[string]any
	Severity string
	Meta     map[string]any
	File     string
	Line     int
}

type testSpec struct {
	Name      string         `yaml:"name"`
	Arguments map[string]any `yaml:"arguments"`
	Config    struct {
		Severity string         `yaml:"severity"`
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
	return nil
}
