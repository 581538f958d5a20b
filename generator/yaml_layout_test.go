package generator

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func TestFoldYAMLKeepsEveryValue(t *testing.T) {
	long := strings.Repeat("word ", 30)
	doc := "models:\n" +
		"  - name: m\n" +
		"    description: 'It''s " + long + "end: with a colon and # a hash.'\n" +
		"    config:\n" +
		"      meta:\n" +
		"        owners: [" + strings.Repeat("someone.long@example.com, ", 5) + "'yes', 12]\n" +
		"        notify: [producer]\n" +
		"    data_tests:\n" +
		"      - t:\n" +
		"          config:\n" +
		"            meta: {alert_tier: digest, owner: " + strings.Repeat("x", 60) +
		", contract_file: ../c.yml, days: 7}\n" +
		"    spaced: 'two  spaces " + long + "'\n"

	folded := foldYAML([]byte(doc))
	var before, after any
	require.NoError(t, yaml.Unmarshal([]byte(doc), &before))
	require.NoError(t, yaml.Unmarshal(folded, &after))
	require.Equal(t, before, after)

	out := string(folded)
	require.Contains(t, out, "    description: >-\n      It's word word")
	require.Contains(t, out, "        owners:\n          - someone.long@example.com\n")
	require.Contains(t, out, "          - 'yes'\n          - 12\n", "scalars keep their style")
	require.Contains(t, out, "        notify: [producer]\n", "short lines stay")
	require.Contains(t, out, "            meta:\n              alert_tier: digest\n")
	require.Contains(t, out, "    spaced: 'two  spaces", "text folding would change")
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "    spaced:") {
			require.LessOrEqual(t, len(line), yamlWidth, line)
		}
	}
}
