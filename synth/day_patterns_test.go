package synth

import (
	"math"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	c "github.com/invgen/invgen/contracts"
)

// The plan of the last day is what every history books on it: a streamed
// world plans its whole-day patterns on the plan, before any history
// exists, so the two must agree.
func TestEveryHistoryBooksThePlannedLastDay(t *testing.T) {
	p := DefaultParams()
	p.Days = 40
	w := NewWorld(retail(t), p)
	last := len(w.days) - 1
	for li := range w.locations {
		require.Equal(t, w.plannedAdjustments(li), w.bookedAdjustments(li),
			w.locations[li].id)
		for si := range w.skus {
			n := 0
			for _, m := range w.stockMovements(si, li) {
				if m.kind == c.MoveShipment && m.date.Equal(w.lastDay()) {
					n++
				}
			}
			require.Equal(t, w.shipments(si, li, last), n)
		}
	}
}

// dayPlanter plants each whole-day pattern before the stream in the first
// movements feed that takes it, and tries one once a history is held.
type dayPlanter struct {
	planted map[Fault]Break
	source  map[Fault]string
	refused map[Fault][]string
	late    error
}

func (p *dayPlanter) Global(w *World) {
	for _, f := range []Fault{FaultVolumeDrop, FaultMeanShift, FaultShrinkageRise,
		FaultZeroAdjustments} {
		for _, s := range w.MovementSources() {
			b, err := w.Inject(f, s)
			if err == nil {
				p.planted[f], p.source[f] = b, s
				break
			}
			p.refused[f] = append(p.refused[f], s)
		}
	}
}

func (p *dayPlanter) Stock(w *World, _, _ int) {
	if p.late == nil {
		_, p.late = w.Inject(FaultVolumeDrop, "wms_us_movements")
	}
}

// streamTables streams an estate into tables held in memory.
func streamTables(t *testing.T, e *c.Estate, p Params, plant Planter) (*World,
	map[string]*Table) {
	t.Helper()
	tables := map[string]*Table{}
	sink := func(source string, columns []string) (func([]string) error, error) {
		tb := &Table{Source: source, Columns: columns}
		tables[source] = tb
		return func(row []string) error {
			tb.Rows = append(tb.Rows, row)
			return nil
		}, nil
	}
	w, err := Stream(e, p, sink, plant)
	require.NoError(t, err)
	return w, tables
}

// A stream carries one of each whole-day pattern on the judged day, each
// where the others leave it room: the EU feed ships nothing, the US feed
// adjusts nothing, and at the EU feed's two near misses the mean and the
// losses move past twice their threshold while the near miss of the other
// monitor beside each stays just inside its own.
func TestAStreamReshapesTheJudgedDay(t *testing.T) {
	e := retail(t)
	p := DefaultParams()
	p.Days = 40
	plant := &dayPlanter{planted: map[Fault]Break{}, source: map[Fault]string{},
		refused: map[Fault][]string{}}
	w, tables := streamTables(t, e, p, plant)
	require.Error(t, plant.late, "a whole-day pattern goes in before the stream")

	eu, us := "wms_eu_movements", "wms_us_movements"
	require.Equal(t, map[Fault]string{FaultVolumeDrop: eu, FaultMeanShift: eu,
		FaultShrinkageRise: eu, FaultZeroAdjustments: us}, plant.source)
	require.Equal(t, []string{eu}, plant.refused[FaultZeroAdjustments],
		"no feed goes without adjustments where the others shift them")
	meanAt, lossAt := w.locations[w.plan.meanAt].id, w.locations[w.plan.lossAt].id
	require.Equal(t, lossAt, plant.planted[FaultMeanShift].Keys["location_id"])
	require.Equal(t, meanAt, plant.planted[FaultShrinkageRise].Keys["location_id"])

	judged := w.lastDay().Format(dateLayout)
	euDays := kindsByDay(t, e.Contract(eu), tables[eu])
	usDays := kindsByDay(t, e.Contract(us), tables[us])
	before := w.days[len(w.days)-2].Format(dateLayout)
	require.Zero(t, euDays[judged][c.MoveShipment])
	require.Positive(t, euDays[before][c.MoveShipment])
	require.Positive(t, euDays[judged][c.MoveAdjustment])
	require.Zero(t, usDays[judged][c.MoveAdjustment])
	require.Positive(t, usDays[before][c.MoveAdjustment])

	sigma := e.Project.Monitors.Sigma
	mean := adjustmentSeries(t, tables[eu], lossAt, judged, false)
	require.Greater(t, mean.today, mean.mean+2*sigma*mean.sd, "the mean shifted")
	losses := adjustmentSeries(t, tables[eu], lossAt, judged, true)
	require.LessOrEqual(t, losses.today, losses.mean+sigma*losses.sd, "its losses stay")
	losses = adjustmentSeries(t, tables[eu], meanAt, judged, true)
	require.Greater(t, losses.today, losses.mean+2*sigma*losses.sd, "the losses rose")
	mean = adjustmentSeries(t, tables[eu], meanAt, judged, false)
	require.LessOrEqual(t, mean.today, mean.mean+sigma*mean.sd, "its mean stays")
	require.Greater(t, mean.today, mean.mean+(sigma-0.5)*mean.sd, "a near miss still")
}

// kindsByDay counts a movements feed's rows by business date and canonical
// kind. The example's movements feeds state event times, local or UTC, and
// quantities in eaches or with a unit column.
func kindsByDay(t *testing.T, con *c.Contract, tb *Table) map[string]map[string]int {
	t.Helper()
	col, _ := con.Column(c.RoleMovementType)
	kinds := map[string]string{}
	for _, code := range col.Codes() {
		kinds[code.Code] = code.Value
	}
	at, _ := con.Column(c.RoleEventTime)
	i, k := column(tb, at.Name), column(tb, col.Name)
	tz := zone(con)
	out := map[string]map[string]int{}
	for _, r := range tb.Rows {
		ts, err := time.Parse(timeLayout, r[i])
		require.NoError(t, err)
		if con.Basis() == c.BasisUTC {
			ts = ts.In(tz)
		}
		day := ts.Format(dateLayout)
		if out[day] == nil {
			out[day] = map[string]int{}
		}
		out[day][kinds[r[k]]]++
	}
	return out
}

// series is a location's daily adjustment statistic on the judged day and
// its mean and sample deviation over the days before.
type series struct{ today, mean, sd float64 }

// adjustmentSeries reads the EU feed's adjustments at a location, once per
// movement id: their mean size per day, or their losses.
func adjustmentSeries(t *testing.T, tb *Table, loc, judged string, losses bool) series {
	t.Helper()
	id, wh, qty := column(tb, "movement_id"), column(tb, "warehouse"), column(tb, "qty")
	kind, posted := column(tb, "move_type"), column(tb, "posted_at")
	seen := map[string]bool{}
	sums, counts := map[string]float64{}, map[string]float64{}
	for _, r := range tb.Rows {
		if r[wh] != loc || r[kind] != "ADJ" || seen[r[id]] {
			continue
		}
		seen[r[id]] = true
		q, err := strconv.ParseFloat(r[qty], 64)
		require.NoError(t, err)
		day := r[posted][:10]
		counts[day]++
		switch {
		case !losses:
			sums[day] += math.Abs(q)
		case q < 0:
			sums[day] -= q
		}
	}
	var days []string
	for d := range counts {
		days = append(days, d)
	}
	sort.Strings(days)
	var s series
	var history []float64
	for _, d := range days {
		v := sums[d]
		if !losses {
			v /= counts[d]
		}
		if d == judged {
			s.today = v
		} else {
			history = append(history, v)
		}
	}
	s.mean, s.sd = meanSD(history)
	return s
}
