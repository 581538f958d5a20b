package generator_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A rerun of an earlier date on a kept database judges that date as it
// was: breaks first observed after it are not in its ledger, none is open
// for a negative number of days, and a break that later cleared is open
// as of a day a run saw it.
func TestARerunOfAnEarlierDateJudgesThatDate(t *testing.T) {
	log := newLedgerLog(t)
	late := ledgerBreak{key: "late", owner: "o1", location: "L1", first: "2026-02-10"}
	refund := ledgerBreak{key: "refund", owner: "o1", location: "L1", first: "2026-02-01"}
	for day := date(t, "2026-02-01"); !day.After(date(t, "2026-02-15")); day = day.AddDate(0,
		0, 1) {
		stamp, d := day.Add(6*time.Hour), day.Format(time.DateOnly)
		log.run(d, stamp)
		if d >= late.first {
			log.observe(late, d, stamp)
		}
		if d <= "2026-02-03" {
			log.observe(refund, d, stamp)
		}
	}

	log.build("2026-02-15", "")
	require.Equal(t, map[string]string{
		"late":   "open 2026-02-10..2026-02-15 5",
		"refund": "cleared 2026-02-01..2026-02-03 2",
	}, log.ledger())

	// The rerun of 02-01, a day later than its first run, sees the refund.
	rerun := date(t, "2026-02-16").Add(9 * time.Hour)
	log.run("2026-02-01", rerun)
	log.observe(refund, "2026-02-01", rerun)
	log.build("2026-02-01", "refund,fixed,fixed,2026-02-04\n")
	require.Equal(t, map[string]string{
		"refund": "open 2026-02-01..2026-02-01 0",
	}, log.ledger(), "nothing after 02-01 counts, not even the later resolution")
}

// Of several runs of one date the latest is what that date saw: a break an
// earlier run saw and the rerun did not was not seen that day, and a break
// both saw counts once.
func TestTheLatestRunOfADateIsWhatThatDateSaw(t *testing.T) {
	log := newLedgerLog(t)
	kept := ledgerBreak{key: "kept", owner: "o1", location: "L1", first: "2026-02-13",
		value: 10}
	gone := ledgerBreak{key: "gone", owner: "o1", location: "L1", first: "2026-02-13",
		value: 20}
	for _, day := range []string{"2026-02-13", "2026-02-14"} {
		stamp := date(t, day).Add(6 * time.Hour)
		log.run(day, stamp)
		log.observe(kept, day, stamp)
		log.observe(gone, day, stamp)
	}
	rerun := date(t, "2026-02-14").Add(11 * time.Hour)
	log.run("2026-02-14", rerun)
	log.observe(kept, "2026-02-14", rerun)

	log.build("2026-02-14", "")
	require.Equal(t, map[string]string{
		"kept": "open 2026-02-13..2026-02-14 1",
		"gone": "cleared 2026-02-13..2026-02-13 0",
	}, log.ledger())

	// A rerun that sees nothing at all clears every break of its date.
	log.run("2026-02-14", rerun.Add(time.Hour))
	log.build("2026-02-14", "")
	require.Equal(t, map[string]string{
		"kept": "cleared 2026-02-13..2026-02-13 0",
		"gone": "cleared 2026-02-13..2026-02-13 0",
	}, log.ledger())
}
