package engine

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSplitRespectsQuotesAndComments(t *testing.T) {
	script := "select 'a;b' as x; -- not ; here\n" +
		"select \"odd;name\" from t /* ; */;\n\n" +
		"select 'it''s; fine';\n-- only a comment;\n"
	got := Split(script)
	require.Equal(t, []Statement{
		{SQL: "select 'a;b' as x", Line: 1},
		{SQL: " -- not ; here\nselect \"odd;name\" from t /* ; */", Line: 2},
		{SQL: "\n\nselect 'it''s; fine'", Line: 4},
	}, got)
}

func TestSplitKeepsAStatementWithoutSemicolon(t *testing.T) {
	require.Equal(t, []Statement{{SQL: "select 1", Line: 1}}, Split("select 1"))
	require.Empty(t, Split("  -- nothing\n/* at all */\n;"))
}
