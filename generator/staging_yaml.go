package generator

import (
	"strings"

	c "github.com/invgen/invgen/contracts"
)

type sourcesFileView struct {
	Header      []string
	Source      string
	Description string
	Database    string
	Schema      string
	Table       string
	Meta        []keyValue
	Freshness   *freshnessView
	Columns     []docColumn
}

type freshnessView struct {
	LoadedAt    string
	WarnCount   int
	WarnPeriod  string
	ErrorCount  int
	ErrorPeriod string
}

type docColumn struct {
	Name        string
	Description string
}

func (r *renderer) sourcesView(con *c.Contract, from string) sourcesFileView {
	v := sourcesFileView{
		Header:      header(from),
		Source:      con.Source,
		Description: yamlScalar(describeSource(con)),
		Database:    con.Relation.Database,
		Schema:      con.Relation.Schema,
		Table:       con.Relation.Table,
		Meta:        contractMeta(con, from),
		Freshness:   freshness(con),
	}
	for _, col := range con.Columns {
		v.Columns = append(v.Columns, docColumn{Name: col.Name,
			Description: yamlScalar(rawColumnDoc(col))})
	}
	return v
}

func describeSource(con *c.Contract) string {
	if con.Description != "" {
		return con.Description
	}
	return "The " + string(con.Feed) + " feed of " + con.System + "."
}

// rawColumnDoc documents a raw column by what the contract says it means.
func rawColumnDoc(col c.Column) string {
	doc := col.Description
	if col.Role != "" {
		role := "Role " + string(col.Role) + ": " + c.DescribeRole(col.Role) + "."
		doc = strings.TrimSpace(strings.TrimSuffix(doc, ".") + ". " + role)
		doc = strings.TrimPrefix(doc, ". ")
	}
	if doc == "" {
		doc = "Carried through unchanged."
	}
	return doc
}

// contractMeta is the lineage every generated resource carries: who owns the
// feed, which contract froze it, and who hears about violations.
func contractMeta(con *c.Contract, from string) []keyValue {
	notify := con.OnViolation.Notify
	if len(notify) == 0 {
		notify = []string{"producer"}
	}
	return []keyValue{
		{"owner", yamlScalar(con.Owner)},
		{"contract_file", yamlScalar(from)},
		{"system", yamlScalar(con.System)},
		{"feed", yamlScalar(string(con.Feed))},
		{"notify", yamlList(notify)},
	}
}

// freshness states the contract's SLA the way dbt checks it: an error when
// the newest row is older than the SLA, a warning at half of it, so the
// owner hears before the promise breaks.
func freshness(con *c.Contract) *freshnessView {
	col, ok := con.Column(c.RoleLoadedAt)
	if !ok || con.Delivery.FreshnessSLA == "" {
		return nil
	}
	sla, err := c.ParseSLA(con.Delivery.FreshnessSLA)
	if err != nil {
		return nil // contracts.Load refuses this contract
	}
	warn := c.SLA{Minutes: max(1, sla.Minutes/2)}
	return &freshnessView{
		LoadedAt:    col.Name,
		WarnCount:   warn.Count(),
		WarnPeriod:  warn.Period(),
		ErrorCount:  sla.Count(),
		ErrorPeriod: sla.Period(),
	}
}

type modelsFileView struct {
	Header []string
	Meta   []keyValue
	Models []modelDoc
}

type modelDoc struct {
	Name         string
	Description  string
	Materialized string
	Tests        []testDoc
	Columns      []docColumn
}

type testDoc struct {
	Generic string
	Name    string
	Args    []keyValue
	Config  []keyValue
}

func (r *renderer) modelsView(con *c.Contract, p *stagingPlan, from string) modelsFileView {
	cols := docColumns(p.columns)
	held := "When the row landed and was held."
	if !con.Has(c.RoleLoadedAt) {
		held = "Null: the contract has no loaded_at column, so when the row landed, " +
			"and how long it has been held, is unknown; the quarantine SLA cannot " +
			"escalate it."
	}
	qcols := append([]docColumn{
		{"quarantine_reason", yamlScalar("The first contract rule the row breaks.")},
		{"quarantined_at", yamlScalar(held)},
	}, cols...)

	return modelsFileView{
		Header: header(from),
		Meta:   contractMeta(con, from),
		Models: []modelDoc{
			{Name: baseName(con.Source), Materialized: "table",
				Description: yamlScalar("Every raw row of " + con.Source +
					", typed and checked; the violation column says why a row is held."),
				Columns: cols},
			{Name: stgName(con.Source),
				Description: yamlScalar(strings.Join(stgSummary(con), " ")),
				Columns:     cols},
			{Name: quarantineName(con.Source),
				Description: yamlScalar("Rows of " + con.Source + " that break its " +
					"contract, with the reason; never dropped, never counted."),
				Tests:   []testDoc{quarantineTest(con, from)},
				Columns: qcols},
		},
	}
}

// quarantineTest reports held rows in the daily digest, or fails the build
// when the contract says violating rows must stop it. Exact replays are held
// but not reported: keeping the first copy already resolved them, and a
// daily line about them would teach people to skip the digest.
func quarantineTest(con *c.Contract, from string) testDoc {
	severity := "warn"
	if !con.Quarantines() {
		severity = "error"
	}
	return testDoc{
		Generic: "invgen_no_rows",
		Name:    c.QuarantineTest(con.Source),
		Config: []keyValue{
			{"severity", severity},
			{"where", yamlScalar("quarantine_reason <> 'exact replay'")},
			{"meta", "{alert_tier: digest, owner: " + yamlScalar(con.Owner) +
				", contract_file: " + yamlScalar(from) + "}"},
		},
	}
}

func docColumns(cols []stagedColumn) []docColumn {
	out := make([]docColumn, len(cols))
	for i, col := range cols {
		doc := col.doc
		if doc == "" {
			doc = "Carried through unchanged."
		}
		out[i] = docColumn{Name: col.name, Description: yamlScalar(doc)}
	}
	return out
}
