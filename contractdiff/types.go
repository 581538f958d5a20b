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

// Integer digits each integral type holds in full: smallint is 16-bit
// (32767, so any 4-digit number), integer 32-bit (2147483647, any 9-digit
// number), bigint 64-bit (any 18-digit one).
const (
	smallintDigits = 4
	integerDigits  = 9
	bigintDigits   = 18
)

// compareTypes judges a change from type a to type b by whether b holds
// every value of a. A string's length limit only narrows it: none holds
// every string. Within numbers: smallint < integer < bigint, an integral
// type fits a decimal with enough integer digits, decimal(p,s) fits
// decimal(p2,s2) when neither scale nor integer digits shrink, and a float
// holds an integer exactly when the integer's bits fit its mantissa (53
// bits for double, 24 for real), so bigint and decimal, being exact, never
// fit one. Booleans are their own kind; a date fits a timestamp, not the
// reverse. A decimal without precision is compared only with itself: its
// width is the warehouse's default, which differs between warehouses.
func compareTypes(a, b contracts.Type) typeChange {
	if a == b {
		return sameType
	}
	switch {
	case a.Base == "string" && b.Base == "string":
		if b.Width == 0 || a.Width > 0 && b.Width > a.Width {
			return widened
		}
		return narrowed
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
		return a.Base == "float" && mantissa(a) <= mantissa(b) ||
			a.Base == "integer" && integerBits(a) <= mantissa(b)
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

// mantissa is the bits of precision a float type keeps: double's 53 unless
// its width says less.
func mantissa(t contracts.Type) int {
	if t.Width > 0 {
		return t.Width
	}
	return 53
}

// integerBits is the bits of magnitude an integer type holds, its sign bit
// aside: 31 for integer, 15 for smallint.
func integerBits(t contracts.Type) int {
	if t.Width > 0 {
		return t.Width - 1
	}
	return 31
}

// digits returns the integer digits and scale a type holds in full.
func digits(t contracts.Type) (int, int) {
	switch {
	case t.Base == "integer" && t.Width == 16:
		return smallintDigits, 0
	case t.Base == "integer":
		return integerDigits, 0
	case t.Base == "bigint":
		return bigintDigits, 0
	}
	return t.Precision - t.Scale, t.Scale
}
