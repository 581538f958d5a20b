package engine

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// propertiesFile is the part of a dbt properties (YAML) file the engine
// reads: sources, and models with their config and data tests.
type propertiesFile struct {
	Sources []struct {
		Name     string `yaml:"name"`
		Database string `yaml:"database"`
		Schema   string `yaml:"schema"`
		Tables   []struct {
			Name       string `yaml:"name"`
			Identifier string `yaml:"identifier"`
		} `yaml:"tables"`
	} `yaml:"sources"`
	Models []modelProperties `yaml:"models"`
}

type modelProperties struct {
	Name   string       `yaml:"name"`
	Config modelConfig  `yaml:"config"`
	Tests  []yaml.Node  `yaml:"data_tests"`
	Cols   []columnProp `yaml:"columns"`
}

type modelConfig struct {
	Materialized string         `yaml:"materialized"`
	Meta         map[string]any `yaml:"meta"`
}

type columnProp struct {
	Name  string      `yaml:"name"`
	Tests []yaml.Node `yaml:"data_tests"`
}

func (p *Project) applyYAML(files map[string][]byte) error {
	for _, name := range sortedPaths(files) {
		if !strings.HasPrefix(name, "models/") || !strings.HasSuffix(name, ".yml") {
			continue
		}
		var pf propertiesFile
		if err := yaml.Unmarshal(files[name], &pf); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		p.addSources(pf)
		if err := p.addModelProperties(name, pf.Models); err != nil {
			return err
		}
	}
	sort.SliceStable(p.Tests, func(i, j int) bool { return p.Tests[i].Name < p.Tests[j].Name })
	return nil
}

func (p *Project) addSources(pf propertiesFile) {
	for _, s := range pf.Sources {
		for _, t := range s.Tables {
			id := t.Identifier
			if id == "" {
				id = t.Name
			}
			p.Sources[s.Name+"."+t.Name] = SourceTable{Source: s.Name, Table: t.Name,
				Database: s.Database, Schema: s.Schema, Identifier: id}
		}
	}
}

func (p *Project) addModelProperties(file string, models []modelProperties) error {
	for _, mp := range models {
		m, ok := p.byName[mp.Name]
		if !ok {
			return fmt.Errorf("%s: properties for model %s, which has no SQL file", file,
				mp.Name)
		}
		if mp.Config.Materialized != "" {
			m.Materialized = mp.Config.Materialized
		}
		m.Meta = mp.Config.Meta
		if err := p.addTests(file, m, "", mp.Tests); err != nil {
			return err
		}
		for _, col := range mp.Cols {
			if err := p.addTests(file, m, col.Name, col.Tests); err != nil {
				return err
			}
		}
	}
	return nil
}
