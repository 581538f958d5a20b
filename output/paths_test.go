package output

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckPathAcceptsPlainRelativePaths(t *testing.T) {
	for _, rel := range []string{
		"dbt_project.yml",
		"models/staging/shop/_shop__sources.yml",
		".sqlfluff",
		"models/.invgen-manifest",
		"a..b/c",
	} {
		assert.NoError(t, checkPath(rel), rel)
	}
}

func TestValidateFilesReportsEveryBadPath(t *testing.T) {
	err := validateFiles(files(map[string]string{
		"../up":     "",
		"a//b":      "",
		"ok.sql":    "",
		"ok.sql/in": "",
	}))

	require.Error(t, err)
	assert.Equal(t, `invalid generated path "../up": ".." segment`+"\n"+
		`invalid generated path "a//b": empty segment`+"\n"+
		`invalid generated path "ok.sql/in": "ok.sql" is generated as a file`, err.Error())
}

func TestAncestors(t *testing.T) {
	assert.Equal(t, []string{"a", "a/b"}, ancestors("a/b/c.sql"))
	assert.Empty(t, ancestors("c.sql"))
}

func TestParseManifestReportsEveryBadLine(t *testing.T) {
	raw := manifestHeader + "\na.sql\n/abs\n\nb.sql\na.sql\n"

	_, err := parseManifest("out/.invgen-manifest", []byte(raw))

	require.Error(t, err)
	assert.Equal(t,
		`out/.invgen-manifest:3: malformed manifest: "/abs": absolute path`+"\n"+
			`out/.invgen-manifest:4: malformed manifest: "": empty path`+"\n"+
			`out/.invgen-manifest:6: malformed manifest: "a.sql": listed twice`,
		err.Error())
}

func TestManifestRoundTrips(t *testing.T) {
	paths := []string{"a.sql", "models/b.sql"}

	owned, err := parseManifest("m", formatManifest(paths))

	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"a.sql": true, "models/b.sql": true}, owned)
}
