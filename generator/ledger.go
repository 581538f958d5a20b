package generator

import (
	"fmt"
	"slices"
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// Ledger models.
const (
	observedModel   = "breaks_observed"
	ledgerModel     = "breaks_ledger"
	reportCardModel = "rpt_breaks_report_card"
	resolutionsSeed = "invgen_resolutions"
)

// ResolutionsPath is where, in a generated project, the team records how
// breaks were resolved; invgen run reads it from there too.
const ResolutionsPath = "seeds/" + resolutionsSeed + ".csv"

// ledger renders the breaks ledger: breaks_observed appends every break
// each run sees, with its tier, owner and root-cause hint; breaks_ledger
// turns the log into one row per break with when it was first and last
// seen and how it was resolved; the report card sums it up by week.
//
// The log is append-only because appending is the one incremental strategy
// every warehouse has on plain tables: Spark on Parquet can neither merge
// nor overwrite a table it reads.
func (r *renderer) ledger(ch *checks, models []recModel, monitors map[string]bool) {
	if len(models) == 0 {
		return
	}
	r.render("models/ledger/"+observedModel+".sql", "model.sql",
		r.observed(ch, models, monitors))
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

// breakColumnsOf selects the columns every observed break carries, and
// ends with its root-cause hint: the first of whens that holds, else
// otherwise.
func breakColumnsOf(check, from, owner string, key []string, whens []when,
	otherwise string) []string {
	return selectLines([][]string{
		{sqlString(check) + " as check_name"},
		key,
		{from + ".sku"},
		{from + ".location_id"},
		{from + ".business_date"},
		{from + ".break_qty"},
		{from + ".break_value"},
		{sqlString(owner) + " as owner"},
		hintLines(whens, otherwise),
	})
}

// hintLines is the root-cause hint: a case over the signatures a break can
// show, or the one hint its check always gives.
func hintLines(whens []when, otherwise string) []string {
	if len(whens) == 0 {
		return []string{sqlString(otherwise) + " as root_cause_hint"}
	}
	return caseLines(whens, sqlString(otherwise), "root_cause_hint")
}

// hints are the shared CTEs root-cause hints join: which exist.
type hints struct {
	frozen bool // SKU-locations the flatline monitor alerts on: sync death
}

func (r *renderer) observed(ch *checks, models []recModel, monitors map[string]bool) modelView {
	v := modelView{
		Header: header(""),
		About: []string{
			"Every break every run sees, appended with the date it was observed, its",
			"alert tier, its owner and a root-cause hint read from its own signature.",
		},
		// full_refresh=false: the log is the ledger's only history, and a
		// `dbt build --full-refresh` must not erase it.
		Config: "{{ config(\n    materialized='incremental',\n    incremental_strategy=" +
			"('merge' if target.type == 'bigquery' else 'append'),\n" +
			"    full_refresh=false,\n) }}",
	}
	h := hints{}
	if monitors[MonitorFlatline] {
		v.add("frozen", block{Select: []string{"distinct sku, location_id"},
			From: ref(flatlineModel), Tail: []string{"where status = 'alert'"}})
		h.frozen = true
	}
	var blocks []block
	for _, m := range models {
		blocks = append(blocks, r.observedBlock(&v, ch, m, h))
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
			"{{ dbt.current_timestamp() }} as observed_at"},
		From: "breaks",
	}
	return v
}

// observedBlock adds the CTEs a check's hints need and returns its share
// of the union of breaks. It reads the check's comparisons, not its rec_
// model, through the same filter.
func (r *renderer) observedBlock(v *modelView, ch *checks, m recModel, h hints) block {
	owner := m.feeds[0].Owner
	v.add(m.check+"_breaks", block{Select: []string{"*"}, From: ref(m.compare.name),
		Tail: m.compare.breakFilter})
	from := m.check + "_breaks as breaks"
	var b block
	switch m.check {
	case CheckConservation:
		b = conservationBreaks(v, ch, owner, h)
	case CheckParity:
		b = parityBreaks(v, ch, r.estate, owner, h)
	case CheckHonesty:
		b = honestyBreaks(ch, owner)
	case CheckReturns:
		b = block{Select: breakColumnsOf(m.check, "breaks", owner,
			breakKey(m.check, "breaks", "refund_source", "refund_id"), nil, "returns limbo")}
	default:
		b = block{Select: controlBreakColumns(m.check, owner)}
	}
	b.From = from
	return b
}

// controlBreakColumns are a control total break's: a feed and a date, with
// no SKU or location.
func controlBreakColumns(check, owner string) []string {
	sel := breakColumnsOf(check, "breaks", owner,
		breakKey(check, "breaks", "source_name", "business_date"), nil, "partial extract")
	for i, line := range sel {
		switch line {
		case "breaks.sku,":
			sel[i] = "cast(null as {{ dbt.type_string() }}) as sku,"
		case "breaks.location_id,":
			sel[i] = "cast(null as {{ dbt.type_string() }}) as location_id,"
		}
	}
	return sel
}

func conservationBreaks(v *modelView, ch *checks, owner string, h hints) block {
	var moves, held []block
	for _, sf := range ch.conservation {
		for _, mv := range sf.movements {
			moves = append(moves, block{Select: []string{sqlString(sf.system) + " as system,",
				"movement_type,", "sku,", "location_id,", "business_date,", "on_hand_effect"},
				From: ref(stgName(mv.Source))})
			held = append(held, block{Select: []string{sqlString(sf.system) + " as system,",
				"sku,", "location_id,", "business_date"},
				From: ref(baseName(mv.Source)),
				Tail: []string{"where violation is null and occurrence > 1",
					"    and payload_occurrence = 1"}})
		}
	}
	v.add("booked", moves...)
	v.addNoted("doubled", []string{"movements booked twice under different ids"}, block{
		Select: []string{"distinct system, sku, location_id, business_date, " +
			"-on_hand_effect as break_qty"},
		From: "booked",
		Tail: []string{"group by system, movement_type, sku, location_id, business_date, " +
			"on_hand_effect", "having count(*) > 1"},
	})
	v.add("held_duplicates", held...)

	whens := []when{
		{[]string{"earlier.sku is not null or later.sku is not null"}, "'timezone split'"},
		{[]string{"doubled.sku is not null or held.sku is not null"}, "'retry double-post'"},
	}
	tail := append(adjacentJoin("earlier", -1), adjacentJoin("later", 1)...)
	tail = append(tail,
		"left join doubled",
		"    on doubled.system = breaks.system and doubled.sku = breaks.sku",
		"    and doubled.location_id = breaks.location_id",
		"    and doubled.business_date = breaks.business_date",
		"    and doubled.break_qty = breaks.break_qty",
		"left join (select distinct * from held_duplicates) as held",
		"    on held.system = breaks.system and held.sku = breaks.sku",
		"    and held.location_id = breaks.location_id",
		"    and held.business_date = breaks.business_date")
	if controlShortfalls(v, ch) {
		whens = append(whens, when{[]string{"shortfall.system is not null"},
			"'partial extract'"})
		tail = append(tail, "left join shortfall",
			"    on shortfall.system = breaks.system",
			"    and shortfall.business_date = breaks.business_date")
	}
	if h.frozen {
		whens = append(whens, frozenWhen)
		tail = append(tail, frozenJoin...)
	}
	key := breakKey(CheckConservation, "breaks", "system", "sku", "location_id",
		"business_date")
	return block{Select: breakColumnsOf(CheckConservation, "breaks", owner, key, whens,
		"lost or unbooked movement"), Tail: tail}
}

var frozenWhen = when{[]string{"frozen.sku is not null"}, "'sync death'"}

var frozenJoin = []string{"left join frozen",
	"    on frozen.sku = breaks.sku and frozen.location_id = breaks.location_id"}

// adjacentJoin finds the opposite break a day away: one day's movements
// split across two dates by a timezone nets out over the two.
func adjacentJoin(alias string, days int) []string {
	return []string{
		"left join " + CheckConservation + "_breaks as " + alias,
		"    on " + alias + ".system = breaks.system and " + alias + ".sku = breaks.sku",
		"    and " + alias + ".location_id = breaks.location_id",
		"    and " + alias + ".break_qty = -breaks.break_qty",
		fmt.Sprintf("    and %s.business_date = {{ dbt.dateadd('day', %d, "+
			"'breaks.business_date') }}", alias, days),
	}
}

// controlShortfalls lists the systems and dates a movement feed fell short
// of its control total: breaks there are likely a partial extract.
func controlShortfalls(v *modelView, ch *checks) bool {
	var whens []string
	for _, p := range ch.control {
		for _, sf := range ch.conservation {
			for _, mv := range sf.movements {
				if mv == p.checked {
					whens = append(whens, "    when "+sqlString(mv.Source)+" then "+
						sqlString(sf.system))
				}
			}
		}
	}
	if len(whens) == 0 {
		return false
	}
	sel := append(append([]string{"distinct case source_name"}, whens...), "end as system,",
		"business_date")
	v.add("shortfall", block{Select: sel, From: ref("int_rows_against_control_totals"),
		Tail: []string{"where actual_qty < expected_qty * min_ratio"}})
	return true
}

func parityBreaks(v *modelView, ch *checks, e *c.Estate, owner string, h hints) block {
	keys := parityKeys(ch)
	placed := append(slices.Clip(keys), "sku", "location_id", "business_date")
	whens, tail := packRatios(v, e, placed)
	if h.frozen {
		whens = append(whens, frozenWhen)
		tail = append(tail, frozenJoin...)
	}
	return block{Select: breakColumnsOf(CheckParity, "breaks", owner,
		breakKey(CheckParity, "breaks", placed...), whens, "sync lag"), Tail: tail}
}

// packRatios finds the parity breaks whose ratio is the SKU's pack size,
// when the estate states pack sizes: a unit of measure drift. placed are
// the columns that say which comparison a break is.
func packRatios(v *modelView, e *c.Estate, placed []string) ([]when, []string) {
	convs := e.ByFeed(c.FeedUOMConversions)
	if len(convs) == 0 {
		return nil, nil
	}
	v.add("packs", block{Select: []string{"distinct sku, each_per_uom"},
		From: ref(stgName(convs[0].Source)), Tail: []string{"where each_per_uom > 1"}})
	v.addNoted("pack_ratios", []string{"parity breaks whose ratio is a pack size"}, block{
		Select: []string{"distinct " + strings.Join(prefixAll("parity.", placed), ", ")},
		From:   CheckParity + "_breaks as parity",
		Tail: []string{"inner join packs on packs.sku = parity.sku",
			"where abs(parity.wms_to_erp_ratio - packs.each_per_uom) < 0.0001",
			"    or abs(parity.wms_to_erp_ratio * packs.each_per_uom - 1) < 0.0001"},
	})
	whens := []when{{[]string{"pack_ratios.sku is not null"}, "'uom drift'"}}
	return whens, append([]string{"left join pack_ratios"},
		joinOn("pack_ratios", "breaks", placed)...)
}

// honestyBreaks hints a stale cache when the showing's latest ATP was older
// than the availability feed's freshness SLA; a break from a fresh ATP is
// an oversell. With several pairs the key names the ATP feed too, since
// one showing is held to each.
func honestyBreaks(ch *checks, owner string) block {
	var whens []when
	for _, av := range availabilitySLAs(ch) {
		whens = append(whens, when{cond: []string{
			"breaks.availability_source = " + sqlString(av.source),
			"and {{ dbt.datediff('breaks.atp_at', 'breaks.shown_at', 'minute') }} > " +
				fmtInt(av.minutes)}, then: "'stale cache'"})
	}
	cols := []string{"availability_source", "sku", "location_id", "shown_at"}
	if len(ch.honesty) > 1 {
		cols = []string{"availability_source", "atp_source", "sku", "location_id", "shown_at"}
	}
	return block{Select: breakColumnsOf(CheckHonesty, "breaks", owner,
		breakKey(CheckHonesty, "breaks", cols...), whens, "oversell")}
}

// availabilitySLA is an availability feed's freshness SLA in minutes.
type availabilitySLA struct {
	source  string
	minutes int
}

// availabilitySLAs lists, once each, the availability feeds honesty holds
// to an ATP and that state a freshness SLA.
func availabilitySLAs(ch *checks) []availabilitySLA {
	var out []availabilitySLA
	seen := map[string]bool{}
	for _, p := range ch.honesty {
		sla, err := c.ParseSLA(p.availability.Delivery.FreshnessSLA)
		if err != nil || seen[p.availability.Source] {
			continue
		}
		seen[p.availability.Source] = true
		out = append(out, availabilitySLA{p.availability.Source, sla.Minutes})
	}
	return out
}
