package contracts_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

func TestParseType(t *testing.T) {
	tests := []struct {
		in   string
		want contracts.Type
		str  string
	}{
		{"varchar", contracts.Type{Base: "string"}, "string"},
		{"VARCHAR(255)", contracts.Type{Base: "string", Width: 255}, "string"},
		{"char(3)", contracts.Type{Base: "string", Width: 3}, "string"},
		{"string( 3 )", contracts.Type{Base: "string", Width: 3}, "string"},
		{"text", contracts.Type{Base: "string"}, "string"},
		{"string", contracts.Type{Base: "string"}, "string"},
		{"int", contracts.Type{Base: "integer"}, "integer"},
		{"smallint", contracts.Type{Base: "integer", Width: 16}, "integer"},
		{" integer ", contracts.Type{Base: "integer"}, "integer"},
		{"bigint", contracts.Type{Base: "bigint"}, "bigint"},
		{"decimal", contracts.Type{Base: "decimal"}, "decimal"},
		{"decimal(18,3)", contracts.Type{Base: "decimal", Precision: 18, Scale: 3},
			"decimal(18,3)"},
		{"NUMERIC( 10 , 2 )", contracts.Type{Base: "decimal", Precision: 10, Scale: 2},
			"decimal(10,2)"},
		{"decimal(38)", contracts.Type{Base: "decimal", Precision: 38}, "decimal(38,0)"},
		{"decimal(5,5)", contracts.Type{Base: "decimal", Precision: 5, Scale: 5},
			"decimal(5,5)"},
		{"double", contracts.Type{Base: "float"}, "float"},
		{"double precision", contracts.Type{Base: "float"}, "float"},
		{"real", contracts.Type{Base: "float", Width: 24}, "float"},
		{"float", contracts.Type{Base: "float"}, "float"},
		{"bool", contracts.Type{Base: "boolean"}, "boolean"},
		{"boolean", contracts.Type{Base: "boolean"}, "boolean"},
		{"date", contracts.Type{Base: "date"}, "date"},
		{"Timestamp", contracts.Type{Base: "timestamp"}, "timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := contracts.ParseType(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.str, got.String())
		})
	}
}

func TestParseTypeErrors(t *testing.T) {
	const known = "varchar, text, char(n), integer, bigint, decimal(p,s), double, boolean, " +
		"date, timestamp"
	tests := []struct{ in, want string }{
		{"", `unknown type "" (known: ` + known + ")"},
		{"money", `unknown type "money" (known: ` + known + ")"},
		{"timestamptz", `unknown type "timestamptz" (known: ` + known + ")"},
		{"timestamp with time zone",
			`unknown type "timestamp with time zone" (known: ` + known + ")"},
		{"varchar(", `unknown type "varchar(" (known: ` + known + ")"},
		{"decimal(18,3", `unknown type "decimal(18,3" (known: ` + known + ")"},
		{"decimal(-1,2)", `unknown type "decimal(-1,2)" (known: ` + known + ")"},
		{"int(11)", `type "int(11)" takes no precision`},
		{"timestamp(6)", `type "timestamp(6)" takes no precision`},
		{"decimal(0)", `type "decimal(0)" needs 1 <= precision <= 38 and scale <= precision`},
		{"decimal(39,2)",
			`type "decimal(39,2)" needs 1 <= precision <= 38 and scale <= precision`},
		{"decimal(4,5)", `type "decimal(4,5)" needs 1 <= precision <= 38 and scale <= precision`},
		{"decimal(99999999999999999999,1)", `type "decimal(99999999999999999999,1)" needs ` +
			"1 <= precision <= 38 and scale <= precision"},
		{"varchar(0)", `type "varchar(0)" needs a length from 1 to 16777216`},
		{"char(0)", `type "char(0)" needs a length from 1 to 16777216`},
		{"varchar(16777217)", `type "varchar(16777217)" needs a length from 1 to 16777216`},
		{"varchar(99999999999)",
			`type "varchar(99999999999)" needs a length from 1 to 16777216`},
		{"varchar(999999999999999999999)",
			`type "varchar(999999999999999999999)" needs a length from 1 to 16777216`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := contracts.ParseType(tt.in)
			require.EqualError(t, err, tt.want)
		})
	}
}

func TestParseSLA(t *testing.T) {
	tests := []struct {
		in      string
		minutes int
		count   int
		period  string
	}{
		{"15m", 15, 15, "minute"},
		{"90m", 90, 90, "minute"},
		{"120m", 120, 2, "hour"},
		{"2h", 120, 2, "hour"},
		{"1h30m", 90, 90, "minute"},
		{"1d", 1440, 1, "day"},
		{"24h", 1440, 1, "day"},
		{"1d12h", 2160, 36, "hour"},
		{"2d0h5m", 2885, 2885, "minute"},
		{"0d1m", 1, 1, "minute"},
		{"100000d", 144000000, 100000, "day"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			sla, err := contracts.ParseSLA(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.minutes, sla.Minutes)
			require.Equal(t, tt.count, sla.Count())
			require.Equal(t, tt.period, sla.Period())
		})
	}
}

func TestParseSLAErrors(t *testing.T) {
	notDuration := " is not a duration such as 15m, 2h, 1d or 1h30m"
	tests := []struct{ in, want string }{
		{"", `""` + notDuration},
		{"15", `"15"` + notDuration},
		{"15 m", `"15 m"` + notDuration},
		{"15M", `"15M"` + notDuration},
		{"30m1h", `"30m1h"` + notDuration},
		{"1w", `"1w"` + notDuration},
		{"-5m", `"-5m"` + notDuration},
		{"1.5h", `"1.5h"` + notDuration},
		{"PT15M", `"PT15M"` + notDuration},
		{"0m", `"0m" is zero: a feed cannot promise to be that fresh`},
		{"0d0h0m", `"0d0h0m" is zero: a feed cannot promise to be that fresh`},
		{"100001m", `"100001m" is too long a duration`},
		{"99999999999999999999d", `"99999999999999999999d" is too long a duration`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := contracts.ParseSLA(tt.in)
			require.EqualError(t, err, tt.want)
		})
	}
}

// TestVocabulary checks the exported answers about roles and movement types
// that the generator builds SQL from.
func TestVocabulary(t *testing.T) {
	require.Equal(t, []string{"receipt", "return_restock", "transfer_in", "shipment",
		"transfer_out", "adjustment"}, contracts.MovementTypes())
	for mt, effect := range map[string]int{
		"receipt": 1, "return_restock": 1, "transfer_in": 1,
		"shipment": -1, "transfer_out": -1, "adjustment": 0, "unknown": 0,
	} {
		require.Equal(t, effect, contracts.MovementEffect(mt), mt)
	}

	for _, r := range []contracts.Role{contracts.RoleMovementType, contracts.RoleDisposition,
		contracts.RoleUOM, contracts.RoleLocationClass} {
		require.True(t, r.Coded(), r)
	}
	require.False(t, contracts.RoleSKU.Coded())
	require.False(t, contracts.Role("nope").Coded())
	require.NotEmpty(t, contracts.DescribeRole(contracts.RoleLoadedAt))
	require.Empty(t, contracts.DescribeRole("nope"))
	require.Nil(t, contracts.RequiredRoles("nope"))
}
