package synth

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

func retail(t *testing.T) *contracts.Estate {
	t.Helper()
	e, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	return e
}

func column(t *Table, name string) int {
	for i, c := range t.Columns {
		if c == name {
			return i
		}
	}
	return -1
}

func TestRenderIsDeterministicForASeed(t *testing.T) {
	e := retail(t)
	a := NewWorld(e, DefaultParams()).Render()
	b := NewWorld(e, DefaultParams()).Render()
	require.Equal(t, a, b)

	p := DefaultParams()
	p.Seed = 2
	c := NewWorld(e, p).Render()
	require.NotEqual(t, a["wms_eu_movements"].Rows, c["wms_eu_movements"].Rows)
}

// The clean estate must carry the traps the checks have to stay silent on.
func TestCleanEstateCarriesTheTraps(t *testing.T) {
	tables := NewWorld(retail(t), DefaultParams()).Render()

	us := tables["wms_us_movements"]
	uom := column(us, "unit_of_measure")
	cases := 0
	for _, r := range us.Rows {
		if r[uom] == "CS" {
			cases++
		}
	}
	require.Positive(t, cases, "some US movements arrive in cases")

	eu := tables["wms_eu_movements"]
	posted, id := column(eu, "posted_at"), column(eu, "movement_id")
	nearMidnight, seen, replays := 0, map[string]bool{}, 0
	for _, r := range eu.Rows {
		at, err := time.Parse("2006-01-02 15:04:05", r[posted])
		require.NoError(t, err)
		if at.Hour() == 0 || at.Hour() == 23 {
			nearMidnight++
		}
		if seen[r[id]] {
			replays++
		}
		seen[r[id]] = true
	}
	require.Positive(t, nearMidnight, "movements within an hour of Berlin midnight")
	require.Positive(t, replays, "exact replays under the same idempotency key")
}

// The producer's control totals count what it exported once per business
// date: the rows delivered minus the loader's replays.
func TestControlTotalsCountExportedRows(t *testing.T) {
	tables := NewWorld(retail(t), DefaultParams()).Render()
	eu, ct := tables["wms_eu_movements"], tables["wms_eu_control_totals"]

	posted, id := column(eu, "posted_at"), column(eu, "movement_id")
	perDay, seen := map[string]int{}, map[string]bool{}
	for _, r := range eu.Rows {
		if !seen[r[id]] {
			perDay[r[posted][:10]]++
		}
		seen[r[id]] = true
	}
	total := 0
	for _, r := range ct.Rows {
		n, err := strconv.Atoi(r[column(ct, "exported_rows")])
		require.NoError(t, err)
		require.Equal(t, perDay[r[column(ct, "business_day")]], n, r)
		total += n
	}
	require.Equal(t, len(seen), total)
}

func TestEveryCodeIsOneTheContractMaps(t *testing.T) {
	e := retail(t)
	tables := NewWorld(e, DefaultParams()).Render()
	for _, con := range e.Contracts {
		for i, col := range con.Columns {
			if len(col.Values) == 0 {
				continue
			}
			for _, r := range tables[con.Source].Rows {
				_, ok := col.Values[r[i]]
				require.True(t, ok, "%s.%s: %q", con.Source, col.Name, r[i])
				require.False(t, strings.HasPrefix(r[i], "?"))
			}
		}
	}
}

// Several faults can share one world, each at its own place, and rendering
// twice gives the same rows.
func TestSeveralFaultsShareAWorld(t *testing.T) {
	e := retail(t)
	w := NewWorld(e, DefaultParams())
	first, err := w.Inject(FaultLostMovement, "wms_us_movements")
	require.NoError(t, err)
	second, err := w.Inject(FaultLostMovement, "wms_us_movements")
	require.NoError(t, err)
	require.NotEqual(t, first.Keys, second.Keys)
	short, err := w.Inject(FaultMissingRows, "wms_eu_movements")
	require.NoError(t, err)
	require.Equal(t, -1.0, short.Qty, "one row is more than 0.999 tolerates of a small day")

	clean := NewWorld(e, DefaultParams()).Render()
	a, b := w.Render(), w.Render()
	require.Equal(t, a, b)
	require.Len(t, a["wms_us_movements"].Rows, len(clean["wms_us_movements"].Rows)-2)
	require.Len(t, a["wms_eu_movements"].Rows, len(clean["wms_eu_movements"].Rows)-1)
	require.Equal(t, clean["wms_eu_control_totals"], a["wms_eu_control_totals"],
		"the producer's own count still includes what got lost")
}
