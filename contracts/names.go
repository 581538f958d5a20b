package contracts

// MaxNameLength is the longest SQL name every target keeps whole:
// PostgreSQL truncates a longer identifier to 63 bytes, and dbt-postgres
// refuses a relation name past it. Snowflake, BigQuery and Spark allow
// longer names, so a name that fits here fits everywhere.
const MaxNameLength = 63

// The relations a source's staging folder creates are named from the
// source by these functions, which the generator uses too: validation
// measures the names the project will hold, not a copy of their rule.

// BaseModel is the model that types and checks every raw row of a source.
func BaseModel(source string) string { return "base_" + source }

// StagingModel is the model of the rows that honour the contract.
func StagingModel(source string) string { return "stg_" + source }

// QuarantineModel is the model of the rows that break it.
func QuarantineModel(source string) string { return "quarantine_" + source }

// QuarantineTest is the test that warns while the quarantine holds rows.
// dbt stores its failures in a table of this name.
func QuarantineTest(source string) string { return QuarantineModel(source) + "_is_empty" }

// sourceRelations is every relation name derived from a source, longest
// last. (rec_control_totals also names a CTE keys_<source>, shorter.)
func sourceRelations(source string) []string {
	return []string{StagingModel(source), BaseModel(source), QuarantineModel(source),
		QuarantineTest(source)}
}

// maxSourceLength is the longest source name whose derived names all fit.
func maxSourceLength() int {
	names := sourceRelations("")
	return MaxNameLength - len(names[len(names)-1])
}

// DerivedColumn is a column staging models derive rather than rename from
// a raw column, with the description their YAML gives it ("" where the
// generator words it model by model).
type DerivedColumn struct {
	Name string
	Doc  string
}

// derivedColumns are every column a base or staging model can derive, in
// any feed. A raw column without a role may not take one of these names,
// or the model would select two columns of that name.
var derivedColumns = []DerivedColumn{
	{"quantity", "The quantity in eaches."},
	{"quantity_reported", "The quantity as the producer reported it, in uom."},
	{"uom", "The unit quantity_reported is stated in."},
	{"each_per_uom", "Eaches in one uom of this SKU, from the pack sizes."},
	{"on_hand_effect", "The signed change this movement makes to on-hand, in eaches."},
	{"event_time", "When it happened, as wall-clock time in the source timezone."},
	{"event_time_utc", "When it happened, in UTC."},
	{"business_date", "The business date, in the source timezone."},
	{"movement_type_code", "The producer's movement type code."},
	{"disposition_code", "The producer's disposition code."},
	{"uom_code", "The producer's unit of measure code."},
	{"location_class_code", "The producer's location class code."},
	{"violation", ""},
	{"occurrence", ""},
	{"payload_occurrence", ""},
	{"quarantine_reason", ""},
	{"quarantined_at", ""},
}

// DerivedColumns returns the columns staging models derive; see
// derivedColumns.
func DerivedColumns() []DerivedColumn {
	return append([]DerivedColumn(nil), derivedColumns...)
}

// isDerived reports whether staging derives a column of this name.
func isDerived(name string) bool {
	for _, d := range derivedColumns {
		if d.Name == name {
			return true
		}
	}
	return false
}
