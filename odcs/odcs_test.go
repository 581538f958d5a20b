package odcs

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invgen/invgen/contracts"
)

func readFixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("../testdata/odcs/" + name)
	require.NoError(t, err)
	return string(data)
}

// edited is a fixture with replacements applied, old then new; each must
// apply.
func edited(t *testing.T, name string, pairs ...string) string {
	t.Helper()
	text := readFixture(t, name)
	for i := 0; i+1 < len(pairs); i += 2 {
		next := strings.Replace(text, pairs[i], pairs[i+1], 1)
		require.NotEqual(t, text, next, "the edit %q must apply", pairs[i])
		text = next
	}
	return text
}

// problems converts text and returns its diagnostics, one string each.
func problems(t *testing.T, file, text string) []string {
	t.Helper()
	files, err := Convert(file, []byte(text), Options{})
	require.Nil(t, files)
	var ds contracts.Diagnostics
	require.True(t, errors.As(err, &ds), "%v", err)
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Error()
	}
	return out
}

func TestACompleteContractBecomesAValidInvgenContract(t *testing.T) {
	files, err := Convert("wms.yaml", []byte(readFixture(t,
		"wms_eu_movements.odcs.yaml")), Options{})
	require.NoError(t, err)
	require.Len(t, files, 1)
	require.Equal(t, "wms_eu_movements", files[0].Source)
	require.Equal(t, contracts.Pos{File: "wms.yaml", Line: 37, Col: 5}, files[0].Pos)

	c, err := contracts.ParseContract("wms_eu_movements.yml", files[0].Data)
	require.NoError(t, err)
	require.Equal(t, "wms", c.System, "from the contract-level customProperties")
	require.Equal(t, "jane.doe@retailer.example", c.Owner, "from the v3.1 team's owner")
	require.Equal(t, contracts.Relation{Database: "raw", Schema: "wms_eu", Table: "movements"},
		c.Relation)
	require.Equal(t, "Europe/Berlin", c.Semantics.Timezone)
	require.Equal(t, contracts.BasisLocal, c.Basis(), "wall-clock time in defaultTimezone")
	require.Equal(t, []string{"movement_id", "warehouse"}, c.Semantics.IdempotencyKey,
		"from primaryKey in primaryKeyPosition order")
	require.Equal(t, "15m", c.Delivery.FreshnessSLA, "from the latency SLA in minutes")
	qty, _ := c.Column(contracts.RoleQuantity)
	require.Equal(t, "decimal(18,3)", qty.Type)
	mt, _ := c.Column(contracts.RoleMovementType)
	require.Equal(t, "adjustment", mt.Values["ADJ"])
	require.Equal(t, []string{"producer", "inventory-data-oncall"}, c.OnViolation.Notify)
	require.True(t, strings.HasPrefix(string(files[0].Data), "# Imported by"))
}

func TestMissingSemanticsAreAllReportedWithWhereToSetThem(t *testing.T) {
	got := problems(t, "erp_stock.odcs.yaml", readFixture(t, "erp_stock.odcs.yaml"))
	want := []string{
		`erp_stock.odcs.yaml:18:5: missing: the quantity's unit of measure, set ` +
			`customProperties property "invgen.quantity_uom" on object "erp_onhand"`,
		`erp_stock.odcs.yaml:18:5: missing: which stock number the quantity is`,
		`erp_stock.odcs.yaml:42:9: missing: the business timezone of event time "SNAP_TS"`,
		`erp_stock.odcs.yaml:50:5: missing: the feed (what one row is), set ` +
			`customProperties property "invgen.feed" on object "erp_prices"`,
		`erp_stock.odcs.yaml:50:5: missing: the system of record`,
	}
	require.Len(t, got, len(want), strings.Join(got, "\n"))
	for i, w := range want {
		require.True(t, strings.HasPrefix(got[i], w), "%s\nwant prefix %s", got[i], w)
	}
}

// Wrong answers, as opposed to missing ones, are found by invgen's own
// contract checks, and must still be reported in the ODCS file, all at
// once, at the line that gave the value.
func TestWrongAnswersAreReportedWhereTheODCSFileGivesThem(t *testing.T) {
	text := edited(t, "wms_eu_movements.odcs.yaml",
		"value: quantity\n", "value: qty\n",
		"username: jane.doe@retailer.example", "username: jdoe",
		"unit: min", "unit: weeks",
		"value: Europe/Berlin", "value: Europe/Berlinn",
		"property: invgen.movement_grain", "property: invgen.movement_grian")
	text += "        customProperties:\n          - property: invgen.feed\n" +
		"            value: positions\n"
	got := problems(t, "wms.yaml", text)
	want := []string{
		`wms.yaml:19:17: missing: the owner's email address (the team's owner "jdoe" is a ` +
			`username), set customProperties property "invgen.owner"`,
		`wms.yaml:27:12: object "wms_eu_movements", imported as wms_eu_movements.yml: ` +
			`semantics.timezone: "Europe/Berlinn" is not an IANA timezone name`,
		`wms.yaml:30:12: object "wms_eu_movements", imported as wms_eu_movements.yml: ` +
			`delivery.freshness_sla: "15weeks" is not a duration`,
		`wms.yaml:37:5: missing: the movement grain`,
		`wms.yaml:47:19: customProperties property "invgen.movement_grian" is not one ` +
			`invgen reads (did you mean "invgen.movement_grain"?)`,
		`wms.yaml:54:7: missing: a property with role quantity`,
		`wms.yaml:83:20: object "wms_eu_movements", imported as wms_eu_movements.yml: ` +
			`columns[3].role: "qty" is not one of`,
		`wms.yaml:96:28: event time "posted_at" is local time in Europe/Berlin ` +
			`(logicalTypeOptions.defaultTimezone) but invgen.timezone puts business dates ` +
			`in Europe/Berlinn`,
		`wms.yaml:110:23: customProperties property "invgen.feed" belongs on the schema ` +
			`object or the contract`,
	}
	for _, w := range want {
		require.True(t, hasPrefix(got, w), "want a problem starting\n%s\nin\n%s", w,
			strings.Join(got, "\n"))
	}
	require.Len(t, got, len(want), strings.Join(got, "\n"))
}

func hasPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func TestTimezoneComesFromLogicalTypeOptions(t *testing.T) {
	text := edited(t, "erp_stock.odcs.yaml", "timezone: true",
		"timezone: true\n          defaultTimezone: Europe/Berlin", "value: positions",
		"value: positions\n      - property: invgen.quantity_uom\n        value: eaches\n"+
			"      - property: invgen.quantity_field\n        value: on_hand")
	text = text[:strings.Index(text, "  - name: erp_prices")]

	files, err := Convert("erp.yaml", []byte(text), Options{})
	require.NoError(t, err)
	c, err := contracts.ParseContract("erp_onhand.yml", files[0].Data)
	require.NoError(t, err)
	require.Equal(t, "Europe/Berlin", c.Semantics.Timezone)
	require.Equal(t, contracts.BasisUTC, c.Basis(), "offsets in the data: read as UTC")
	require.Equal(t, "maria.keller@retailer.example", c.Owner, "from the v3.0 team list")
	ts, _ := c.Column(contracts.RoleEventTime)
	require.Equal(t, "timestamp", ts.Type, "TIMESTAMPTZ falls back to the logical type")
}

// ODCS reads a timestamp without a defaultTimezone as UTC; invgen says so
// in the contract rather than reading it as local time.
func TestAnEventTimeWithoutOptionsIsUTCAsODCSDefinesIt(t *testing.T) {
	text := edited(t, "wms_eu_movements.odcs.yaml",
		"        logicalTypeOptions:\n          defaultTimezone: Europe/Berlin\n", "")
	files, err := Convert("wms.yaml", []byte(text), Options{})
	require.NoError(t, err)
	c, err := contracts.ParseContract("wms_eu_movements.yml", files[0].Data)
	require.NoError(t, err)
	require.Equal(t, contracts.BasisUTC, c.Basis())
	require.Equal(t, "Europe/Berlin", c.Semantics.Timezone, "business dates still in Berlin")
	require.Contains(t, string(files[0].Data), "event_time_basis: utc", "stated, not implied")

	text = edited(t, "wms_eu_movements.odcs.yaml", "  - property: invgen.timezone\n"+
		"    value: Europe/Berlin\n", "  - property: invgen.event_time_basis\n    value: utc\n")
	files, err = Convert("wms.yaml", []byte(text), Options{})
	require.NoError(t, err)
	c, err = contracts.ParseContract("wms_eu_movements.yml", files[0].Data)
	require.NoError(t, err)
	require.Equal(t, contracts.BasisUTC, c.Basis(), "invgen.event_time_basis overrides ODCS")
	require.Equal(t, "Europe/Berlin", c.Semantics.Timezone, "from defaultTimezone")
}

func TestSLAElementsKeysAndServersAsODCSWritesThem(t *testing.T) {
	text := edited(t, "wms_eu_movements.odcs.yaml",
		"element: movements._loaded_at", "element: _loaded_at",
		"    database: raw\n    schema: wms_eu\n", "    project: raw\n    dataset: wms_eu\n",
		"type: snowflake", "type: bigquery",
		"      - property: invgen.movement_grain\n",
		"      - property: invgen.idempotency_key\n        value: [movement_id, site]\n"+
			"      - property: invgen.movement_grain\n",
		"      - name: warehouse\n", "      - name: site\n        physicalName: warehouse\n")
	files, err := Convert("wms.yaml", []byte(text), Options{})
	require.NoError(t, err)
	c, err := contracts.ParseContract("wms_eu_movements.yml", files[0].Data)
	require.NoError(t, err)
	require.Equal(t, "15m", c.Delivery.FreshnessSLA, "a bare property in a one-object contract")
	require.Equal(t, contracts.Relation{Database: "raw", Schema: "wms_eu", Table: "movements"},
		c.Relation, "BigQuery's project and dataset")
	require.Equal(t, []string{"movement_id", "warehouse"}, c.Semantics.IdempotencyKey,
		"ODCS names become the raw columns' physical names")
}

func TestOriginMapsAContractLineBackToTheODCSFile(t *testing.T) {
	files, err := Convert("wms.yaml", []byte(readFixture(t,
		"wms_eu_movements.odcs.yaml")), Options{})
	require.NoError(t, err)
	lines := strings.Split(string(files[0].Data), "\n")
	for i, l := range lines {
		if col := strings.Index(l, "Europe/Berlin"); col >= 0 {
			require.Equal(t, contracts.Pos{File: "wms.yaml", Line: 27, Col: 12},
				files[0].Origin(i+1, col+1), "the contract-level invgen.timezone")
		}
	}
	require.Equal(t, files[0].Pos, files[0].Origin(1, 1), "else the schema object")
}

func TestNotAnODCSContract(t *testing.T) {
	_, err := Convert("x.yaml", []byte("apiVersion: v2.2.0\nkind: Other\nschema: []\n"), Options{})
	require.EqualError(t, err, "x.yaml:1:13: apiVersion: \"v2.2.0\" is not ODCS v3 "+
		"(v3.0.0 or later 3.x)\nx.yaml:2:7: kind: \"Other\" is not DataContract\n"+
		"x.yaml:3:9: schema: no objects to import")
}

// The ODCS v3 schemas require apiVersion, kind, id, version and status,
// each a string, and nothing else at the top: a file short of one is no
// ODCS contract, and is told so at its first line.
func TestTheFieldsODCSRequiresAreReportedAndNoOthers(t *testing.T) {
	got := problems(t, "wms.yaml", edited(t, "wms_eu_movements.odcs.yaml",
		"id: 6f1d2c3e-0b7a-4d55-9c61-2f1e7a9b4c10\n", ""))
	require.Equal(t, []string{"wms.yaml:3:1: missing: id, which ODCS v3 requires of " +
		"every contract"}, got)

	got = problems(t, "wms.yaml", edited(t, "wms_eu_movements.odcs.yaml",
		"apiVersion: v3.1.0\n", "", "kind: DataContract\n", "",
		"id: 6f1d2c3e-0b7a-4d55-9c61-2f1e7a9b4c10\n", "", "version: 2.3.0\n", "",
		"status: active\n", "status:\n"))
	var want []string
	for _, f := range []string{"apiVersion", "id", "kind", "status", "version"} {
		want = append(want, "wms.yaml:3:1: missing: "+f+", which ODCS v3 requires of "+
			"every contract")
	}
	require.Equal(t, want, got, "all at once, an empty status as missing as an absent one")

	got = problems(t, "wms.yaml", edited(t, "wms_eu_movements.odcs.yaml",
		"version: 2.3.0", "version: 2.3", "status: active", "status: [active]"))
	require.Equal(t, []string{
		`wms.yaml:7:10: version: 2.3 is a number, but ODCS v3 wants a string: quote it ` +
			`("2.3")`,
		"wms.yaml:8:9: status: ODCS v3 wants a string here"}, got)

	text := edited(t, "wms_eu_movements.odcs.yaml", "name: WMS EU stock movements\n", "",
		"domain: supply-chain\n", "", "id: 6f1d2c3e-0b7a-4d55-9c61-2f1e7a9b4c10", `id: ""`,
		"status: active", "status: retired")
	files, err := Convert("wms.yaml", []byte(text), Options{})
	require.NoError(t, err, "name and domain are optional; any string is an id or a status")
	require.Len(t, files, 1)
}

// twoServers is the WMS fixture with a second server, as a contract that
// lists production and a staging copy does.
func twoServers(t *testing.T) string {
	return edited(t, "wms_eu_movements.odcs.yaml", "    schema: wms_eu\n",
		"    schema: wms_eu\n  - server: staging\n    type: postgres\n    database: stage\n"+
			"    schema: wms_eu_copy\n")
}

// With several servers, which one holds the tables is not guessed: the
// import says so with the list, and --server picks one by its name.
func TestSeveralServersNeedTheOneToUseNamed(t *testing.T) {
	text := twoServers(t)
	require.Equal(t, []string{"wms.yaml:11:3: servers: 2 servers could hold the tables " +
		"(warehouse (snowflake), staging (postgres)), and which one does is not guessed: " +
		"choose one with --server NAME, or set invgen.schema (and invgen.database) on the " +
		"contract or each object"}, problems(t, "wms.yaml", text))

	for server, want := range map[string]contracts.Relation{
		"warehouse": {Database: "raw", Schema: "wms_eu", Table: "movements"},
		"staging":   {Database: "stage", Schema: "wms_eu_copy", Table: "movements"},
	} {
		files, err := Convert("wms.yaml", []byte(text), Options{Server: server})
		require.NoError(t, err, server)
		c, err := contracts.ParseContract("wms_eu_movements.yml", files[0].Data)
		require.NoError(t, err)
		require.Equal(t, want, c.Relation, server)
	}

	_, err := Convert("wms.yaml", []byte(text), Options{Server: "prod"})
	require.EqualError(t, err, "wms.yaml:11:3: --server prod: no server of that name; the "+
		"servers are: warehouse (snowflake), staging (postgres)")

	withSchema := strings.Replace(text, "  - property: invgen.system\n",
		"  - property: invgen.schema\n    value: wms_eu\n  - property: invgen.system\n", 1)
	files, err := Convert("wms.yaml", []byte(withSchema), Options{})
	require.NoError(t, err, "invgen.schema answers it: no server is needed")
	c, err := contracts.ParseContract("wms_eu_movements.yml", files[0].Data)
	require.NoError(t, err)
	require.Equal(t, contracts.Relation{Schema: "wms_eu", Table: "movements"}, c.Relation)
}

// A minimum ratio with no control totals to measure it against would be
// dropped: it is reported where it is set, on an object or the contract.
func TestAMinRatioWithoutControlTotalsIsReported(t *testing.T) {
	onObject := edited(t, "wms_eu_movements.odcs.yaml", "      - property: invgen.notify\n",
		"      - property: invgen.min_ratio\n        value: 0.999\n"+
			"      - property: invgen.notify\n")
	require.Equal(t, []string{"wms.yaml:52:16: invgen.min_ratio: object \"wms_eu_movements\" " +
		"has no invgen.control_totals to be measured against, so the ratio would be " +
		"dropped: set invgen.control_totals (the control_totals source whose daily row " +
		"counts the rows are compared with), or remove invgen.min_ratio"},
		problems(t, "wms.yaml", onObject))

	onContract := edited(t, "wms_eu_movements.odcs.yaml", "  - property: invgen.system\n",
		"  - property: invgen.min_ratio\n    value: 0.999\n  - property: invgen.system\n")
	require.Equal(t, []string{"wms.yaml:25:12: invgen.min_ratio: no object names the " +
		"invgen.control_totals it would be measured against, so the ratio would be " +
		"dropped: set invgen.control_totals (the control_totals source whose daily row " +
		"counts the rows are compared with), or remove invgen.min_ratio"},
		problems(t, "wms.yaml", onContract))
}
