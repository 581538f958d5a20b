package triage

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/duckconn"
	"github.com/invgen/invgen/runner"
)

func report(t *testing.T, dir string, db *sql.DB) *Report {
	t.Helper()
	art, err := Read(filepath.Join("testdata", dir))
	require.NoError(t, err)
	rep, err := art.Report(context.Background(), db)
	require.NoError(t, err)
	return rep
}

func statuses(rep *Report) map[string]string {
	out := map[string]string{}
	for _, a := range rep.Alerts {
		out[a.Test] = a.Tier + " " + a.Status
	}
	return out
}

func TestReportTiersAlertsAndTracesTheGeneratedLineage(t *testing.T) {
	rep := report(t, "dbt-1.10", nil)

	require.Equal(t, "2026-02-14", rep.AsOf)
	require.Equal(t, 4, rep.Tests)
	require.Equal(t, 34, rep.Models)
	require.Equal(t, map[string]string{
		"rec_storefront_honesty__page":      "page fail",
		"rec_movement_conservation__ticket": "ticket fail",
		"rec_movement_conservation__digest": "digest warn",
	}, statuses(rep), "a passing test is no alert")
	require.True(t, rep.Paging())
	require.Empty(t, rep.NotBuilt)

	page := rep.Alerts[0]
	require.Equal(t, "rec_storefront_honesty__page", page.Test)
	require.Equal(t, 2, page.Rows)
	// The path the generator wrote into the test's meta, as invgen run
	// prints it; the contracts are where the recorded project_dir puts them.
	require.Equal(t, runner.Lineage{
		Check:        "storefront_honesty",
		Model:        "rec_storefront_honesty",
		Intermediate: []string{"int_availability_against_atp"},
		Staging:      []string{"stg_storefront_availability", "stg_erp_atp"},
		Sources: []string{"storefront_availability.availability_snapshots",
			"erp_atp.atp_snapshots"},
		Contracts: []string{"/srv/dbt/storefront_availability.yml", "/srv/dbt/erp_atp.yml"},
		Owners:    []string{"priya.nair@retailer.example", "maria.keller@retailer.example"},
		Quarantine: []runner.Quarantine{
			{Relation: `"retail"."main"."quarantine_storefront_availability"`, HeldRows: -1},
			{Relation: `"retail"."main"."quarantine_erp_atp"`, HeldRows: -1},
		},
	}, page.Lineage, "dim_ reference data is not on the path")
	require.Equal(t, []runner.TierSummary{{Tier: "page", Alerts: 1}, {Tier: "ticket",
		Alerts: 1}, {Tier: "digest", Alerts: 1}}, rep.Tiers,
		"without the run's database no value is known")
	for _, a := range rep.Alerts {
		require.Nil(t, a.Value, a.Test)
	}
	require.Nil(t, rep.TopLocations)
}

// dbt 1.11, a model that errored: every test downstream was skipped, the
// page test among them. Not knowing is not passing.
func TestReportCountsASkippedPageTestAndShowsWhatDidNotBuild(t *testing.T) {
	rep := report(t, "dbt-1.11", nil)

	require.Equal(t, map[string]string{
		"rec_storefront_honesty__page":                "page skipped",
		"quarantine_storefront_availability_is_empty": "digest skipped",
		"rec_returns_closure__digest":                 "digest warn",
	}, statuses(rep))
	require.True(t, rep.Paging(), "a skipped page test is a finding")
	require.False(t, rep.Report.Paging(), "which counting failures alone misses")

	require.Len(t, rep.NotBuilt, 5)
	failed := rep.NotBuilt[0]
	require.Equal(t, "base_storefront_availability", failed.Name)
	require.Equal(t, "error", failed.Status)
	require.Contains(t, failed.Message, `Referenced column "shown_qty" not found`)
	for _, n := range rep.NotBuilt[1:] {
		require.Equal(t, NotBuilt{Name: n.Name, ResourceType: "model", Status: "skipped",
			After: []string{"base_storefront_availability"}}, n)
	}
}

// dbt 1.12, a ticket test whose query failed.
func TestReportCountsAnErroredTicketTest(t *testing.T) {
	rep := report(t, "dbt-1.12", nil)

	require.Equal(t, map[string]string{
		"rec_erp_wms_parity__ticket": "ticket error",
		"rec_erp_wms_parity__digest": "digest warn",
	}, statuses(rep))
	require.True(t, rep.Paging())
	require.Empty(t, rep.NotBuilt, "a test is an alert, not a node that did not build")
}

func TestReportWithoutPageOrTicketAlertsIsNoFinding(t *testing.T) {
	art, err := Read("testdata/dbt-1.12")
	require.NoError(t, err)
	for i, res := range art.Results {
		if res.Status == "error" {
			art.Results[i].Status = "pass"
		}
	}
	rep, err := art.Report(context.Background(), nil)
	require.NoError(t, err)
	require.False(t, rep.Paging(), "a digest warning is for the daily summary")
}

// runDB builds the DuckDB file a dbt-duckdb run of the fixtures would have
// left: the failures each test stored, under <schema>_dbt_test__audit,
// and the quarantine views, in the catalog named after the file (retail).
func runDB(t *testing.T, statements ...string) *sql.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "retail.duckdb")
	db, err := duckconn.Open(path)
	require.NoError(t, err)
	for _, s := range append([]string{"create schema main_dbt_test__audit"},
		statements...) {
		_, err := db.Exec(s)
		require.NoError(t, err, s)
	}
	return db
}

func TestReportValuesAlertsFromTheStoredFailures(t *testing.T) {
	db := runDB(t,
		`create table main_dbt_test__audit.rec_storefront_honesty__page as
			select * from (values ('SKU-1', 1200.50), ('SKU-2', -300)) v(sku, break_value)`,
		`create table main_dbt_test__audit.rec_movement_conservation__ticket as
			select 'DC-01' as location_id, 7000.0 as break_value`,
		`create table main_dbt_test__audit.rec_movement_conservation__digest as
			select 'DC-01' as location_id, 3 as break_qty`,
		`create table main.quarantine_storefront_availability as
			select * from range(3) r(i)`,
		`create view main.quarantine_erp_atp as select 1 as i where false`)
	defer db.Close()
	rep := report(t, "dbt-1.10", db)

	values := map[string]float64{}
	for _, a := range rep.Alerts {
		if a.Value != nil {
			values[a.Test] = *a.Value
		}
	}
	require.Equal(t, map[string]float64{"rec_storefront_honesty__page": 1500.5,
		"rec_movement_conservation__ticket": 7000}, values, "the absolute break values")
	digest := rep.Alerts[2]
	require.Equal(t, "rec_movement_conservation__digest", digest.Test)
	require.True(t, digest.NoValue, "a table without break_value carries no value, not 0")
	require.Equal(t, []runner.Quarantine{
		{Relation: `"retail"."main"."quarantine_storefront_availability"`, HeldRows: 3},
		{Relation: `"retail"."main"."quarantine_erp_atp"`, HeldRows: 0},
	}, rep.Alerts[0].Lineage.Quarantine)
	require.Equal(t, -1, rep.Alerts[1].Lineage.Quarantine[0].HeldRows,
		"a quarantine that is not in the database is not counted")
	require.Equal(t, 1500.5, *rep.Tiers[0].Value)
}

// What an errored or skipped test's table holds, and a skipped quarantine
// model's, are an earlier run's rows, not this run's.
func TestReportDoesNotValueATestThatDidNotRun(t *testing.T) {
	db := runDB(t,
		`create table main_dbt_test__audit.rec_storefront_honesty__page as
			select 'SKU-1' as sku, 900.0 as break_value`,
		`create table main_dbt_test__audit.rec_returns_closure__digest as
			select 'R-1' as refund_id, 45.0 as break_value`,
		`create table main.quarantine_storefront_availability as select 1 as i`,
		`create table main.quarantine_erp_atp as select 1 as i`)
	defer db.Close()
	rep := report(t, "dbt-1.11", db)

	page := rep.Alerts[0]
	require.Equal(t, "skipped", page.Status)
	require.Nil(t, page.Value, "what a test that did not run found is unknown")
	require.Nil(t, rep.Tiers[0].Value)
	require.Equal(t, 45.0, *rep.Tiers[2].Value, "the digest test that ran is valued")
	require.Equal(t, []runner.Quarantine{
		{Relation: `"retail"."main"."quarantine_storefront_availability"`, HeldRows: -1},
		{Relation: `"retail"."main"."quarantine_erp_atp"`, HeldRows: 1},
	}, page.Lineage.Quarantine)
}

func TestReportRefusesADatabaseWithoutTheRunsStoredFailures(t *testing.T) {
	db := runDB(t)
	defer db.Close()
	art, err := Read("testdata/dbt-1.10")
	require.NoError(t, err)
	_, err = art.Report(context.Background(), db)
	var dbe *DBError
	require.ErrorAs(t, err, &dbe)
	require.ErrorContains(t, err, `"retail"."main_dbt_test__audit".`)
	require.ErrorContains(t, err, "is it the one this run wrote to, with store_failures on?")
}

// With the run's database triage ranks the locations by open break value
// from the ledger the run built, as invgen run does; a ledger the run did
// not build is an earlier run's, and is not read.
func TestReportRanksLocationsFromTheLedgerTheRunBuilt(t *testing.T) {
	db := runDB(t,
		`create table main_dbt_test__audit.rec_storefront_honesty__page as
			select 'SKU-1' as sku, 10.0 as break_value`,
		`create table main_dbt_test__audit.rec_movement_conservation__ticket as
			select 'SKU-1' as sku, 7000.0 as break_value`,
		`create table main_dbt_test__audit.rec_movement_conservation__digest as
			select 'SKU-1' as sku, 1.0 as break_value`,
		`create table main.breaks_ledger as select * from (values
			('DC-01', 'open', 100.0), ('DC-01', 'open', -50.0), ('STO-03', 'open', 20.0),
			('STO-03', 'reopened', 40.0), ('KIT-02', 'cleared', 999.0))
			v(location_id, status, break_value)`)
	defer db.Close()
	art, err := Read("testdata/dbt-1.10")
	require.NoError(t, err)
	id := "model.retail_inventory.breaks_ledger"
	art.Nodes[id] = Node{UniqueID: id, Name: "breaks_ledger", ResourceType: "model",
		Database: "retail", Schema: "main", RelationName: `"retail"."main"."breaks_ledger"`}
	art.Results = append(art.Results, Result{UniqueID: id, Status: "success"})

	rep, err := art.Report(context.Background(), db)
	require.NoError(t, err)
	require.Equal(t, []runner.LocationValue{{LocationID: "DC-01", Breaks: 2, Value: 150},
		{LocationID: "STO-03", Breaks: 2, Value: 60}}, rep.TopLocations,
		"a reopened break is open")

	art.Results[len(art.Results)-1].Status = "skipped"
	rep, err = art.Report(context.Background(), db)
	require.NoError(t, err)
	require.Nil(t, rep.TopLocations, "the ledger in the database is not this run's")
}
