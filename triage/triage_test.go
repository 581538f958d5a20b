package triage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The fixtures are what dbt 1.10, 1.11 and 1.12 wrote (see testdata).
func TestReadAcceptsTheArtifactsOfEverySupportedDbt(t *testing.T) {
	for dir, version := range map[string]string{"dbt-1.10": "1.10.23", "dbt-1.11": "1.11.16",
		"dbt-1.12": "1.12.6"} {
		art, err := Read(filepath.Join("testdata", dir))
		require.NoError(t, err, dir)
		require.Equal(t, version, art.DBTVersion)
		require.Equal(t, "2026-02-14", art.AsOf, "the run's invgen_as_of_date")
		require.NotEmpty(t, art.Results)
		require.NotEmpty(t, art.Sources)
	}
}

const (
	runResultsV6 = "https://schemas.getdbt.com/dbt/run-results/v6.json"
	manifestV12  = "https://schemas.getdbt.com/dbt/manifest/v12.json"
)

func TestReadRefusesArtifactsNoSupportedDbtWrites(t *testing.T) {
	for name, tc := range map[string]struct {
		results, manifest meta
		want              string
	}{
		"dbt 1.7 run results": {meta{"https://schemas.getdbt.com/dbt/run-results/v5.json",
			"1.7.19"}, meta{"https://schemas.getdbt.com/dbt/manifest/v11.json", "1.7.19"},
			"run_results.json: run-results schema v5, written by dbt 1.7.19, is not " +
				"supported: invgen reads run-results v6, which dbt 1.10 to 1.12 write"},
		"an older manifest": {meta{runResultsV6, "1.11.16"},
			meta{"https://schemas.getdbt.com/dbt/manifest/v11.json", "1.11.16"},
			"manifest.json: manifest schema v11, written by dbt 1.11.16, is not supported"},
		"dbt 1.9, same schemas": {meta{runResultsV6, "1.9.10"}, meta{manifestV12, "1.9.10"},
			"run_results.json: written by dbt 1.9.10, which is not supported: invgen " +
				"reads the artifacts of dbt 1.10 to 1.12"},
		"dbt Fusion": {meta{runResultsV6, "2.0.0-beta.2"}, meta{manifestV12, "2.0.0"},
			"run_results.json: written by dbt 2.0.0-beta.2, which is not supported"},
		"no dbt version": {meta{runResultsV6, ""}, meta{manifestV12, "1.11.16"},
			"run_results.json: written by a dbt that does not give its version"},
		"files swapped": {meta{manifestV12, "1.11.16"}, meta{runResultsV6, "1.11.16"},
			`run_results.json: not a dbt run-results artifact: its ` +
				`metadata.dbt_schema_version is "` + manifestV12 + `"`},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeArtifacts(t, tc.results, tc.manifest)
			_, err := Read(dir)
			require.ErrorContains(t, err, dir+string(filepath.Separator)+tc.want)
		})
	}
}

func TestReadSaysWhatATargetFolderIs(t *testing.T) {
	_, err := Read("testdata/missing")
	require.EqualError(t, err, "open testdata/missing/run_results.json: no such file or "+
		"directory: --target must be the target folder a dbt run wrote to")

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "run_results.json"),
		[]byte("{\"metadata\": "), 0o644))
	_, err = Read(dir)
	require.ErrorContains(t, err, filepath.Join(dir, "run_results.json")+
		": not a dbt artifact: unexpected end of JSON input")
}

type meta struct{ schema, dbt string }

func writeArtifacts(t *testing.T, results, manifest meta) string {
	t.Helper()
	dir := t.TempDir()
	for name, m := range map[string]meta{"run_results.json": results,
		"manifest.json": manifest} {
		body := `{"metadata": {"dbt_schema_version": "` + m.schema + `", "dbt_version": "` +
			m.dbt + `", "generated_at": "2026-02-14T06:00:00Z"}, "results": [], ` +
			`"nodes": {}, "sources": {}, "parent_map": {}}`
		if m.dbt == "" {
			body = strings.Replace(body, `"dbt_version": "", `, "", 1)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	return dir
}

// Contract paths in the project's meta are relative to the dbt project; the
// report gives them as the user can open them from where triage runs.
func TestContractPathsAreUsableFromTheCurrentFolder(t *testing.T) {
	a := &Artifacts{ProjectDir: filepath.Join("testdata", "project", "dbt")}
	require.Equal(t, filepath.Join("testdata", "project", "erp_atp.yml"),
		a.usablePath("../erp_atp.yml"))

	outside := t.TempDir()
	a.ProjectDir = filepath.Join(outside, "dbt")
	require.Equal(t, filepath.Join(outside, "erp_atp.yml"), a.usablePath("../erp_atp.yml"),
		"a project outside the current folder is named absolutely")
	require.Equal(t, "/abs/erp_atp.yml", a.usablePath("/abs/erp_atp.yml"))
}

// The project is the one dbt recorded, unless the artifacts were copied
// beside a project of their own: then the folder above the target.
func TestTheProjectIsTheOneWithADbtProjectFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dbt", "target")
	require.NoError(t, os.MkdirAll(target, 0o755))
	require.Equal(t, "/srv/dbt/retail", projectDir("/srv/dbt/retail", target))
	require.Equal(t, filepath.Join(dir, "dbt"), projectDir("", target))

	require.NoError(t, os.WriteFile(filepath.Join(dir, "dbt", "dbt_project.yml"), nil, 0o644))
	require.Equal(t, filepath.Join(dir, "dbt"), projectDir("/srv/dbt/retail", target))
}
