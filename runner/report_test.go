package runner

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// Tier totals are sums to the cent; a tier whose alerts carry no value says
// so rather than total zero, and one whose values are unknown stays unknown.
func TestTierTotalsAreCentsAndSayWhenThereIsNoValue(t *testing.T) {
	v := func(f float64) *float64 { return &f }
	rep := &Report{Alerts: []Alert{
		{Tier: "ticket", Test: "a", Value: v(0.1)},
		{Tier: "ticket", Test: "b", Value: v(0.2)},
		{Tier: "ticket", Test: "m", NoValue: true},
		{Tier: "digest", Test: "n", NoValue: true},
		{Tier: "page", Test: "p"},
	}}
	Finish(rep)
	require.Equal(t, []TierSummary{
		{Tier: "page", Alerts: 1},
		{Tier: "ticket", Alerts: 3, Value: v(0.3)},
		{Tier: "digest", Alerts: 1, NoValue: true},
	}, rep.Tiers)

	out, err := json.Marshal(rep.Tiers[1])
	require.NoError(t, err)
	require.JSONEq(t, `{"tier": "ticket", "alerts": 3, "value": 0.3}`, string(out))
	require.Equal(t, 143842.92, Cents(143842.91999999998))
}
