package contractdiff

import "github.com/invgen/invgen/contracts"

// typeChange says what a type change does to consumers.
type typeChange int

const (
	sameType  typeChange = iota
	widened              // every old value still fits
	narrowed             // some old values no longer fit, same kind of value
	otherKind            // a different kind of value altogether
)

// Integer digits each integral type holds in full: integer is 32-bit
// (2147483647, so any 9-digit number), bigint 64-bit (any 18-digit one).
const (
	integerDigits = 9
	bigintDigits  = 18
)

// compareTypes judges a change from type a to type b by whether b holds
// every value of a. Within numbers: integer < bigint, an integral type fits
// a decimal with enough integer digits, decimal(p,s) fits decimal(p2,s2)
// when neither scale nor integer digits shrink, integer fits double (53-bit
// mantissa) but bigint and decimal do not, being exact. Strings and
// booleans are their own kind; a date fits a timestamp, not the reverse. A
// decimal without precision is compared only with itself: its width is the
// warehouse's default, which differs between warehouses.
func compareTypes(a, b contracts.Type) typeChange {
	if a == b {
		return sameType
	}
	switch {
	case a.Base == "date" && b.Base == "timestamp":
		return widened
	case a.Base == "timestamp" && b.Base == "date":
		return narrowed
	case numeric(a) && numeric(b):
		if holds(a, b) {
			return widened
		}
		return narrowed
	}
	return otherKind
}

func numeric(t contracts.Type) bool {
	switch t.Base {
	case "integer", "bigint", "decimal", "float":
		return true
	}
	return false
}

// holds reports whether type b holds every value of numeric type a.
func holds(a, b contracts.Type) bool {
	if b.Base == "float" {
		return a.Base == "integer" || a.Base == "float"
	}
	if a.Base == "float" {
		return false
	}
	if a.Base == "decimal" && a.Precision == 0 || b.Base == "decimal" && b.Precision == 0 {
		return false
	}
	ad, as := digits(a)
	bd, bs := digits(b)
	return bd >= ad && bs >= as
}

// digits returns the integer digits and scale a type holds in full.
func digits(t contracts.Type) (int, int) {
	switch t.Base {
	case "integer":
		return integerDigits, 0
	case "bigint":
		return bigintDigits, 0
	}
	return t.Precision - t.Scale, t.Scale
}
