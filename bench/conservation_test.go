package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/fixtures"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/proof"
)

// The conservation benchmark reconciles one movement per SKU, location and
// day: 2,000 SKUs at 50 locations over 100 days, 10 million movements, or
// as many SKUs as INVGEN_BENCH_CONSERVATION_SKUS says, for a quick run
// that checks the benchmark works (invgen-bench --gobench-skus).
const (
	locations = 50
	days      = 100
)

// conservationSKUs is how many SKUs the conservation benchmark reconciles.
func conservationSKUs(b *testing.B) int {
	v := os.Getenv(conservationSKUsEnv)
	if v == "" {
		return 2000
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q is not a positive whole number", conservationSKUsEnv, v)
	}
	return n
}

// BenchmarkConservation compares the two ways to write movement
// conservation on DuckDB: one windowed scan of int_daily_positions (what
// invgen generates) and a self-join on the previous date.
func BenchmarkConservation(b *testing.B) {
	for _, form := range []struct {
		name     string
		selfJoin bool
	}{{"window", false}, {"self_join", true}} {
		b.Run(form.name, func(b *testing.B) {
			skus := conservationSKUs(b)
			movements := skus * locations * days
			db, project := conservationEstate(b, form.selfJoin, skus)
			defer db.Close()
			ctx := context.Background()
			// The comparison is where the identity is computed; the rec_ model
			// only selects its breaks.
			opt := engine.Options{Select: []string{"int_conservation_compared",
				"rec_movement_conservation"}}

			for b.Loop() {
				if err := project.Build(ctx, db, opt); err != nil {
					b.Fatal(err)
				}
			}
			// After the loop: the timer's reset as it starts drops any
			// metric reported before it.
			b.ReportMetric(float64(movements), "movements")
			checkNoBreaks(b, db, skus)
		})
	}
}

// conservationEstate builds the retail project on empty raw tables, then
// replaces the WMS staging views with tables of a movement per SKU,
// location and day and the on-hand they imply, and builds
// int_daily_positions from them.
func conservationEstate(b *testing.B, selfJoin bool, skus int) (*sql.DB, *engine.Project) {
	b.Helper()
	ctx := context.Background()
	estate, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	if err != nil {
		b.Fatal(err)
	}
	gen, err := generator.New()
	if err != nil {
		b.Fatal(err)
	}
	if selfJoin {
		estate.Project.Checks.ConservationForm = contracts.ConservationSelfJoin
	}
	res, err := gen.Generate(estate, generator.Options{ContractDir: ".."})
	if err != nil {
		b.Fatal(err)
	}
	project, err := engine.Load(res.All())
	if err != nil {
		b.Fatal(err)
	}

	db, err := proof.Open("")
	if err != nil {
		b.Fatal(err)
	}
	if err := fixtures.CreateRaw(ctx, db, estate); err != nil {
		b.Fatal(err)
	}
	if err := project.Build(ctx, db, engine.Options{}); err != nil {
		b.Fatal(err)
	}
	for _, stmt := range largeStaging(skus) {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			b.Fatal(err)
		}
	}
	err = project.Build(ctx, db, engine.Options{Select: []string{"int_daily_positions"}})
	if err != nil {
		b.Fatal(err)
	}
	return db, project
}

// largeStaging replaces the WMS movement and position staging with
// consistent data: every day's on-hand is the day before's plus its
// movements, so conservation finds nothing and the benchmark times the work
// of proving that.
func largeStaging(skus int) []string {
	return []string{
		"drop view main.stg_wms_eu_movements",
		fmt.Sprintf(`create table main.stg_wms_eu_movements as
			select 'SKU-' || (i %% %d) as sku,
				'L-' || ((i // %d) %% %d) as location_id,
				date '2026-01-01' + cast(i // %d as integer) as business_date,
				case when i %% 3 = 0 then 'receipt' else 'shipment' end as movement_type,
				cast((i * 7919) %% 11 - 5 as decimal(18, 3)) as on_hand_effect
			from range(%d) as t(i)`, skus, skus, locations, skus*locations,
			skus*locations*days),
		"drop view main.stg_wms_positions",
		`create table main.stg_wms_positions as
			select sku, location_id, business_date,
				1000 + sum(on_hand_effect) over (
					partition by sku, location_id order by business_date
				) as quantity
			from main.stg_wms_eu_movements`,
	}
}

// checkNoBreaks requires every SKU-location-day but the first to have been
// compared, and none to break: the benchmark timed the real work.
func checkNoBreaks(b *testing.B, db *sql.DB, skus int) {
	b.Helper()
	var compared, breaks int
	err := db.QueryRow(`select count(*) from main.int_conservation_compared
		where previous_date is not null`).Scan(&compared)
	if err != nil || compared != skus*locations*(days-1) {
		b.Fatalf("conservation compared %d SKU-location-days, want %d (%v)", compared,
			skus*locations*(days-1), err)
	}
	err = db.QueryRow("select count(*) from main.rec_movement_conservation").Scan(&breaks)
	if err != nil || breaks != 0 {
		b.Fatalf("conservation found %d breaks on consistent data (%v)", breaks, err)
	}
}
