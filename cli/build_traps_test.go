package cli

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/proof"
)

// Each kind of trap is named once; past three places a kind sums its rows,
// so that an estate of many regional feeds still reads in a line.
func TestTrapsReadKindByKind(t *testing.T) {
	traps := []proof.Trap{
		{Kind: proof.TrapMidnight, Where: "wms_eu", Zone: "Europe/Berlin", Rows: 3},
		{Kind: proof.TrapMidnight, Where: "wms_us", Zone: "America/Chicago", Rows: 4},
		{Kind: proof.TrapReplay, Where: "r1", Rows: 1},
		{Kind: proof.TrapReplay, Where: "r2", Rows: 2},
		{Kind: proof.TrapReplay, Where: "r3", Rows: 3},
		{Kind: proof.TrapReplay, Where: "r4", Rows: 4},
		{Kind: proof.TrapNoise, Where: "kit_build", Rows: 5},
	}
	require.Equal(t, "3 movements near local midnight (wms_eu, Europe/Berlin), 4 (wms_us, "+
		"America/Chicago); 10 exact replays in 4 feeds; 5 sub-tolerance noise (kit_build)",
		describeTraps(traps))
}

// Idle feeds are named, a few of them, in one note; none, no note.
func TestIdleFeedsAreNamedInANote(t *testing.T) {
	var stderr bytes.Buffer
	a := &app{stderr: &stderr}
	a.reportIdleFeeds(nil)
	require.Empty(t, stderr.String())

	a.reportIdleFeeds([]string{"r4", "r5", "r6", "r7", "r8"})
	require.Equal(t, "note: no trap counted in r4, r5, r6 and 2 more: the clean estate has "+
		"no rows there, as a system's movements feeds share its few synthesised locations\n",
		stderr.String())
}
