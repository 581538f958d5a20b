package runner

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/fixtures"
)

func TestAGoodResolutionsSeedPasses(t *testing.T) {
	for _, seed := range []string{
		"break_key,root_cause,resolution,resolved_at\n",
		"\ufeffbreak_key,root_cause,resolution,resolved_at\n" +
			"returns_closure|refunds|R-1,limbo,\"restocked, \"\"late\"\"\",2026-02-05\n",
		"resolved_at,break_key,resolution,root_cause\n2026-02-05,k,,\n",
	} {
		require.NoError(t, CheckResolutions("seeds/r.csv", []byte(seed)), seed)
	}
}

// Every problem of a hand-kept seed is reported at once, each at its line
// and column, before the run would fail on it as a model error.
func TestABadResolutionsSeedIsReportedAtItsLinesAndColumns(t *testing.T) {
	for _, tc := range []struct{ seed, want string }{
		{"", "p.csv:1:1: the file is empty: expected the header " +
			"break_key,root_cause,resolution,resolved_at"},
		{"break_key,cause,resolution,resolved_at\n",
			"p.csv:1:11: column \"cause\" is not one of the seed's: break_key, root_cause, " +
				"resolution, resolved_at\n" +
				"p.csv:1:1: the header has no column root_cause: want " +
				"break_key,root_cause,resolution,resolved_at"},
		{"break_key,root_cause,resolution,resolved_at\n" +
			"k1,uom,fixed,05/02/2026\n" +
			",uom,fixed,2026-02-05\n" +
			"k1,uom,fixed,2026-02-06\n" +
			"k2,uom,2026-02-06\n" +
			"k3,uom,fixed,2026-02-06,extra\n",
			"p.csv:2:14: resolved_at \"05/02/2026\" is not a date: want YYYY-MM-DD, the day " +
				"the break was resolved\n" +
				"p.csv:3:1: break_key is empty: a resolution names the break_key of a " +
				"breaks_ledger row\n" +
				"p.csv:4:1: break k1 is resolved twice, first at p.csv:2:1: the ledger would " +
				"list it twice\n" +
				"p.csv:5:8: the row has 3 fields, the header 4: no value for column " +
				"resolved_at\n" +
				"p.csv:6:25: the row has 5 fields, the header 4: a value past the last " +
				"column, resolved_at"},
		{"break_key,root_cause,resolution,resolved_at\nk1,uom,\"fixed,2026-02-05\n",
			"p.csv:2:8: this quote opens a field that is never closed: every line after " +
				"it would be read into that field"},
	} {
		err := CheckResolutions("p.csv", []byte(tc.seed))
		var de *fixtures.DataError
		require.ErrorAs(t, err, &de, tc.seed)
		require.Equal(t, tc.want, err.Error())
	}
}
