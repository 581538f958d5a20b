package generator

import (
	"fmt"
	"slices"
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// Alert tiers, by money and blast radius.
const (
	TierPage   = "page"
	TierTicket = "ticket"
	TierDigest = "digest"
)

// recModel is one generated reconciliation: its SQL and what its YAML says.
type recModel struct {
	check   string
	view    modelView
	compare *comparison // the intermediate model of every comparison, if split
	about   string
	feeds   []*c.Contract // the contracts it reads, the owning side first
	target  string        // where a proof injects its fault, if not feeds[0]
	tiers   []string
	columns []docColumn
}

// reconciliations renders the intermediate models, every check the estate
// supports, their YAML and the seed of tolerances.
func (r *renderer) reconciliations() {
	ch := r.pairChecks()
	r.intermediate(ch)
	models := r.recModels(ch)
	for _, m := range models {
		if m.compare != nil {
			r.render("models/intermediate/"+m.compare.name+".sql", "model.sql", m.compare.view)
		}
		r.render("models/reconciliation/"+recName(m.check)+".sql", "model.sql", m.view)
		target := m.target
		if target == "" {
			target = m.feeds[0].Source
		}
		r.result = append(r.result, Check{Name: m.check, Model: recName(m.check),
			Target: target})
	}
	r.render("models/intermediate/_intermediate__models.yml", "reconciliation_models.yml",
		intermediateDocs(ch, models))
	if len(models) > 0 {
		r.render("models/reconciliation/_reconciliation__models.yml",
			"reconciliation_models.yml", r.recDocs(ch, models))
	}
	compares := map[string]bool{}
	for _, m := range models {
		if m.compare != nil {
			compares[m.compare.name] = true
		}
	}
	monitors := r.monitors(ch, compares)
	r.accuracy(ch)
	r.ledger(ch, models, monitors)
	r.files["seeds/"+tolerancesSeed+".csv"] = tolerancesCSV(r.estate.Project)
	r.render("seeds/_seeds.yml", "seeds.yml", seedsView(len(models) > 0))
}

func (r *renderer) recModels(ch *checks) []recModel {
	var out []recModel
	if len(ch.conservation) > 0 {
		var feeds []*c.Contract
		for _, sf := range ch.conservation {
			feeds = append(append(feeds, sf.movements...), sf.positions...)
		}
		view := conservation(ch, r.estate.Project.Checks.ConservationForm ==
			c.ConservationSelfJoin)
		cmp, rec := splitComparisons(view, "int_conservation_compared",
			"Every conservation comparison, within tolerance or not: what "+
				"rec_movement_conservation and the tolerance drift monitor read.")
		out = append(out, recModel{check: CheckConservation, view: rec, compare: cmp,
			feeds: feeds,
			about: "Movement conservation breaks: on-hand that movements do not explain.",
			tiers: []string{TierTicket, TierDigest}})
	}
	if len(ch.parity) > 0 {
		var feeds []*c.Contract
		for _, p := range ch.parity {
			feeds = appendUnique(appendUnique(feeds, p.wms.positions...), p.erp.positions...)
		}
		cmp, rec := splitComparisons(parity(ch), "int_parity_compared",
			"Every ERP-WMS comparison, within tolerance or not: what rec_erp_wms_parity "+
				"and the tolerance drift monitor read.")
		out = append(out, recModel{check: CheckParity, view: rec, compare: cmp, feeds: feeds,
			about: "ERP-WMS parity breaks: on-hand the two systems disagree on.",
			tiers: []string{TierTicket, TierDigest}})
	}
	if len(ch.honesty) > 0 {
		var feeds []*c.Contract
		for _, p := range ch.honesty {
			feeds = append(feeds, p.availability, p.atp)
		}
		cmp, rec := splitComparisons(honesty(ch), "int_availability_against_atp",
			"Every showing of storefront availability beside the latest "+
				"available-to-promise before it: what rec_storefront_honesty and the stale "+
				"availability monitor read.")
		out = append(out, recModel{check: CheckHonesty, view: rec, compare: cmp, feeds: feeds,
			about: "Storefront honesty breaks: availability shown above available-to-promise.",
			tiers: []string{TierPage}})
	}
	if len(ch.returns) > 0 {
		var feeds []*c.Contract
		for _, p := range ch.returns {
			feeds = append(feeds, p.dispositions, p.refunds)
		}
		cmp, rec := splitComparisons(returns(ch), "int_refunds_against_dispositions",
			"Every refund past grace beside the dispositions that account for it: what "+
				"rec_returns_closure and the breaks ledger read.")
		out = append(out, recModel{check: CheckReturns, view: rec, compare: cmp, feeds: feeds,
			target: ch.returns[0].refunds.Source,
			about:  "Returns closure breaks: refunded units with no disposition past grace.",
			tiers:  []string{TierTicket, TierDigest}})
	}
	if len(ch.control) > 0 {
		var feeds []*c.Contract
		for _, p := range ch.control {
			feeds = append(feeds, p.checked, p.control)
		}
		cmp, rec := splitComparisons(controlTotals(ch), "int_rows_against_control_totals",
			"Every feed's rows per business date beside its producer's control total: "+
				"what rec_control_totals and the breaks ledger read.")
		out = append(out, recModel{check: CheckControlTotals, view: rec, compare: cmp,
			feeds: feeds, about: "Control total breaks: business dates with rows missing " +
				"against the producer's own count.", tiers: []string{TierDigest}})
	}
	return out
}

// comparison is the intermediate model that holds every comparison a check
// makes, so that monitors can read what stays within tolerance, and the
// ledger can read breaks from a model no failing test stands above: dbt
// build skips whatever depends on a model whose error-severity test fails,
// and the ledger must be built precisely on the days with pages and tickets.
type comparison struct {
	name        string
	about       string
	view        modelView
	breakFilter []string // the where clause that makes a comparison a break
}

// splitComparisons cuts a reconciliation after its valued step: the steps
// become an intermediate model of every comparison, and the reconciliation
// selects the breaks from it.
func splitComparisons(v modelView, name, about string) (*comparison, modelView) {
	cmp := v
	cmp.About = wrap(about, 76)
	cmp.Final = block{Select: []string{"*"}, From: "valued"}
	filter := append(slices.Clip(v.Final.Tail), asOfFilter)
	rec := modelView{Header: v.Header, About: v.About,
		Final: block{Select: v.Final.Select, From: ref(name), Tail: filter}}
	return &comparison{name: name, about: about, view: cmp, breakFilter: filter}, rec
}

// asOfFilter keeps a run from judging days after its as-of date, so that a
// replay of past days (a backfill of the ledger) sees breaks on the day it
// would have, not before they happened.
const asOfFilter = "    and business_date <= {{ invgen_as_of_date() }}"

type docModelsView struct {
	Header []string
	Models []docModel
}

type docModel struct {
	Name        string
	Description string
	Meta        []keyValue
	Tests       []docTest
	Columns     []docColumn
}

type docTest struct {
	Generic  string
	Name     string
	Severity string
	Meta     []keyValue
}

func (r *renderer) recDocs(ch *checks, models []recModel) docModelsView {
	v := docModelsView{Header: header("")}
	for _, m := range models {
		meta := r.lineageMeta(ch, m)
		doc := docModel{Name: recName(m.check), Description: yamlScalar(m.about),
			Meta: meta, Columns: recColumns(m.view.Final.Select)}
		for _, tier := range m.tiers {
			doc.Tests = append(doc.Tests, tierTest(m.check, tier, meta))
		}
		v.Models = append(v.Models, doc)
	}
	return v
}

// tierTest asserts a reconciliation empty at one tier: a page for any
// honesty break, a ticket for a break worth the threshold, a digest line for
// any break at all.
func tierTest(check, tier string, meta []keyValue) docTest {
	t := docTest{Generic: "invgen_no_rows", Name: recName(check) + "__" + tier,
		Severity: "error"}
	switch tier {
	case TierTicket:
		t.Generic = "invgen_ticket_breaks"
	case TierDigest:
		t.Severity = "warn"
	}
	t.Meta = append([]keyValue{{"alert_tier", tier}}, meta...)
	return t
}

// lineageMeta is what an alert needs to lead to its owner in one step: the
// owner, every contract involved, and the path from the check to the raw
// sources.
func (r *renderer) lineageMeta(ch *checks, m recModel) []keyValue {
	head := []string{recName(m.check)}
	if m.compare != nil {
		head = append(head, m.compare.name)
	}
	if m.check == CheckConservation || m.check == CheckParity {
		head = append(head, "int_daily_positions")
	}
	meta := r.feedMeta(m.check, m.feeds, head)
	return append([]keyValue{{"check", m.check}}, meta...)
}

// feedMeta names the owner (of the first feed), every owner and contract
// involved, and the lineage from the given models down to the raw sources.
func (r *renderer) feedMeta(name string, feeds []*c.Contract, head []string) []keyValue {
	var owners, contractPaths, staging, sourcesList []string
	for _, con := range feeds {
		owners = appendNew(owners, con.Owner)
		contractPaths = appendNew(contractPaths, r.contractPath(con))
		staging = appendNew(staging, stgName(con.Source))
		sourcesList = appendNew(sourcesList, con.Source+"."+con.Relation.Table)
	}
	lineage := append(append(head, staging...), prefixAll("source:", sourcesList)...)
	return []keyValue{
		{"owner", yamlScalar(owners[0])},
		{"owners", yamlList(owners)},
		{"contracts", yamlList(contractPaths)},
		{"lineage", yamlList(lineage)},
	}
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func prefixAll(prefix string, list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = prefix + s
	}
	return out
}

// columnDocs documents the columns reconciliation models select.
var columnDocs = map[string]string{
	"check_name":          "The check that found the break.",
	"system":              "The system whose records break.",
	"sku":                 "The stock-keeping unit.",
	"location_id":         "The location.",
	"location_class":      "The location's class, which sets the tolerance.",
	"business_date":       "The business date of the break, in the source timezone.",
	"previous_date":       "The business date of the previous reported on-hand.",
	"previous_on_hand":    "The on-hand reported on previous_date.",
	"movements_since":     "The net signed movements booked after previous_date, up to this date.",
	"erp_on_hand":         "The ERP's end-of-day on-hand.",
	"wms_on_hand":         "The WMS's end-of-day on-hand.",
	"wms_to_erp_ratio":    "WMS on-hand over ERP on-hand; a pack size here means unit drift.",
	"erp_system":          "The ERP side of the pair compared, as int_daily_positions names it.",
	"wms_system":          "The WMS side of the pair compared, as int_daily_positions names it.",
	"availability_source": "The storefront availability source.",
	"atp_source":          "The available-to-promise source.",
	"shown_at":            "When the storefront showed the availability.",
	"atp_at":              "When the latest available-to-promise before it was computed.",
	"refund_source":       "The refunds source.",
	"refund_id":           "The refunded return line.",
	"refunded_at":         "When the refund was booked, in UTC.",
	"refunded_qty":        "Eaches refunded.",
	"disposed_qty":        "Eaches any disposition accounts for.",
	"source_name":         "The feed whose rows are counted.",
	"control_source":      "The producer's control totals.",
	"min_ratio":           "The least share of the control total the contract accepts.",
	"expected_qty":        "What the identity says the quantity should be.",
	"actual_qty":          "What the records say it is.",
	"break_qty":           "The break in eaches (rows, for control totals).",
	"tolerance_qty":       "The location class's tolerance, in eaches (rows, for control totals).",
	"unit_cost":           "The unit cost valid on the business date.",
	"break_value":         "break_qty times unit_cost: what the break is worth.",
}

// recColumns documents a model's final select list, by output name.
func recColumns(sel []string) []docColumn {
	var out []docColumn
	for _, line := range sel {
		name := strings.TrimSuffix(line, ",")
		if i := strings.LastIndex(name, " as "); i >= 0 {
			name = name[i+4:]
		}
		out = append(out, docColumn{Name: name, Description: yamlScalar(columnDocs[name])})
	}
	return out
}

func intermediateDocs(ch *checks, models []recModel) docModelsView {
	v := docModelsView{Header: header("")}
	for _, m := range models {
		if m.compare != nil {
			v.Models = append(v.Models, docModel{Name: m.compare.name,
				Description: yamlScalar(m.compare.about)})
		}
	}
	if len(ch.systems()) > 0 {
		cols := []docColumn{}
		for _, n := range []string{"system", "sku", "location_id", "business_date"} {
			cols = append(cols, docColumn{n, yamlScalar(columnDocs[n])})
		}
		cols = append(cols, docColumn{"on_hand", yamlScalar("The last on-hand the system " +
			"reported for the date; null when it reported none.")})
		for _, mc := range movementColumns {
			cols = append(cols, docColumn{mc.name, yamlScalar(fmt.Sprintf("Eaches of %s "+
				"movements booked that day.", strings.ReplaceAll(mc.types, "'", "")))})
		}
		cols = append(cols, docColumn{"net_movement", yamlScalar("The day's movements " +
			"summed by their signed effect on on-hand.")}, docColumn{"movement_count",
			yamlScalar("Movements booked that day.")})
		v.Models = append(v.Models, docModel{Name: "int_daily_positions",
			Description: yamlScalar("Daily on-hand and movements per system, SKU, location " +
				"and business date."), Columns: cols})
	}
	if ch.costs != nil {
		v.Models = append(v.Models, docModel{Name: "dim_sku_cost",
			Description: yamlScalar("Unit cost per SKU and validity period."),
			Columns: docs("sku", "The stock-keeping unit.", "unit_cost", "The cost of one each.",
				"valid_from", "The first business date the cost applies to.", "valid_to",
				"The first business date it no longer applies to; null while current.")})
	}
	if ch.locations != nil {
		v.Models = append(v.Models, docModel{Name: "dim_locations",
			Description: yamlScalar("Every location with its class and tolerance."),
			Columns: docs("location_id", "The location.", "location_class", "Its class.",
				"tolerance_qty", "Absolute tolerance in eaches.", "tolerance_pct",
				"Relative tolerance, a fraction of the expected quantity.")})
	}
	return v
}

func docs(pairs ...string) []docColumn {
	var out []docColumn
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, docColumn{pairs[i], yamlScalar(pairs[i+1])})
	}
	return out
}

type seedsFileView struct {
	Header []string
	Seeds  []seedDoc
}

type seedDoc struct {
	Name        string
	Description string
	Columns     []docColumn
}

func seedsView(ledger bool) seedsFileView {
	v := seedsFileView{Header: header(), Seeds: []seedDoc{{
		Name: tolerancesSeed,
		Description: yamlScalar("Tolerance per location class, from invgen.yml; the " +
			"default class applies where a location's class is not listed."),
		Columns: docs("location_class", "The location class.", "tolerance_qty",
			"Absolute tolerance in eaches.", "tolerance_pct",
			"Relative tolerance, a fraction of the expected quantity."),
	}}}
	if ledger {
		v.Seeds = append(v.Seeds, seedDoc{Name: resolutionsSeed,
			Description: yamlScalar("Resolutions the team records, one row per resolved " +
				"break: generated with its header only; add rows, invgen never rewrites " +
				"them once the file exists."),
			Columns: docs("break_key", "The break_key from breaks_ledger.", "root_cause",
				"What caused it.", "resolution", "What was done.", "resolved_at",
				"The date it was resolved (YYYY-MM-DD).")})
	}
	return v
}
