package triage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/invgen/invgen/runner"
)

// Report is a warehouse run's alert view: invgen run's report, and the
// models, seeds and snapshots that did not build. A run has no such thing
// on embedded DuckDB, where one failing model fails the whole run, but in
// the warehouse it leaves every check downstream of it unrun.
type Report struct {
	runner.Report
	NotBuilt []NotBuilt `json:"not_built"`
}

// NotBuilt is a node of the run that errored or was skipped.
type NotBuilt struct {
	Name         string `json:"name"`
	ResourceType string `json:"resource_type"`
	Status       string `json:"status"`
	// Message is dbt's error, for a node that errored.
	Message string `json:"message,omitempty"`
	// After names the nodes upstream whose error made dbt skip this one.
	After []string `json:"after,omitempty"`
}

// Paging reports whether any page or ticket test failed, errored or was
// skipped: the findings exit code. It replaces runner.Report's, which counts
// failures alone, because in a warehouse run a check that did not run is a
// check that did not pass.
func (r *Report) Paging() bool {
	for _, a := range r.Alerts {
		if (a.Tier == "page" || a.Tier == "ticket") && notPassed(a.Status) {
			return true
		}
	}
	return false
}

// notPassed is a test outcome the on-call must act on; warn is a test
// configured to warn, which only the digest tier is.
func notPassed(status string) bool {
	return status == "fail" || status == "error" || status == "skipped"
}

// Report builds the alert view from the artifacts. With db (the DuckDB file
// the run wrote to) it also values each alert from the failures this run
// stored, counts the rows its sources hold in quarantine, and ranks the
// locations by open break value from the ledger the run built. Without it
// those are unknown: no values, no top locations.
func (a *Artifacts) Report(ctx context.Context, db *sql.DB) (*Report, error) {
	rep := &Report{Report: runner.Report{AsOf: a.asOf()}}
	status := a.statuses()
	for _, res := range a.Results {
		node, ok := a.Nodes[res.UniqueID]
		if !ok {
			continue
		}
		if node.ResourceType != "test" {
			a.countNode(rep, node, res, status)
			continue
		}
		rep.Tests++
		if res.Status == "pass" {
			continue
		}
		alert, err := a.alert(ctx, db, node, res, status)
		if err != nil {
			return nil, err
		}
		rep.Alerts = append(rep.Alerts, alert)
	}
	runner.Finish(&rep.Report)
	if db == nil {
		return rep, nil
	}
	top, err := a.topLocations(ctx, db, status)
	if err != nil {
		return nil, err
	}
	rep.TopLocations = top
	return rep, nil
}

// topLocations ranks the locations by open break value in the breaks
// ledger, as invgen run does, when this run built the ledger: a ledger it
// did not build is an earlier run's.
func (a *Artifacts) topLocations(ctx context.Context, db *sql.DB,
	status map[string]string) ([]runner.LocationValue, error) {
	for id, n := range a.Nodes {
		if n.ResourceType != "model" || n.Name != "breaks_ledger" || status[id] != "success" {
			continue
		}
		ok, err := exists(ctx, db, n)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, &DBError{Msg: fmt.Sprintf("%s: the breaks ledger this run built is "+
				"not in the database: is it the one this run wrote to?", n.RelationName)}
		}
		top, err := runner.TopLocations(ctx, db, n.RelationName)
		if err != nil {
			return nil, fmt.Errorf("ranking locations from %s: %w", n.RelationName, err)
		}
		return top, nil
	}
	return nil, nil
}

func (a *Artifacts) asOf() string {
	if a.AsOf != "" {
		return a.AsOf
	}
	return strings.SplitN(a.Produced, "T", 2)[0]
}

func (a *Artifacts) statuses() map[string]string {
	out := make(map[string]string, len(a.Results))
	for _, res := range a.Results {
		out[res.UniqueID] = res.Status
	}
	return out
}

// countNode counts a model and records any node that did not build.
func (a *Artifacts) countNode(rep *Report, node Node, res Result, status map[string]string) {
	if node.ResourceType == "model" {
		rep.Models++
	}
	switch res.Status {
	case "error":
		rep.NotBuilt = append(rep.NotBuilt, NotBuilt{Name: node.Name,
			ResourceType: node.ResourceType, Status: res.Status, Message: res.Message})
	case "skipped":
		rep.NotBuilt = append(rep.NotBuilt, NotBuilt{Name: node.Name,
			ResourceType: node.ResourceType, Status: res.Status,
			After: a.upstreamErrors(node.UniqueID, status)})
	}
}

// upstreamErrors walks up through skipped nodes to the ones that errored.
func (a *Artifacts) upstreamErrors(id string, status map[string]string) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		for _, p := range a.Parents[id] {
			if seen[p] {
				continue
			}
			seen[p] = true
			switch status[p] {
			case "error", "fail":
				out = append(out, a.Nodes[p].Name)
			case "skipped":
				walk(p)
			}
		}
	}
	walk(id)
	slices.Sort(out)
	return out
}

func (a *Artifacts) alert(ctx context.Context, db *sql.DB, node Node, res Result,
	status map[string]string) (runner.Alert, error) {
	meta := node.Config.Meta
	al := runner.Alert{Tier: str(meta["alert_tier"]), Test: node.Name, Status: res.Status}
	if al.Tier == "" {
		al.Tier = "digest"
	}
	if res.Failures != nil {
		al.Rows = *res.Failures
	}
	// Only a test that ran and found rows stored them in this run; a stored
	// table behind an errored or skipped test is an earlier run's.
	var only map[string]bool
	if db != nil && (res.Status == "fail" || res.Status == "warn") && node.RelationName != "" {
		v, err := storedValue(ctx, db, node)
		if err != nil {
			return al, err
		}
		al.Value, al.NoValue = v, v == nil
		only, err = runner.FailingSources(ctx, db, node.Schema, node.relationIdentifier(),
			node.RelationName)
		if err != nil {
			return al, fmt.Errorf("reading the sources %s names: %w", node.RelationName, err)
		}
	}
	al.Lineage = runner.AlertLineage(a.Nodes[node.AttachedNode].Name, meta, only,
		a.sourceInfo)
	if db == nil {
		return al, nil
	}
	quarantines := a.quarantineByRelation()
	for i, q := range al.Lineage.Quarantine {
		qn := quarantines[q.Relation]
		n, err := held(ctx, db, qn, status[qn.UniqueID])
		if err != nil {
			return al, err
		}
		al.Lineage.Quarantine[i].HeldRows = n
	}
	return al, nil
}

// DBError is a database that lacks what the artifacts say the run stored
// in it: most often the file of another run or target.
type DBError struct {
	Msg string
}

// Error names the missing relation and the likely mistake, so the user
// checks --db before suspecting invgen.
func (e *DBError) Error() string { return e.Msg }

// storedValue sums what the failing rows a test stored are worth, or is
// nil when they carry no value.
func storedValue(ctx context.Context, db *sql.DB, test Node) (*float64, error) {
	ok, err := exists(ctx, db, test)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &DBError{Msg: fmt.Sprintf("%s: the failures test %s stored are not in "+
			"the database: is it the one this run wrote to, with store_failures on?",
			test.RelationName, test.Name)}
	}
	v, err := runner.SumBreakValue(ctx, db, test.RelationName)
	if err != nil {
		return nil, fmt.Errorf("valuing %s from %s: %w", test.Name, test.RelationName, err)
	}
	return v, nil
}

// exists says whether a node's relation is in the database, as a table or
// a view.
func exists(ctx context.Context, db *sql.DB, n Node) (bool, error) {
	var count int
	err := db.QueryRowContext(ctx, "select count(*) from information_schema.tables "+
		"where table_catalog = ? and table_schema = ? and table_name = ?",
		n.Database, n.Schema, n.relationIdentifier()).Scan(&count)
	if err != nil {
		return false, fmt.Errorf("looking for %s: %w", n.RelationName, err)
	}
	return count > 0, nil
}

// held counts a quarantine relation's rows, or returns -1 when this run did
// not build it: what it holds then is not this run's, if it exists at all.
func held(ctx context.Context, db *sql.DB, q Node, status string) (int, error) {
	if status == "error" || status == "skipped" {
		return -1, nil
	}
	ok, err := exists(ctx, db, q)
	if err != nil || !ok {
		return -1, err
	}
	var n int
	err = db.QueryRowContext(ctx, "select count(*) from "+q.RelationName).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting %s: %w", q.RelationName, err)
	}
	return n, nil
}

func (n Node) relationIdentifier() string {
	if n.Alias != "" {
		return n.Alias
	}
	return n.Name
}

// sourceInfo is what the manifest says of a source: its table, and in its
// meta the contract file (relative to the dbt project, given here as a
// path the user can open) and the owner; and the quarantine model the
// project builds for it.
func (a *Artifacts) sourceInfo(source string) (runner.SourceInfo, bool) {
	for _, id := range sortedKeys(a.Sources) {
		src := a.Sources[id]
		if src.SourceName != source {
			continue
		}
		smeta := src.Config.Meta
		if smeta == nil {
			smeta = src.Meta
		}
		si := runner.SourceInfo{Table: src.Name, Owner: str(smeta["owner"]),
			Contract: a.usablePath(str(smeta["contract_file"]))}
		pkg := strings.SplitN(id, ".", 3)[1]
		if q, ok := a.Nodes["model."+pkg+".quarantine_"+source]; ok {
			si.Quarantine = q.RelationName
		}
		return si, true
	}
	return runner.SourceInfo{}, false
}

// quarantineByRelation finds the quarantine model behind a relation a
// lineage names.
func (a *Artifacts) quarantineByRelation() map[string]Node {
	out := map[string]Node{}
	for _, n := range a.Nodes {
		if n.ResourceType == "model" && strings.HasPrefix(n.Name, "quarantine_") {
			out[n.RelationName] = n
		}
	}
	return out
}

func sortedKeys(m map[string]Node) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
