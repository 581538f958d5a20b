// Package triage reads the artifacts of a dbt run of a generated project
// (run_results.json and manifest.json, dbt 1.10 to 1.12) and turns them into
// the same tiered alert view invgen run prints, with each alert's lineage
// taken from the manifest's parent map: the warehouse run's on-call view.
package triage

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
)

// Artifacts are what triage reads from a dbt target folder.
type Artifacts struct {
	Results  []Result
	Nodes    map[string]Node
	Sources  map[string]Node
	Parents  map[string][]string
	Elapsed  float64
	Produced string
}

// Result is one node's outcome in run_results.json.
type Result struct {
	UniqueID string `json:"unique_id"`
	Status   string `json:"status"`
	Failures *int   `json:"failures"`
	Message  string `json:"message"`
}

// Node is the part of a manifest node or source triage reads.
type Node struct {
	UniqueID     string `json:"unique_id"`
	Name         string `json:"name"`
	ResourceType string `json:"resource_type"`
	SourceName   string `json:"source_name"`
	Identifier   string `json:"identifier"`
	RelationName string `json:"relation_name"`
	AttachedNode string `json:"attached_node"`
	Config       struct {
		Meta     map[string]any `json:"meta"`
		Severity string         `json:"severity"`
	} `json:"config"`
	Meta map[string]any `json:"meta"`
}

// Read loads run_results.json and manifest.json from a dbt target folder and
// checks their schema versions.
func Read(target string) (*Artifacts, error) {
	var rr struct {
		Metadata    metadata `json:"metadata"`
		Results     []Result `json:"results"`
		ElapsedTime float64  `json:"elapsed_time"`
	}
	if err := readJSON(filepath.Join(target, "run_results.json"), &rr); err != nil {
		return nil, err
	}
	if err := rr.Metadata.supported("run-results", 5, 6); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(target, "run_results.json"), err)
	}

	var m struct {
		Metadata  metadata            `json:"metadata"`
		Nodes     map[string]Node     `json:"nodes"`
		Sources   map[string]Node     `json:"sources"`
		ParentMap map[string][]string `json:"parent_map"`
	}
	if err := readJSON(filepath.Join(target, "manifest.json"), &m); err != nil {
		return nil, err
	}
	if err := m.Metadata.supported("manifest", 12, 12); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(target, "manifest.json"), err)
	}
	return &Artifacts{Results: rr.Results, Nodes: m.Nodes, Sources: m.Sources,
		Parents: m.ParentMap, Elapsed: rr.ElapsedTime,
		Produced: rr.Metadata.GeneratedAt}, nil
}

type metadata struct {
	SchemaVersion string `json:"dbt_schema_version"`
	DBTVersion    string `json:"dbt_version"`
	GeneratedAt   string `json:"generated_at"`
}

var schemaVersion = regexp.MustCompile(`/([a-z-]+)/v(\d+)\.json$`)

// supported accepts the artifact schema versions dbt 1.10 to 1.12 write.
func (m metadata) supported(kind string, lo, hi int) error {
	match := schemaVersion.FindStringSubmatch(m.SchemaVersion)
	if match == nil || match[1] != kind {
		return fmt.Errorf("not a dbt %s artifact (schema %q)", kind, m.SchemaVersion)
	}
	v, _ := strconv.Atoi(match[2])
	if v < lo || v > hi {
		return fmt.Errorf("dbt %s schema v%d (dbt %s) is not supported: invgen reads "+
			"v%d to v%d, written by dbt 1.10 to 1.12", kind, v, m.DBTVersion, lo, hi)
	}
	return nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
