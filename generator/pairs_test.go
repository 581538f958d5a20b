package generator_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/generator"
)

// feedContract writes a small contract: every feed has a SKU, a location
// (but for dispositions), a quantity and a UTC event time.
func feedContract(source, system, feed, extra string) string {
	cols := "  - {name: sku, type: varchar, role: sku}\n" +
		"  - {name: loc, type: varchar, role: location_id}\n" +
		"  - {name: qty, type: \"decimal(18,3)\", role: quantity}\n" +
		"  - {name: ts, type: timestamp, role: event_time}\n"
	switch feed {
	case "movements":
		cols = "  - {name: id, type: varchar, role: movement_id}\n" + cols +
			"  - {name: kind, type: varchar, role: movement_type, " +
			"values: {IN: receipt, OUT: shipment}}\n"
	case "refunds":
		cols = "  - {name: id, type: varchar, role: refund_id}\n" + cols
	case "dispositions":
		cols = "  - {name: id, type: varchar, role: refund_id}\n" +
			strings.Replace(cols, "  - {name: loc, type: varchar, role: location_id}\n", "", 1) +
			"  - {name: outcome, type: varchar, role: disposition, values: {RS: restock}}\n"
	}
	return fmt.Sprintf("source: %s\nsystem: %s\nfeed: %s\nowner: %s\n"+
		"relation: {schema: raw, table: %s}\ncolumns:\n%ssemantics:\n"+
		"  quantity_uom: eaches\n  timezone: UTC\n  event_time_basis: utc\n%s",
		source, system, feed, ownerOf(source), source, cols, extra)
}

// ownerOf is who owns a feed of the paired estate: each its own person.
func ownerOf(source string) string {
	return strings.ReplaceAll(source, "_", ".") + "@example.com"
}

// pairedEstate has two of everything a check reads, and an invgen.yml
// naming some of the pairs, never all the pairs inference would make.
func pairedEstate() fstest.MapFS {
	onHand := "  quantity_field: on_hand\n"
	atp := "  quantity_field: available_to_promise\n"
	keyed := "  quantity_field: on_hand\n  idempotency_key: [id]\n" +
		"  movement_grain: per-transaction\n  adjustment_sign: as_reported\n"
	fsys := fstest.MapFS{"invgen.yml": {Data: []byte(`checks:
  conservation:
    - {positions: wms_a, movements: [moves_a]}
    - {positions: wms_b, movements: [moves_b]}
  parity:
    - {erp: erp_a, wms: wms_a}
    - {erp: erp_b, wms: wms_b}
  honesty:
    - {availability: shop, atp: atp_a}
  returns:
    - {refunds: refunds, dispositions: disp_a}
`)}}
	feeds := []struct{ source, system, feed, extra string }{
		{"erp_a", "erp", "positions", onHand}, {"erp_b", "erp", "positions", onHand},
		{"wms_a", "wms", "positions", onHand}, {"wms_b", "wms", "positions", onHand},
		{"moves_a", "wms", "movements", keyed}, {"moves_b", "wms", "movements", keyed},
		{"atp_a", "erp", "positions", atp}, {"atp_b", "erp", "positions", atp},
		{"shop", "storefront", "availability", ""},
		{"refunds", "erp", "refunds", "  idempotency_key: [id]\n"},
		{"disp_a", "wms", "dispositions", ""}, {"disp_b", "wms", "dispositions", ""},
	}
	for _, f := range feeds {
		fsys[f.source+".yml"] = &fstest.MapFile{Data: []byte(feedContract(f.source, f.system,
			f.feed, f.extra))}
	}
	return fsys
}

func TestNamedPairsAreTheOnlyPairsNoted(t *testing.T) {
	res := generate(t, pairedEstate())
	var pairing []string
	for _, n := range res.Notes {
		if !strings.HasPrefix(n, "quarantine:") { // names every source without loaded_at
			pairing = append(pairing, n)
		}
	}
	notes := strings.Join(pairing, "\n")
	for _, want := range []string{
		"conservation: wms_a on-hand (wms_a) against movements (moves_a)",
		"conservation: wms_b on-hand (wms_b) against movements (moves_b)",
		"parity: erp_a on-hand (erp_a) against wms_a on-hand (wms_a)",
		"parity: erp_b on-hand (erp_b) against wms_b on-hand (wms_b)",
		"honesty: shop against available-to-promise atp_a",
		"returns: refunds closed by disp_a",
		"the named pairs give wms's on-hand feeds to different checks, so " +
			"int_daily_positions keeps them apart as wms_a, wms_b",
	} {
		require.Contains(t, notes, want)
	}
	for _, unwanted := range []string{"atp_b", "disp_b", "erp_a on-hand (erp_a) against " +
		"wms_b", "erp_b on-hand (erp_b) against wms_a", "(moves_a, moves_b)"} {
		require.NotContains(t, notes, unwanted)
	}
}

func TestNamedPairsReadOnlyTheFeedsTheyName(t *testing.T) {
	res := generate(t, pairedEstate())
	model := func(path string) string { return string(res.Files[path]) }

	honesty := model("models/intermediate/int_availability_against_atp.sql")
	require.Contains(t, honesty, "{{ ref('stg_atp_a') }}")
	require.NotContains(t, honesty, "stg_atp_b")

	returns := model("models/intermediate/int_refunds_against_dispositions.sql")
	require.Contains(t, returns, "{{ ref('stg_disp_a') }}")
	require.NotContains(t, returns, "stg_disp_b")

	positions := model("models/intermediate/int_daily_positions.sql")
	require.NotContains(t, positions, "stg_atp_", "ATP is not on-hand")
	require.Equal(t, 1, strings.Count(positions, "{{ ref('stg_moves_b') }}"))

	parity := model("models/intermediate/int_parity_compared.sql")
	for _, side := range []string{"erp_a", "erp_b", "wms_a", "wms_b"} {
		require.Contains(t, parity, "where system = '"+side+"'")
	}
}

// Exactly the named pairs, in the warehouse: on-hand the ERP and WMS of
// one pair agree on is no break even where the other pair's feeds hold
// other numbers for the same SKU, location and day, and each check finds
// exactly the break planted in its named pair.
func TestNamedPairsCompareExactlyTheirOwnFeeds(t *testing.T) {
	e, err := contracts.Load(pairedEstate(), "c")
	require.NoError(t, err)
	g, err := generator.New()
	require.NoError(t, err)
	res, err := g.Generate(e, generator.Options{ContractDir: ".."})
	require.NoError(t, err)

	db := buildWith(t, e, res, pairedRows(), "2026-03-01")
	rows := func(query string) []string { return queryRows(t, db, query) }

	require.Equal(t, []string{"erp_b|wms_b|S2|L1|2026-02-02|3"}, rows(`select concat_ws('|',
		erp_system, wms_system, sku, location_id, business_date, cast(break_qty as integer))
		from main.rec_erp_wms_parity`))
	require.Equal(t, []string{"wms_b|S3|L1|2026-02-02|2"}, rows(`select concat_ws('|', system,
		sku, location_id, business_date, cast(break_qty as integer))
		from main.rec_movement_conservation`))
	require.Equal(t, []string{"atp_a|S2|3"}, rows(`select concat_ws('|', atp_source, sku,
		cast(break_qty as integer)) from main.rec_storefront_honesty`))
	require.Equal(t, []string{"R1|1"}, rows(`select concat_ws('|', refund_id,
		cast(break_qty as integer)) from main.rec_returns_closure`))
	require.Equal(t, []string{"erp_wms_parity|erp_b|wms_b|S2|L1|2026-02-02"},
		rows(`select break_key from main.breaks_observed
			where check_name = 'erp_wms_parity'`), "the key names the pair")

	// Each break is owned by the feed of its own pair: a parity lag by the
	// ERP side's, conservation where no movement books by the positions
	// feed's, returns limbo by the dispositions feed paired.
	require.Equal(t, []string{
		"erp_wms_parity|sync lag|" + ownerOf("erp_b"),
		"movement_conservation|lost or unbooked movement|" + ownerOf("wms_b"),
		"returns_closure|returns limbo|" + ownerOf("disp_a"),
		"storefront_honesty|oversell|" + ownerOf("shop"),
	}, rows(`select concat_ws('|', check_name, root_cause_hint, owner)
		from main.breaks_observed`))
}

// pairedRows hold, for SKU S at location L1, numbers that agree within
// each named pair and disagree across pairs, and one planted break per
// check: S2 in parity pair b, S3 in conservation pair b, S2 shown above
// atp_a, and refund R1 closed only by the dispositions nobody paired.
func pairedRows() map[string][]string {
	day1, day2 := "'2026-02-01 12:00:00'", "'2026-02-02 12:00:00'"
	return map[string][]string{
		"erp_a": {"'S', 'L1', 10, " + day1, "'S', 'L1', 12, " + day2},
		"wms_a": {"'S', 'L1', 10, " + day1, "'S', 'L1', 12, " + day2},
		"erp_b": {"'S', 'L1', 5, " + day1, "'S', 'L1', 5, " + day2,
			"'S2', 'L1', 5, " + day2, "'S3', 'L1', 4, " + day1, "'S3', 'L1', 6, " + day2},
		"wms_b": {"'S', 'L1', 5, " + day1, "'S', 'L1', 5, " + day2,
			"'S2', 'L1', 8, " + day2, "'S3', 'L1', 4, " + day1, "'S3', 'L1', 6, " + day2},
		"moves_a": {"'M1', 'S', 'L1', 2, '2026-02-02 08:00:00', 'IN'"},
		"moves_b": {"'M1', 'S', 'L1', 0, '2026-02-02 08:00:00', 'IN'"},
		"atp_a": {"'S', 'L1', 10, '2026-02-02 09:00:00'",
			"'S2', 'L1', 1, '2026-02-02 09:00:00'"},
		"atp_b": {"'S', 'L1', 3, '2026-02-02 09:00:00'",
			"'S2', 'L1', 9, '2026-02-02 09:00:00'"},
		"shop": {"'S', 'L1', 9, '2026-02-02 09:05:00'",
			"'S2', 'L1', 4, '2026-02-02 09:05:00'"},
		"refunds": {"'R1', 'S', 'L1', 1, '2026-02-01 10:00:00'",
			"'R2', 'S', 'L1', 1, '2026-02-01 10:00:00'"},
		"disp_a": {"'R2', 'S', 1, '2026-02-03 10:00:00', 'RS'"},
		"disp_b": {"'R1', 'S', 1, '2026-02-03 10:00:00', 'RS'"},
	}
}

// buildWith loads raw rows (SQL value lists in contract column order) into
// an in-memory DuckDB and builds every model of the project as of a date.
func buildWith(t *testing.T, e *contracts.Estate, res *generator.Result,
	raw map[string][]string, asOf string) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })

	require.NoError(t, fixtures.CreateRaw(ctx, db, e))
	for source, values := range raw {
		rel := fixtures.Relation(e.Contract(source))
		for _, v := range values {
			_, err := db.ExecContext(ctx, "insert into "+rel+" values ("+v+")")
			require.NoError(t, err, "%s: %s", source, v)
		}
	}
	project, err := engine.Load(res.All())
	require.NoError(t, err)
	require.NoError(t, project.Build(ctx, db, engine.Options{
		Vars: map[string]any{"invgen_as_of_date": asOf}}))
	return db
}

func queryRows(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rs, err := db.Query(query + " order by 1")
	require.NoError(t, err)
	defer rs.Close()
	var out []string
	for rs.Next() {
		var s string
		require.NoError(t, rs.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rs.Err())
	return out
}

// A showing held to two ATP feeds of different owners breaks against each
// on its own, and each break is the storefront's to answer for.
func TestHonestyBreaksAgainstEachPairAreTheStorefronts(t *testing.T) {
	fsys := pairedEstate()
	fsys["invgen.yml"].Data = []byte(strings.Replace(string(fsys["invgen.yml"].Data),
		"    - {availability: shop, atp: atp_a}\n",
		"    - {availability: shop, atp: atp_a}\n    - {availability: shop, atp: atp_b}\n", 1))
	e, err := contracts.Load(fsys, "c")
	require.NoError(t, err)
	g, err := generator.New()
	require.NoError(t, err)
	res, err := g.Generate(e, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	require.Contains(t, string(res.Files["models/ledger/breaks_observed.sql"]),
		"as atp_owner", "the ATP feeds' owners differ")

	db := buildWith(t, e, res, pairedRows(), "2026-03-01")
	require.Equal(t, []string{
		"storefront_honesty|shop|atp_a|S2|L1|2026-02-02 09:05:00|oversell|" + ownerOf("shop"),
		"storefront_honesty|shop|atp_b|S|L1|2026-02-02 09:05:00|oversell|" + ownerOf("shop"),
	}, queryRows(t, db, `select concat_ws('|', break_key, root_cause_hint, owner)
		from main.breaks_observed where check_name = 'storefront_honesty'`))
}

// A movement feed that states business dates alone has no clock a
// timezone could misread: the ledger looks for timezone splits in the
// feeds that state times, and builds.
func TestTheLedgerBuildsWhenAMovementFeedStatesDatesOnly(t *testing.T) {
	fsys := pairedEstate()
	dated := strings.Replace(string(fsys["moves_b.yml"].Data),
		"{name: ts, type: timestamp, role: event_time}", "{name: ts, type: date, "+
			"role: business_date}", 1)
	fsys["moves_b.yml"].Data = []byte(strings.Replace(dated, "  event_time_basis: utc\n", "",
		1))
	e, err := contracts.Load(fsys, "c")
	require.NoError(t, err)
	g, err := generator.New()
	require.NoError(t, err)
	res, err := g.Generate(e, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	observed := string(res.Files["models/ledger/breaks_observed.sql"])
	require.Contains(t, observed, "from {{ ref('stg_moves_a') }}\n\n),\n\nmidnight_movements")

	raw := pairedRows()
	raw["moves_b"] = []string{"'M1', 'S', 'L1', 0, '2026-02-02', 'IN'"}
	db := buildWith(t, e, res, raw, "2026-03-01")
	require.Equal(t, []string{"movement_conservation|lost or unbooked movement"},
		queryRows(t, db, `select concat_ws('|', check_name, root_cause_hint)
			from main.breaks_observed where check_name = 'movement_conservation'`))
}
