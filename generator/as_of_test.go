package generator_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// Without an as-of date, checks judge today where today began last among
// the sources' timezones, so that yesterday, the day monitors judge, is
// over in every source: at 01:00 UTC it is still yesterday in Chicago.
func TestTheDefaultAsOfDateIsTodayInTheLastTimezoneToReachIt(t *testing.T) {
	for utc, want := range map[string]string{
		"2026-03-02 01:00:00": "2026-03-01", // 19:00 in Chicago, 02:00 in Berlin
		"2026-03-02 07:00:00": "2026-03-02", // 01:00 in Chicago
		"2026-03-01 23:30:00": "2026-03-01", // 00:30 on the 2nd in Berlin
	} {
		require.Equal(t, want, defaultAsOf(t, utc), "at %s UTC", utc)
	}
}

// defaultAsOf evaluates invgen_as_of_date() with no var set, on DuckDB,
// with the clock stopped at utc.
func defaultAsOf(t *testing.T, utc string) string {
	t.Helper()
	files := retail(t).All()
	clock := []byte("timezone('UTC', current_timestamp)")
	macros := files["macros/invgen_checks.sql"]
	require.Contains(t, string(macros), string(clock))
	files["macros/invgen_checks.sql"] = bytes.ReplaceAll(macros, clock,
		[]byte("timestamp '"+utc+"'"))
	return probe(t, files, "cast({{ invgen_as_of_date() }} as varchar)")
}
