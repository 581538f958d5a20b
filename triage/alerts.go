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
	var quarantine []Node
	al.Lineage, quarantine = a.lineage(node, meta)
	if db == nil {
		return al, nil
	}
	// Only a test that ran and found rows stored them in this run; a stored
	// table behind an errored or skipped test is an earlier run's.
	if (res.Status == "fail" || res.Status == "warn") && node.RelationName != "" {
		v, err := storedValue(ctx, db, node)
		if err != nil {
			return al, err
		}
		al.Value, al.NoValue = v, v == nil
	}
	for i, q := range quarantine {
		n, err := held(ctx, db, q, status[q.UniqueID])
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

// lineage walks the parent map up from the test: through the models it
// checks to the staging models and the sources, whose meta names the
// contract and the owner. It also returns the quarantine model of each
// source, in the order of the lineage's quarantine relations.
func (a *Artifacts) lineage(test Node, meta map[string]any) (runner.Lineage, []Node) {
	w := &walk{a: a, seen: map[string]bool{},
		l: runner.Lineage{Check: str(meta["check"]), Monitor: str(meta["monitor"])}}
	if m, ok := a.Nodes[test.AttachedNode]; ok {
		w.l.Model = m.Name
	}
	w.up(test.AttachedNode)
	return w.l, w.quarantine
}

// walk is one lineage being traced.
type walk struct {
	a          *Artifacts
	l          runner.Lineage
	quarantine []Node
	seen       map[string]bool
}

func (w *walk) up(id string) {
	for _, p := range w.a.Parents[id] {
		// Reference data (costs, locations) feeds every check; the
		// lineage that finds a break's owner runs through the feeds.
		if w.seen[p] || strings.HasPrefix(w.a.Nodes[p].Name, "dim_") {
			continue
		}
		w.seen[p] = true
		w.visit(p)
		w.up(p)
	}
}

func (w *walk) visit(id string) {
	if src, ok := w.a.Sources[id]; ok {
		w.source(id, src)
		return
	}
	n, ok := w.a.Nodes[id]
	if !ok || n.ResourceType != "model" {
		return
	}
	switch {
	case strings.HasPrefix(n.Name, "stg_"):
		w.l.Staging = append(w.l.Staging, n.Name)
	case strings.HasPrefix(n.Name, "int_"):
		w.l.Intermediate = append(w.l.Intermediate, n.Name)
	}
}

func (w *walk) source(id string, src Node) {
	l := &w.l
	l.Sources = append(l.Sources, src.SourceName+"."+src.Name)
	smeta := src.Config.Meta
	if smeta == nil {
		smeta = src.Meta
	}
	if f := str(smeta["contract_file"]); f != "" {
		l.Contracts = append(l.Contracts, f)
	}
	if o := str(smeta["owner"]); o != "" && !slices.Contains(l.Owners, o) {
		l.Owners = append(l.Owners, o)
	}
	pkg := strings.SplitN(id, ".", 3)[1]
	if q, ok := w.a.Nodes["model."+pkg+".quarantine_"+src.SourceName]; ok {
		l.Quarantine = append(l.Quarantine, runner.Quarantine{Relation: q.RelationName,
			HeldRows: -1})
		w.quarantine = append(w.quarantine, q)
	}
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
