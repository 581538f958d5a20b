package triage

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/runner"
)

func TestReportTiersAlertsAndTracesLineageThroughTheParentMap(t *testing.T) {
	art, err := Read("testdata/target")
	require.NoError(t, err)
	rep, err := art.Report(context.Background(), nil)
	require.NoError(t, err)

	require.Equal(t, "2026-02-14", rep.AsOf)
	require.Equal(t, 3, rep.Tests)
	require.Equal(t, 1, rep.Models)
	require.Len(t, rep.Alerts, 2, "passing tests are no alerts")
	require.True(t, rep.Paging())

	page := rep.Alerts[0]
	require.Equal(t, "rec_storefront_honesty__page", page.Test)
	require.Equal(t, "page", page.Tier)
	require.Equal(t, 2, page.Rows)
	require.Equal(t, runner.Lineage{
		Check:        "storefront_honesty",
		Model:        "rec_storefront_honesty",
		Intermediate: []string{"int_availability_against_atp"},
		Staging:      []string{"stg_web"},
		Sources:      []string{"web.snapshots"},
		Contracts:    []string{"../web.yml"},
		Owners:       []string{"priya@shop.example"},
		Quarantine: []runner.Quarantine{{Relation: `"shop"."main"."quarantine_web"`,
			HeldRows: -1}},
	}, page.Lineage, "dim_ reference data is not walked")
	require.Equal(t, "digest", rep.Alerts[1].Tier)
	require.Equal(t, []runner.TierSummary{{Tier: "page", Alerts: 1}, {Tier: "ticket"},
		{Tier: "digest", Alerts: 1}}, rep.Tiers)
}

func TestReadRefusesArtifactsFromAnUnsupportedDbt(t *testing.T) {
	_, err := Read("testdata/old")
	require.ErrorContains(t, err, "dbt run-results schema v4 (dbt 1.11.16) is not supported")
	_, err = Read("testdata/missing")
	require.Error(t, err)
}
