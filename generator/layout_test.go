package generator_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/generator"
)

// Generated SQL and YAML read like hand-written files: no line passes 100
// columns, for the example estate, for its self-join form and for an
// estate of named pairs.
func TestNoGeneratedLinePasses100Columns(t *testing.T) {
	selfJoin := retailEstate(t)
	selfJoin.Project.Checks.ConservationForm = contracts.ConservationSelfJoin
	for name, res := range map[string]*generator.Result{
		"retail":           retail(t),
		"retail self-join": generateEstate(t, selfJoin),
		"named pairs":      generate(t, pairedEstate()),
	} {
		for path, content := range res.All() {
			if !strings.HasSuffix(path, ".sql") && !strings.HasSuffix(path, ".yml") {
				continue
			}
			for i, line := range strings.Split(string(content), "\n") {
				require.LessOrEqual(t, len(line), 100, "%s: %s:%d: %s", name, path, i+1, line)
			}
		}
	}
}

func retailEstate(t *testing.T) *contracts.Estate {
	t.Helper()
	e, err := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	require.NoError(t, err)
	return e
}

func generateEstate(t *testing.T, e *contracts.Estate) *generator.Result {
	t.Helper()
	g, err := generator.New()
	require.NoError(t, err)
	res, err := g.Generate(e, generator.Options{ContractDir: ".."})
	require.NoError(t, err)
	return res
}

// A case expression is laid out over lines, never strung along one.
func TestCaseExpressionsWithSeveralBranchesSpanLines(t *testing.T) {
	oneLine := regexp.MustCompile(`case when .* when `)
	for path, content := range retail(t).Files {
		if strings.HasSuffix(path, ".sql") {
			require.NotRegexp(t, oneLine, string(content), path)
		}
	}
	status := string(retail(t).Files["models/monitors/mon_feed_volume.sql"])
	require.Contains(t, status, "    case\n"+
		"        when coalesce(baseline.history_days, 0) < {{ var('invgen_min_history_days') }}\n"+
		"            then 'insufficient history'\n")
	require.Contains(t, status, "        else 'ok'\n    end as status\n")
}

// Long YAML lines of the generated files take the folded and block styles,
// short ones stay as they are, and every file still parses; that folding
// keeps each value is TestFoldYAMLKeepsEveryValue's.
func TestLongYAMLLinesFoldWithoutChangingValues(t *testing.T) {
	res := retail(t)
	for _, path := range res.Paths() {
		if !strings.HasSuffix(path, ".yml") {
			continue
		}
		var doc any
		require.NoError(t, yaml.Unmarshal(res.Files[path], &doc), path)
	}
	inter := string(res.Files["models/intermediate/_intermediate__models.yml"])
	require.Contains(t, inter, "    description: >-\n"+
		"      Every conservation comparison, within tolerance or not: what\n"+
		"      rec_movement_conservation and the tolerance drift monitor read.\n")
	var parsed struct {
		Models []struct{ Description string } `yaml:"models"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(inter), &parsed))
	require.Equal(t, "Every conservation comparison, within tolerance or not: what "+
		"rec_movement_conservation and the tolerance drift monitor read.",
		parsed.Models[0].Description)

	mons := string(res.Files["models/monitors/_monitors__models.yml"])
	require.True(t, strings.Contains(mons,
		"        owners:\n          - jane.doe@retailer.example\n"), "a long list is a block")
	staging := string(res.Files["models/staging/erp_atp/_erp_atp__models.yml"])
	require.True(t, strings.Contains(staging,
		"        notify: [producer, inventory-data-oncall]\n"), "a short list stays on its line")
}

// Every monitor that can say it has too little history has a digest test
// that reports it, flatline included: too little history never passes in
// silence.
func TestEveryMonitorThatCanLackHistoryReportsIt(t *testing.T) {
	res := retail(t)
	var docs struct {
		Models []struct {
			Name  string      `yaml:"name"`
			Tests []yaml.Node `yaml:"data_tests"`
		} `yaml:"models"`
	}
	require.NoError(t, yaml.Unmarshal(res.Files["models/monitors/_monitors__models.yml"], &docs))
	tests := map[string]string{}
	for _, m := range docs.Models {
		for _, n := range m.Tests {
			var test map[string]struct {
				Name   string `yaml:"name"`
				Config struct {
					Severity string         `yaml:"severity"`
					Meta     map[string]any `yaml:"meta"`
				} `yaml:"config"`
			}
			require.NoError(t, n.Decode(&test))
			for _, body := range test {
				tests[body.Name] = fmt.Sprint(body.Config.Severity, "/",
					body.Config.Meta["alert_tier"])
			}
		}
	}

	var lacking []string
	for _, m := range res.Monitors {
		sql, ok := res.Files["models/monitors/"+m.Model+".sql"]
		if !ok {
			continue // a report judged as a monitor, tested in its own folder
		}
		if strings.Contains(withIntermediates(res, string(sql)), "'insufficient history'") {
			lacking = append(lacking, m.Name)
			require.Equal(t, "warn/digest", tests[m.Model+"__insufficient_history"], m.Name)
		} else {
			require.NotContains(t, tests, m.Model+"__insufficient_history")
		}
	}
	require.ElementsMatch(t, []string{generator.MonitorVolume, generator.MonitorAdjustmentMean,
		generator.MonitorZeroAdjustments, generator.MonitorShrinkage,
		generator.MonitorFlatline}, lacking)
}

var intermediateRef = regexp.MustCompile(`\{\{ ref\('(int_\w+)'\) \}\}`)

// withIntermediates appends the SQL of the intermediate models a model
// selects from: a monitor whose rows live in one says what it says.
func withIntermediates(res *generator.Result, sql string) string {
	for _, m := range intermediateRef.FindAllStringSubmatch(sql, -1) {
		sql += string(res.Files["models/intermediate/"+m[1]+".sql"])
	}
	return sql
}
