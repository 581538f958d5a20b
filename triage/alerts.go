package triage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/invgen/invgen/runner"
)

// Report builds the alert view from the artifacts. With db (the DuckDB file
// the run wrote to) it also values each alert from its stored failures.
func (a *Artifacts) Report(ctx context.Context, db *sql.DB) (*runner.Report, error) {
	rep := &runner.Report{AsOf: strings.SplitN(a.Produced, "T", 2)[0]}
	for _, res := range a.Results {
		node, ok := a.Nodes[res.UniqueID]
		if !ok || node.ResourceType != "test" {
			if ok && node.ResourceType == "model" {
				rep.Models++
			}
			continue
		}
		rep.Tests++
		if res.Status == "pass" || res.Status == "skipped" {
			continue
		}
		alert, err := a.alert(ctx, db, node, res)
		if err != nil {
			return nil, err
		}
		rep.Alerts = append(rep.Alerts, alert)
	}
	runner.Finish(rep)
	return rep, nil
}

func (a *Artifacts) alert(ctx context.Context, db *sql.DB, node Node,
	res Result) (runner.Alert, error) {
	meta := node.Config.Meta
	al := runner.Alert{Tier: str(meta["alert_tier"]), Test: node.Name, Status: res.Status}
	if al.Tier == "" {
		al.Tier = "digest"
	}
	if res.Failures != nil {
		al.Rows = *res.Failures
	}
	al.Lineage = a.lineage(node, meta)
	if db == nil {
		return al, nil
	}
	if node.RelationName != "" {
		v, err := runner.SumBreakValue(ctx, db, node.RelationName)
		if err != nil {
			return al, err
		}
		al.Value = v
	}
	for i, q := range al.Lineage.Quarantine {
		if err := db.QueryRowContext(ctx, "select count(*) from "+q.Relation).Scan(
			&al.Lineage.Quarantine[i].HeldRows); err != nil {
			return al, err
		}
	}
	return al, nil
}

// lineage walks the parent map up from the test: through the models it
// checks to the staging models and the sources, whose meta names the
// contract and the owner.
func (a *Artifacts) lineage(test Node, meta map[string]any) runner.Lineage {
	l := runner.Lineage{Check: str(meta["check"]), Monitor: str(meta["monitor"])}
	if m, ok := a.Nodes[test.AttachedNode]; ok {
		l.Model = m.Name
	}
	seen := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		for _, p := range a.Parents[id] {
			// Reference data (costs, locations) feeds every check; the
			// lineage that finds a break's owner runs through the feeds.
			if seen[p] || strings.HasPrefix(a.Nodes[p].Name, "dim_") {
				continue
			}
			seen[p] = true
			a.visit(&l, p)
			walk(p)
		}
	}
	walk(test.AttachedNode)
	return l
}

func (a *Artifacts) visit(l *runner.Lineage, id string) {
	if src, ok := a.Sources[id]; ok {
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
		if q, ok := a.Nodes["model."+strings.SplitN(id, ".", 3)[1]+".quarantine_"+
			src.SourceName]; ok {
			l.Quarantine = append(l.Quarantine, runner.Quarantine{Relation: q.RelationName,
				HeldRows: -1})
		}
		return
	}
	n, ok := a.Nodes[id]
	if !ok || n.ResourceType != "model" {
		return
	}
	switch {
	case strings.HasPrefix(n.Name, "stg_"):
		l.Staging = append(l.Staging, n.Name)
	case strings.HasPrefix(n.Name, "int_"):
		l.Intermediate = append(l.Intermediate, n.Name)
	}
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
