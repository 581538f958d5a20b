package proof

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/synth"
)

// The flatline counts days, not reports: an on-hand frozen for one day more
// than flatline_days alerts, the same run judged a day earlier (exactly
// flatline_days) does not, and a day the frozen feed did not report at all
// does not hide it.
func TestTheFlatlineCountsDaysNotReports(t *testing.T) {
	ctx := context.Background()
	estate, res := retailResult(t)
	project, err := engine.Load(res.All())
	require.NoError(t, err)
	p := synth.ProofParams()
	p.Days = historyDays(estate, p)
	w := synth.NewWorld(estate, p)
	frozen := monitorNamed(t, res, generator.MonitorFlatline).Target
	want, err := w.Inject(synth.FaultFlatline, frozen)
	require.NoError(t, err)
	wb, err := newWorkbench(ctx, estate, project, w)
	require.NoError(t, err)
	defer wb.close()

	alerts := func(asOf time.Time) bool {
		t.Helper()
		vars := map[string]any{"invgen_as_of_date": asOf.Format(time.DateOnly)}
		require.NoError(t, project.Build(ctx, wb.db, engine.Options{Vars: vars,
			ViewsAsTables: true}))
		rows, err := ReadRows(ctx, wb.db, "mon_flatline")
		require.NoError(t, err)
		return AlertsAt(rows, want.Keys)
	}
	asOf, err := time.Parse(time.DateOnly, w.AsOf())
	require.NoError(t, err)
	require.True(t, alerts(asOf), "unchanged for flatline_days + 1")
	require.False(t, alerts(asOf.AddDate(0, 0, -1)), "unchanged for exactly flatline_days")

	con := estate.Contract(frozen)
	skipped := asOf.AddDate(0, 0, -5)
	deleted, err := wb.db.Exec(fmt.Sprintf(`delete from %s.%s where %s = ? and %s = ? and %s = ?`,
		con.Relation.Schema, con.Relation.Table, columnOf(t, con, contracts.RoleSKU),
		columnOf(t, con, contracts.RoleLocationID), columnOf(t, con, contracts.RoleBusinessDate)),
		want.Keys["sku"], want.Keys["location_id"], skipped)
	require.NoError(t, err)
	n, err := deleted.RowsAffected()
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.True(t, alerts(asOf), "frozen, with %s not reported", skipped.Format(time.DateOnly))
}

func monitorNamed(t *testing.T, res *generator.Result, name string) generator.Monitor {
	t.Helper()
	for _, m := range res.Monitors {
		if m.Name == name {
			return m
		}
	}
	t.Fatalf("no monitor %s", name)
	return generator.Monitor{}
}

func columnOf(t *testing.T, con *contracts.Contract, role contracts.Role) string {
	t.Helper()
	col, ok := con.Column(role)
	require.True(t, ok, "%s has no %s column", con.Source, role)
	return col.Name
}

// The flatline's shipments are those of the flatline_days days ending on
// the judged date, exactly: a frozen on-hand whose only shipment in them
// falls on their first day alerts; one whose only shipment is a day
// earlier does not, since nothing has shipped in the window.
func TestTheFlatlineWindowIsFlatlineDays(t *testing.T) {
	ctx := context.Background()
	estate, res := retailResult(t)
	project, err := engine.Load(res.All())
	require.NoError(t, err)
	p := synth.ProofParams()
	p.Days = historyDays(estate, p)
	w := synth.NewWorld(estate, p)
	want, err := w.Inject(synth.FaultFlatline, monitorNamed(t, res,
		generator.MonitorFlatline).Target)
	require.NoError(t, err)
	wb, err := newWorkbench(ctx, estate, project, w)
	require.NoError(t, err)
	defer wb.close()

	asOf, err := time.Parse(time.DateOnly, w.AsOf())
	require.NoError(t, err)
	first := asOf.AddDate(0, 0, -estate.Project.Monitors.FlatlineDays)
	shipsOnlyOn := func(day time.Time) bool {
		t.Helper()
		_, err := wb.db.Exec(`update main.int_daily_positions
			set shipments = case when business_date = ? then 1 else 0 end
			where sku = ? and location_id = ?`, day, want.Keys["sku"], want.Keys["location_id"])
		require.NoError(t, err)
		require.NoError(t, project.Build(ctx, wb.db, engine.Options{Vars: wb.vars,
			Select: []string{"int_on_hand_flatlines", "mon_flatline"}, ViewsAsTables: true}))
		rows, err := ReadRows(ctx, wb.db, "mon_flatline")
		require.NoError(t, err)
		return AlertsAt(rows, want.Keys)
	}
	require.True(t, shipsOnlyOn(first), "shipped on the window's first day")
	require.False(t, shipsOnlyOn(first.AddDate(0, 0, -1)), "shipped the day before it")
}
