// Package triage reads the artifacts of a dbt run of a generated project
// (run_results.json and manifest.json, dbt 1.10 to 1.12) and turns them into
// the same tiered alert view invgen run prints, with each alert's lineage
// decided as invgen run decides it, from the test's meta and the manifest's
// sources: the warehouse run's on-call view.
package triage

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Artifacts are what triage reads from a dbt target folder.
type Artifacts struct {
	Results  []Result
	Nodes    map[string]Node
	Sources  map[string]Node
	Parents  map[string][]string
	Elapsed  float64
	Produced string

	// DBTVersion is the dbt that wrote the artifacts, as it says.
	DBTVersion string

	// AsOf is the invgen_as_of_date the run was given, if any: the date the
	// project judged, which the report is as of.
	AsOf string

	// ProjectDir is the dbt project the run built, which the paths in the
	// project's meta are relative to.
	ProjectDir string

	// Warnings are what the user should hear about artifacts that may not
	// belong together, for stderr: triage goes on with them.
	Warnings []string

	invocation string // run_results.json's metadata.invocation_id
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
	Database     string `json:"database"`
	Schema       string `json:"schema"`
	Alias        string `json:"alias"`
	RelationName string `json:"relation_name"`
	AttachedNode string `json:"attached_node"`
	Config       struct {
		Meta     map[string]any `json:"meta"`
		Severity string         `json:"severity"`
	} `json:"config"`
	Meta map[string]any `json:"meta"`
}

// The artifact schemas invgen reads. dbt 1.10, 1.11 and 1.12 all write
// run-results v6 and manifest v12; so do dbt 1.8 and 1.9, and dbt Fusion
// writes run-results v6 too, which is why the dbt version is checked as
// well.
const (
	runResultsSchema = 6
	manifestSchema   = 12
)

// supportedDBT matches the dbt versions whose artifacts invgen was tested
// on, pre-releases included.
var supportedDBT = regexp.MustCompile(`^1\.(10|11|12)\.`)

// Read loads run_results.json and manifest.json from a dbt target folder and
// checks that a supported dbt wrote them.
func Read(target string) (*Artifacts, error) {
	art := &Artifacts{}
	results := filepath.Join(target, "run_results.json")
	if err := art.readRunResults(results); err != nil {
		return nil, err
	}
	manifest := filepath.Join(target, "manifest.json")
	if err := art.readManifest(manifest, results); err != nil {
		return nil, err
	}
	art.countUnknownResults(results, manifest)
	return art, nil
}

// countUnknownResults warns of results the manifest has no node for: they
// are left out of the report, and the user must know how many.
func (a *Artifacts) countUnknownResults(results, manifest string) {
	var unknown []string
	for _, r := range a.Results {
		if _, ok := a.Nodes[r.UniqueID]; !ok {
			unknown = append(unknown, r.UniqueID)
		}
	}
	if len(unknown) == 0 {
		return
	}
	a.Warnings = append(a.Warnings, fmt.Sprintf("%s: %d of %d results have no node in %s "+
		"and are left out (the first: %s): the manifest is not of this run's project",
		results, len(unknown), len(a.Results), manifest, unknown[0]))
}

func (a *Artifacts) readRunResults(path string) error {
	var rr struct {
		Metadata    metadata `json:"metadata"`
		Results     []Result `json:"results"`
		ElapsedTime float64  `json:"elapsed_time"`
		Args        struct {
			Vars       map[string]any `json:"vars"`
			ProjectDir string         `json:"project_dir"`
		} `json:"args"`
	}
	if err := readArtifact(path, &rr); err != nil {
		return err
	}
	if err := rr.Metadata.check(path, "run-results", runResultsSchema); err != nil {
		return err
	}
	a.Results, a.Elapsed = rr.Results, rr.ElapsedTime
	a.Produced, a.DBTVersion = rr.Metadata.GeneratedAt, rr.Metadata.DBTVersion
	a.invocation = rr.Metadata.InvocationID
	a.AsOf, _ = rr.Args.Vars["invgen_as_of_date"].(string)
	a.ProjectDir = projectDir(rr.Args.ProjectDir, filepath.Dir(path))
	return nil
}

// projectDir is the dbt project a run built: the project_dir dbt records,
// or the folder above the target folder, dbt's default target-path. The
// first of them that holds a dbt_project.yml wins, so artifacts copied from
// another machine still lead to the project beside them.
func projectDir(recorded, target string) string {
	above := filepath.Dir(target)
	for _, dir := range []string{recorded, above} {
		if dir == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "dbt_project.yml")); err == nil {
			return dir
		}
	}
	if recorded != "" {
		return recorded
	}
	return above
}

// usablePath is a path the generated project names relative to itself
// (../erp_atp.yml) as the user can open it from where triage runs: relative
// to the current folder when it lies inside it, else absolute.
func (a *Artifacts) usablePath(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	abs, err := filepath.Abs(filepath.Join(a.ProjectDir, filepath.FromSlash(p)))
	if err != nil {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return abs
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return abs
	}
	return rel
}

// readManifest reads the manifest and checks it belongs with the run
// results read before from results: a different dbt is refused, since the
// two schemas need not agree; a different invocation is only warned of, as
// `dbt test` after `dbt build` rewrites run_results.json alone and the
// manifest of an unchanged project still describes it.
func (a *Artifacts) readManifest(path, results string) error {
	var m struct {
		Metadata  metadata            `json:"metadata"`
		Nodes     map[string]Node     `json:"nodes"`
		Sources   map[string]Node     `json:"sources"`
		ParentMap map[string][]string `json:"parent_map"`
	}
	if err := readArtifact(path, &m); err != nil {
		return err
	}
	if err := m.Metadata.check(path, "manifest", manifestSchema); err != nil {
		return err
	}
	if m.Metadata.DBTVersion != a.DBTVersion {
		return fmt.Errorf("%s was written by dbt %s, %s by dbt %s: they are not of one "+
			"run; give --target the folder one dbt invocation wrote", results, a.DBTVersion,
			path, m.Metadata.DBTVersion)
	}
	if id := m.Metadata.InvocationID; id != a.invocation {
		a.Warnings = append(a.Warnings, fmt.Sprintf("%s is of dbt invocation %s, %s of %s: "+
			"the manifest may not describe the run exactly", results, orNone(a.invocation),
			path, orNone(id)))
	}
	a.Nodes, a.Sources, a.Parents = m.Nodes, m.Sources, m.ParentMap
	return nil
}

func orNone(id string) string {
	if id == "" {
		return "(none given)"
	}
	return id
}

type metadata struct {
	SchemaVersion string `json:"dbt_schema_version"`
	DBTVersion    string `json:"dbt_version"`
	GeneratedAt   string `json:"generated_at"`
	InvocationID  string `json:"invocation_id"`
}

var schemaURL = regexp.MustCompile(`^https://schemas\.getdbt\.com/dbt/([a-z-]+)/v(\d+)\.json$`)

// check accepts exactly what dbt 1.10 to 1.12 write: the kind of artifact
// expected, in the one schema version they write, from one of them.
func (m metadata) check(path, kind string, version int) error {
	match := schemaURL.FindStringSubmatch(m.SchemaVersion)
	if match == nil || match[1] != kind {
		return fmt.Errorf("%s: not a dbt %s artifact: its metadata.dbt_schema_version "+
			"is %q", path, kind, m.SchemaVersion)
	}
	if found, _ := strconv.Atoi(match[2]); found != version {
		return fmt.Errorf("%s: %s schema v%s, written by %s, is not supported: invgen "+
			"reads %s v%d, which dbt 1.10 to 1.12 write", path, kind, match[2], m.writer(),
			kind, version)
	}
	if !supportedDBT.MatchString(m.DBTVersion) {
		return fmt.Errorf("%s: written by %s, which is not supported: invgen reads the "+
			"artifacts of dbt 1.10 to 1.12", path, m.writer())
	}
	return nil
}

func (m metadata) writer() string {
	if m.DBTVersion == "" {
		return "a dbt that does not give its version"
	}
	return "dbt " + m.DBTVersion
}

// readArtifact decodes one artifact. A file that is missing is most often
// a --target that is not a dbt target folder, so the message says so.
func readArtifact(path string, v any) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: --target must be the target folder a dbt run wrote to",
			err)
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: not a dbt artifact: %w", path, err)
	}
	return nil
}
