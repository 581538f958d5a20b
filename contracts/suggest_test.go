package contracts

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSuggestOffersOnlyPlausibleTypos: a suggestion far from what was
// typed sends the reader the wrong way, so only near misses get one.
func TestSuggestOffersOnlyPlausibleTypos(t *testing.T) {
	columnKeys := []string{"name", "type", "role", "values", "description"}
	for _, tc := range []struct {
		typed      string
		candidates []string
		want       string
	}{
		{"typ", columnKeys, "type"},
		{"rol", columnKeys, "role"},
		{"vales", columnKeys, "values"},
		{"descripton", columnKeys, "description"},
		{"Name", columnKeys, "name"},
		{"wsm", []string{"erp", "wms"}, "wms"},
		{"reciept", []string{"receipt", "shipment"}, "receipt"},
		{"crates", []string{"eaches", "inners", "cases", "pallets"}, "cases"},
		{"each", []string{"eaches", "inners", "cases", "pallets"}, "eaches"},
		{"time_zone", []string{"timezone", "quantity_uom"}, "timezone"},
		{"colour", columnKeys, ""},
		{"color", columnKeys, ""},
		{"notes", columnKeys, ""},
		{"x", columnKeys, ""},
		{"ab", []string{"role"}, ""},
	} {
		require.Equal(t, tc.want, suggest(tc.typed, tc.candidates), tc.typed)
	}
}
