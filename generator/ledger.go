package generator

import (
	"fmt"
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// Ledger models.
const (
	observedModel   = "breaks_observed"
	runsModel       = "breaks_runs"
	ledgerModel     = "breaks_ledger"
	reportCardModel = "rpt_breaks_report_card"
	resolutionsSeed = "invgen_resolutions"
)

// ResolutionsPath is where, in a generated project, the team records how
// breaks were resolved; invgen run reads it from there too.
const ResolutionsPath = "seeds/" + resolutionsSeed + ".csv"

// ledger renders the breaks ledger: breaks_observed appends every break
// each run sees, with its tier, owner and root-cause hint, and breaks_runs
// every run that stored its observations; breaks_ledger turns the log into
// one row per break with when it was first and last seen and how it was
// resolved; the report card sums it up by week.
//
// The logs are append-only because appending is the one incremental
// strategy every warehouse has on plain tables: Spark on Parquet can
// neither merge nor overwrite a table it reads. So a rerun of an as-of date
// cannot replace what an earlier run of that date stored; the ledger reads
// only the latest run of each date instead, which breaks_runs names even
// when it saw no break at all.
func (r *renderer) ledger(ch *checks, models []recModel, monitors map[string]bool) {
	if len(models) == 0 {
		return
	}
	r.render("models/ledger/"+observedModel+".sql", "model.sql",
		r.observed(ch, models, monitors))
	r.render("models/ledger/"+runsModel+".sql", "model.sql", runsView())
	r.render("models/ledger/"+ledgerModel+".sql", "model.sql", ledgerView())
	r.render("models/ledger/"+reportCardModel+".sql", "model.sql", reportCardView())
	r.render("models/ledger/_ledger__models.yml", "reconciliation_models.yml", ledgerDocs())
	r.scaffold[ResolutionsPath] = []byte("break_key,root_cause,resolution," +
		"resolved_at\n")
}

// breakKey renders a stable text key from a check's key columns, one
// column to a line.
func breakKey(check, from string, cols ...string) []string {
	lines := []string{sqlString(check)}
	for _, col := range cols {
		lines = append(lines, fmt.Sprintf("    || '|' || "+
			"coalesce(cast(%s.%s as {{ dbt.type_string() }}), '')", from, col))
	}
	return append(lines, "    as break_key")
}

// hint is one signature a break can show: the condition that finds it,
// the root cause it suggests (an SQL string) and who is asked first when it
// holds (an SQL expression). A hint without a cause only refines the owner
// of the hint after it, whose condition its own implies.
type hint struct {
	cond  []string
	cause string
	owner string
}

// breakColumnsOf selects the columns every observed break carries, ending
// with who owns it and what its signature suggests.
func breakColumnsOf(check, from string, key, owner, cause []string) []string {
	return selectLines([][]string{
		{sqlString(check) + " as check_name"},
		key,
		{from + ".sku"},
		{from + ".location_id"},
		{from + ".business_date"},
		{from + ".break_qty"},
		{from + ".break_value"},
		owner,
		cause,
	})
}

// hinted selects a break's columns with its owner and root-cause hint
// following the first of hints that holds, else otherwise, whose condition
// is unused.
func hinted(check string, key []string, hints []hint, otherwise hint) []string {
	return breakColumnsOf(check, "breaks", key, ownerLines(hints, otherwise),
		causeLines(hints, otherwise))
}

// causeLines is the root-cause hint: a case over the signatures a break
// can show, or the one hint its check always gives.
func causeLines(hints []hint, otherwise hint) []string {
	if len(hints) == 0 {
		return []string{otherwise.cause + " as root_cause_hint"}
	}
	var whens []when
	for _, h := range hints {
		if h.cause != "" {
			whens = appendWhen(whens, when{h.cond, h.cause})
		}
	}
	return caseLines(whens, otherwise.cause, "root_cause_hint")
}

// ownerLines is who answers for the break: the owner of the hint that
// holds. Hints after the last one that asks someone other than otherwise
// change nothing and are left out; with none left the owner is one
// expression.
func ownerLines(hints []hint, otherwise hint) []string {
	last := -1
	for i, h := range hints {
		if h.owner != otherwise.owner {
			last = i
		}
	}
	if last < 0 {
		return []string{otherwise.owner + " as owner"}
	}
	var whens []when
	for _, h := range hints[:last+1] {
		whens = appendWhen(whens, when{h.cond, h.owner})
	}
	return caseLines(whens, otherwise.owner, "owner")
}

// appendWhen adds a branch to a case, or'd into the branch before it when
// both give the same and neither condition has an and of its own.
func appendWhen(whens []when, w when) []when {
	n := len(whens)
	if n == 0 || whens[n-1].then != w.then || len(w.cond) != 1 {
		return append(whens, w)
	}
	for _, line := range whens[n-1].cond[1:] {
		if !strings.HasPrefix(line, "or ") {
			return append(whens, w)
		}
	}
	whens[n-1].cond = append(whens[n-1].cond, "or "+w.cond[0])
	return whens
}

// observer builds breaks_observed: each check's share of the union of
// breaks, and the CTEs its hints and owners read, each added once.
type observer struct {
	v      *modelView
	ch     *checks
	estate *c.Estate
	frozen bool            // the flatline monitor's alerts are there to read
	added  map[string]bool // the shared CTEs already in the model
}

func (r *renderer) observed(ch *checks, models []recModel, monitors map[string]bool) modelView {
	v := modelView{
		Header: header(""),
		About: []string{
			"Every break every run sees, appended with the date it was observed, its",
			"alert tier, its owner and a root-cause hint read from its own signature.",
		},
		Config: appendOnlyConfig,
	}
	o := &observer{v: &v, ch: ch, estate: r.estate, added: map[string]bool{}}
	if monitors[MonitorFlatline] {
		v.addNoted("frozen", []string{"the on-hand books the flatline monitor alerts on"},
			block{Select: []string{"distinct system, sku, location_id"},
				From: ref(flatlineModel), Tail: []string{"where status = 'alert'"}})
		o.frozen = true
	}
	var blocks []block
	for _, m := range models {
		blocks = append(blocks, o.breaksOf(m))
	}
	v.add("breaks", blocks...)
	v.Final = block{
		Select: []string{"breaks.*,",
			"case",
			"    when check_name = " + sqlString(CheckHonesty) + " then 'page'",
			"    when abs(break_value) >= {{ var('invgen_ticket_value') }} then 'ticket'",
			"    else 'digest'",
			"end as alert_tier,",
			"{{ invgen_as_of_date() }} as observed_on,",
			"{{ invgen_run_started_at() }} as observed_at"},
		From: "breaks",
	}
	return v
}

// appendOnlyConfig configures the ledger's logs. full_refresh=false: they
// are the ledger's only history, and a `dbt build --full-refresh` must not
// erase it.
const appendOnlyConfig = "{{ config(\n    materialized='incremental',\n" +
	"    incremental_strategy=('merge' if target.type == 'bigquery' else 'append'),\n" +
	"    full_refresh=false,\n) }}"

// runsView is breaks_runs: one row per run, the as-of date it judged and the
// stamp its observations carry. It depends on breaks_observed, so dbt
// records a run only once its observations are stored: a run whose
// observations failed to build does not hide an earlier run of its date.
func runsView() modelView {
	return modelView{
		Header: header(""),
		About: []string{
			"Every run that stored its observations: the as-of date it judged and when it",
			"started, the stamp its rows in breaks_observed carry. The ledger takes the",
			"latest run of each date as what that date saw, a break or none.",
			"depends_on: {{ ref('" + observedModel + "') }}",
		},
		Config: appendOnlyConfig,
		Final: block{Select: []string{"{{ invgen_as_of_date() }} as observed_on,",
			"{{ invgen_run_started_at() }} as observed_at"}},
	}
}

// breaksOf adds the CTEs a check's hints need and returns its share of the
// union of breaks. It reads the check's comparisons, not its rec_ model,
// through the same filter.
func (o *observer) breaksOf(m recModel) block {
	sel := []string{"*"}
	if m.check == CheckHonesty {
		sel = o.honestyOwnerColumns()
	}
	o.v.add(m.check+"_breaks", block{Select: sel, From: ref(m.compare.name),
		Tail: m.compare.breakFilter})
	var b block
	switch m.check {
	case CheckConservation:
		b = o.conservation()
	case CheckParity:
		b = o.parity()
	case CheckHonesty:
		b = o.honesty()
	case CheckReturns:
		b = o.returns()
	default:
		b = o.controlTotals()
	}
	b.From = m.check + "_breaks as breaks"
	return b
}

// once adds a shared CTE the first time a check needs it.
func (o *observer) once(name string, add func()) {
	if !o.added[name] {
		o.added[name] = true
		add()
	}
}

// returns hints returns limbo, and asks whoever books the dispositions
// that never came.
func (o *observer) returns() block {
	byRefunds := map[string]string{}
	var refunds []string
	for _, p := range o.ch.returns {
		if _, ok := byRefunds[p.refunds.Source]; !ok {
			refunds = append(refunds, p.refunds.Source)
			byRefunds[p.refunds.Source] = p.dispositions.Owner
		}
	}
	return block{Select: breakColumnsOf(CheckReturns, "breaks",
		breakKey(CheckReturns, "breaks", "refund_source", "refund_id"),
		ownerByName("breaks.refund_source", refunds, byRefunds),
		[]string{"'returns limbo' as root_cause_hint"})}
}

// controlTotals hints a partial extract, and asks the owner of the feed
// that fell short. A control total break has a feed and a date, no SKU or
// location.
func (o *observer) controlTotals() block {
	byFeed := map[string]string{}
	var feeds []string
	for _, p := range o.ch.control {
		if _, ok := byFeed[p.checked.Source]; !ok {
			feeds = append(feeds, p.checked.Source)
			byFeed[p.checked.Source] = p.checked.Owner
		}
	}
	sel := breakColumnsOf(CheckControlTotals, "breaks",
		breakKey(CheckControlTotals, "breaks", "source_name", "business_date"),
		ownerByName("breaks.source_name", feeds, byFeed),
		[]string{"'partial extract' as root_cause_hint"})
	for i, line := range sel {
		switch line {
		case "breaks.sku,":
			sel[i] = "cast(null as {{ dbt.type_string() }}) as sku,"
		case "breaks.location_id,":
			sel[i] = "cast(null as {{ dbt.type_string() }}) as location_id,"
		}
	}
	return block{Select: sel}
}

// ownerByName is the owner a column naming a feed leads to: one literal
// when every name leads to one person, else a case over the names.
func ownerByName(column string, names []string, owners map[string]string) []string {
	var distinct []string
	for _, name := range names {
		distinct = appendNew(distinct, owners[name])
	}
	if len(distinct) == 1 {
		return []string{sqlString(distinct[0]) + " as owner"}
	}
	whens := make([]when, len(names))
	for i, name := range names {
		whens[i] = when{[]string{column + " = " + sqlString(name)}, sqlString(owners[name])}
	}
	return caseLines(whens, "", "owner")
}
