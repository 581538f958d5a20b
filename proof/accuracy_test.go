package proof

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/engine"
)

// A cycle count is held to the latest on-hand its book reported at or
// before the count's date: a day the book did not report takes the report
// before it, and a count of a SKU-location the book had not reported by
// then has no record, is inaccurate and is said to be unrecorded.
func TestACountIsHeldToTheLatestRecordAtOrBeforeIt(t *testing.T) {
	ctx := context.Background()
	estate, res := retailResult(t)
	wb := cleanBench(t, estate, res)
	project, err := engine.Load(res.All())
	require.NoError(t, err)

	var sku, loc string
	var day time.Time
	var counted float64
	require.NoError(t, wb.db.QueryRow(`select sku, location_id, business_date,
		cast(quantity as double) from main.stg_wms_cycle_counts
		where business_date > (select min(business_date) from main.stg_wms_cycle_counts)
		order by business_date, sku, location_id limit 1`).Scan(&sku, &loc, &day, &counted))
	accuracy := func(edit string, args ...any) (counts, accurate, unrecorded int) {
		t.Helper()
		_, err := wb.db.Exec(edit, args...)
		require.NoError(t, err)
		require.NoError(t, project.Build(ctx, wb.db, engine.Options{Vars: wb.vars,
			Select: []string{"rpt_inventory_record_accuracy"}, ViewsAsTables: true}))
		require.NoError(t, wb.db.QueryRow(`select counted, accurate_counts, unrecorded_counts
			from main.rpt_inventory_record_accuracy where location_class = 'all'`).
			Scan(&counts, &accurate, &unrecorded))
		return counts, accurate, unrecorded
	}

	n, ok, none := accuracy(`select 1`)
	require.Equal(t, n, ok, "the clean estate's counts all match")
	require.Zero(t, none)

	// The book misses the count's day, and said the day before what was counted.
	n2, ok2, none2 := accuracy(`update main.int_daily_positions
		set on_hand = case when business_date = ? then null else ? end
		where system = 'wms' and sku = ? and location_id = ? and business_date in (?, ?)`,
		day, counted, sku, loc, day, day.AddDate(0, 0, -1))
	require.Equal(t, []int{n, ok, 0}, []int{n2, ok2, none2})

	// The book has not reported the SKU-location at all by the count's day.
	n3, ok3, none3 := accuracy(`update main.int_daily_positions set on_hand = null
		where system = 'wms' and sku = ? and location_id = ? and business_date <= ?`,
		sku, loc, day)
	require.Equal(t, []int{n, ok - 1, 1}, []int{n3, ok3, none3})
}
