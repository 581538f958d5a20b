package proof

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/synth"
)

// A workbench swapped to a fault and back reads exactly as the clean
// estate built from scratch: the tables the fault rebuilt are copied back
// from the clean estate's copies, and the models it did not touch stay.
func TestAWorkbenchSwappedBackReadsAsTheCleanEstate(t *testing.T) {
	estate, res := retailResult(t)
	wb := cleanBench(t, estate, res)
	read := readModels(estate, res, wb.vars["invgen_as_of_date"].(string))
	before := map[string][]Row{}
	for _, m := range read {
		rows, err := ReadRows(wb.ctx, wb.db, m)
		require.NoError(t, err)
		before[m] = rows
	}

	p := synth.ProofParams()
	p.Days = historyDays(estate, p)
	faulty := synth.NewWorld(estate, p)
	_, err := faulty.Inject(synth.FaultVolumeDrop, monitorNamed(t, res, "feed_volume").Target)
	require.NoError(t, err)
	require.NoError(t, wb.swap(faulty, read...))
	changed := 0
	for _, m := range read {
		rows, err := ReadRows(wb.ctx, wb.db, m)
		require.NoError(t, err)
		if !reflect.DeepEqual(rows, before[m]) {
			changed++
		}
	}
	require.Positive(t, changed, "the fault changed no model")
	require.NotEmpty(t, wb.copied, "no clean table was kept aside")

	require.NoError(t, wb.swap(synth.NewWorld(estate, p), read...))
	for _, m := range read {
		rows, err := ReadRows(wb.ctx, wb.db, m)
		require.NoError(t, err)
		require.Equal(t, before[m], rows, "%s differs from the clean build", m)
	}
}
