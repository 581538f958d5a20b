package generator

import (
	"fmt"
	"path"
	"slices"
	"strings"

	c "github.com/invgen/invgen/contracts"
)

func stgName(source string) string        { return c.StagingModel(source) }
func baseName(source string) string       { return c.BaseModel(source) }
func quarantineName(source string) string { return c.QuarantineModel(source) }

// staging renders the five files of one source's staging folder: the source
// and model YAML, the base model that types and checks every raw row, the
// staging model of rows that honour the contract and the quarantine of the
// rest.
func (r *renderer) staging(con *c.Contract) {
	plan := planStaging(r.estate, con)
	dir := path.Join("models", "staging", con.Source)
	from := r.contractPath(con)

	r.render(path.Join(dir, "_"+con.Source+"__sources.yml"), "sources.yml",
		r.sourcesView(con, from))
	r.render(path.Join(dir, "_"+con.Source+"__models.yml"), "staging_models.yml",
		r.modelsView(con, plan, from))
	r.render(path.Join(dir, baseName(con.Source)+".sql"), "model.sql", baseView(plan, from))
	r.render(path.Join(dir, stgName(con.Source)+".sql"), "stg.sql", stgView(plan, from))
	r.render(path.Join(dir, quarantineName(con.Source)+".sql"), "quarantine.sql",
		quarantineView(plan, from))
}

// baseView lays the plan out as one CTE per step: rename, map codes, convert
// units, derive, check, rank duplicates.
func baseView(p *stagingPlan, from string) modelView {
	con := p.contract
	v := modelView{
		Header: header(from),
		About: []string{
			"Every raw row of " + con.Source + ", typed, renamed to canonical roles and",
			"checked against its contract. " + stgName(con.Source) + " keeps the rows that",
			"pass; " + quarantineName(con.Source) + " holds the rest.",
		},
	}

	v.add("source", block{Select: []string{"*"},
		From: call("source", con.Source, con.Relation.Table)})
	v.add("renamed", block{Select: selectLines(p.renamed), From: "source"})
	v.add("mapped", block{Select: selectLines(prepend("renamed.*", p.mapped)), From: "renamed"})
	last := "mapped"
	if p.conversion != nil {
		v.add("converted", block{
			Select: selectLines([][]string{{"mapped.*"},
				{p.conversion.Factor + " as each_per_uom"}}),
			From: "mapped",
			Tail: []string{
				"left join " + p.conversion.Ref + " as conversions",
				"    on mapped.sku = conversions.sku",
				"    and " + p.conversion.UOMMatch,
			},
		})
		last = "converted"
	}
	if len(p.derived) > 0 {
		v.add("derived", block{Select: selectLines(prepend(last+".*", p.derived)), From: last})
		last = "derived"
	}
	v.add("checked", block{Select: selectLines(checkedItems(p, last)), From: last})
	last = "checked"
	if len(p.key) > 0 {
		v.add("ranked", block{Select: selectLines(append([][]string{{"checked.*"}},
			rankItems(p)...)), From: "checked"})
		last = "ranked"
	}
	v.Final = block{Select: []string{"*"}, From: last}
	return v
}

func prepend(first string, items [][]string) [][]string {
	return append([][]string{{first}}, items...)
}

// selectLines flattens select items into lines, with a comma after the last
// line of every item but the last.
func selectLines(items [][]string) []string {
	var lines []string
	for i, item := range items {
		for j, line := range item {
			if j == len(item)-1 && i < len(items)-1 {
				line += ","
			}
			lines = append(lines, line)
		}
	}
	return lines
}

func checkedItems(p *stagingPlan, from string) [][]string {
	items := [][]string{{from + ".*"}}
	if p.effect != nil {
		items = append(items, p.effect)
	}
	var whens []when
	for _, ch := range p.checks {
		whens = append(whens, when{[]string{ch.Condition}, sqlString(ch.Reason)})
	}
	items = append(items, caseLines(whens, "", "violation"))
	if len(p.key) == 0 {
		items = append(items, []string{"1 as occurrence"}, []string{"1 as payload_occurrence"})
	}
	return items
}

// rankItems number the rows of each idempotency key, and the rows of each
// key that are identical but for when they landed: a later identical row is
// an exact replay, which is harmless; a later row that differs is a
// conflicting duplicate, which someone must resolve.
func rankItems(p *stagingPlan) [][]string {
	payload := []string{}
	for _, col := range p.order {
		if col != "loaded_at" {
			payload = append(payload, col)
		}
	}
	order := []string{"loaded_at"}
	if len(p.order) == 0 || p.order[0] != "loaded_at" {
		order = p.order
	}
	key := append(append([]string{}, p.key...), "violation")
	return [][]string{
		rowNumber(key, p.order, "occurrence"),
		rowNumber(append(slices.Clip(key), payload...), order, "payload_occurrence"),
	}
}

// rowNumber numbers rows within a partition, its column lists wrapped when
// long.
func rowNumber(partition, order []string, alias string) []string {
	lines := []string{"row_number() over ("}
	lines = append(lines, indent(listClause("partition by", partition))...)
	lines = append(lines, indent(listClause("order by", order))...)
	return append(lines, ") as "+alias)
}

type stgModelView struct {
	Header  []string
	Summary []string
	Columns []string
	BaseRef string
}

func stgView(p *stagingPlan, from string) stgModelView {
	return stgModelView{
		Header:  header(from),
		Summary: wrap(strings.Join(stgSummary(p.contract), " "), 76),
		Columns: commaSeparated(columnNames(p.columns)),
		BaseRef: ref(baseName(p.contract.Source)),
	}
}

// stgSummary says in a sentence or two what one row of the model is.
func stgSummary(con *c.Contract) []string {
	lines := []string{fmt.Sprintf("One row per %s of %s that honours its contract",
		rowNoun(con.Feed), con.Source)}
	if con.Has(c.RoleQuantity) {
		lines[0] += ", quantities in eaches"
	}
	lines[0] += "."
	if con.Semantics.Timezone != "" {
		lines = append(lines, "Business dates are "+con.Semantics.Timezone+" dates.")
	}
	return lines
}

func rowNoun(f c.Feed) string {
	return map[c.Feed]string{
		c.FeedMovements: "stock movement", c.FeedPositions: "stock position",
		c.FeedAvailability: "availability snapshot", c.FeedRefunds: "refunded return line",
		c.FeedDispositions: "return disposition", c.FeedCosts: "unit cost",
		c.FeedUOMConversions: "pack size", c.FeedLocations: "location",
		c.FeedCycleCounts: "physical count", c.FeedControlTotals: "daily control total",
	}[f]
}

func columnNames(cols []stagedColumn) []string {
	names := make([]string, len(cols))
	for i, col := range cols {
		names[i] = col.name
	}
	return names
}

type quarantineModelView struct {
	Header        []string
	Source        string
	Owner         string
	QuarantinedAt string
	Columns       []string
	BaseRef       string
}

// quarantineView holds violating rows. A row's quarantine age runs from
// when it landed; a feed without a loaded_at column does not say, so its
// rows' quarantined_at is null rather than a time that would restart with
// every run and never let the row age past the SLA.
func quarantineView(p *stagingPlan, from string) quarantineModelView {
	at := "cast(null as {{ dbt.type_timestamp() }})"
	if p.contract.Has(c.RoleLoadedAt) {
		at = "loaded_at"
	}
	return quarantineModelView{
		Header:        header(from),
		Source:        p.contract.Source,
		Owner:         p.contract.Owner,
		QuarantinedAt: at,
		Columns:       commaSeparated(columnNames(p.columns)),
		BaseRef:       ref(baseName(p.contract.Source)),
	}
}
