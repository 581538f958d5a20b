package contracts

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Type is a column type as a contract states it, normalised so that the
// generator can cast portably: the same contract builds on DuckDB, Postgres,
// Snowflake, BigQuery and Spark.
type Type struct {
	// Base is one of string, integer, bigint, decimal, float, boolean, date,
	// timestamp.
	Base string

	// Precision and Scale are set for decimal; zero means unstated.
	Precision int
	Scale     int

	// Width is how much of its base the declared type holds, where the
	// spelling narrows it: the length of varchar(n) or char(n), 16 bits
	// for smallint, a 24-bit mantissa for real. Zero is the base's full
	// width: no length limit, a 32-bit integer, a double. Staging casts by
	// Base alone, so Width changes no SQL; it is kept so that a producer
	// narrowing a column is seen by invgen diff.
	Width int
}

// String renders the type in the contract's own spelling, normalised.
func (t Type) String() string {
	if t.Base == "decimal" && t.Precision > 0 {
		return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale)
	}
	return t.Base
}

type typeFamily int

const (
	familyString typeFamily = iota
	familyNumber
	familyKey
	familyTimestamp
	familyDate
)

func (f typeFamily) String() string {
	return [...]string{
		"a string type", "a numeric type", "a string or integer type",
		"timestamp", "date",
	}[f]
}

// accepts reports whether a column of type t can carry a role of family f.
func (f typeFamily) accepts(t Type) bool {
	switch f {
	case familyString:
		return t.Base == "string"
	case familyNumber:
		return t.numeric()
	case familyKey:
		return t.Base == "string" || t.Base == "integer" || t.Base == "bigint"
	case familyTimestamp:
		return t.Base == "timestamp"
	case familyDate:
		return t.Base == "date"
	}
	return false
}

func (t Type) numeric() bool {
	switch t.Base {
	case "integer", "bigint", "decimal", "float":
		return true
	}
	return false
}

// typeSpace is the white space a type may carry around its name and inside
// its parentheses, as a regular expression class: Go's \s spelled out, so
// that the JSON Schema, whose ECMAScript \s also takes Unicode spaces,
// accepts exactly the same. typeTrim is the same characters.
const (
	typeSpace = `[\t\n\f\r ]`
	typeTrim  = "\t\n\f\r "
)

var typePattern = regexp.MustCompile(`^([a-z]+(?: precision)?)` + typeSpace + `*` +
	`(?:\(` + typeSpace + `*(\d+)` + typeSpace + `*(?:,` + typeSpace + `*(\d+)` +
	typeSpace + `*)?\))?$`)

// typeAliases maps every accepted spelling to its base.
var typeAliases = map[string]string{
	"varchar": "string", "text": "string", "string": "string", "char": "string",
	"smallint": "integer", "int": "integer", "integer": "integer", "bigint": "bigint",
	"decimal": "decimal", "numeric": "decimal",
	"double": "float", "double precision": "float", "float": "float", "real": "float",
	"boolean": "boolean", "bool": "boolean",
	"date": "date", "timestamp": "timestamp",
}

// aliasWidths are the spellings narrower than their base; see Type.Width.
var aliasWidths = map[string]int{"smallint": 16, "real": 24}

// ParseType reads a contract type such as varchar, "decimal(18,3)" or
// timestamp. Time zone-aware timestamps are refused on purpose: the contract
// states the zone once, in semantics.timezone.
func ParseType(s string) (Type, error) {
	if p, ok := parsedTypes.Load(s); ok {
		p := p.(parsedType)
		return p.t, p.err
	}
	t, err := parseType(s)
	parsedTypes.Store(s, parsedType{t, err})
	return t, err
}

// parsedTypes caches ParseType: a synthesised estate asks for the types of
// the same few columns for every row it renders.
var parsedTypes sync.Map

type parsedType struct {
	t   Type
	err error
}

func parseType(s string) (Type, error) {
	m := typePattern.FindStringSubmatch(strings.ToLower(strings.Trim(s, typeTrim)))
	if m == nil {
		return Type{}, fmt.Errorf("unknown type %q (known: %s)", s, knownTypes)
	}

	base, ok := typeAliases[m[1]]
	if !ok {
		return Type{}, fmt.Errorf("unknown type %q (known: %s)", s, knownTypes)
	}

	t := Type{Base: base, Width: aliasWidths[m[1]]}
	if m[2] == "" {
		return t, nil
	}
	if base == "string" {
		n, err := strconv.Atoi(m[2]) // kept for invgen diff; staging casts to string
		if err != nil || n < 1 || n > maxLength {
			return Type{}, fmt.Errorf("type %q needs a length from 1 to %d", s, maxLength)
		}
		t.Width = n
		return t, nil
	}
	if base != "decimal" {
		return Type{}, fmt.Errorf("type %q takes no precision", s)
	}
	return decimalType(s, m[2], m[3])
}

const knownTypes = "varchar, text, char(n), integer, bigint, decimal(p,s), double, " +
	"boolean, date, timestamp"

// maxLength is the longest varchar or char a contract may declare:
// Snowflake's limit, the largest of the targets that have one.
const maxLength = 16777216

// maxPrecision is the largest decimal precision every target holds.
const maxPrecision = 38

func decimalType(s, precision, scale string) (Type, error) {
	p, errP := strconv.Atoi(precision)
	sc, errS := 0, error(nil)
	if scale != "" {
		sc, errS = strconv.Atoi(scale)
	}
	if errP != nil || errS != nil || p < 1 || p > maxPrecision || sc > p {
		return Type{}, fmt.Errorf("type %q needs 1 <= precision <= 38 and scale <= precision", s)
	}
	return Type{Base: "decimal", Precision: p, Scale: sc}, nil
}
