package contracts

import (
	"sort"
	"strconv"
	"strings"
)

// The JSON Schema states what it can of validate's checks, built from the
// tables and patterns validate itself uses, so that an editor flags what
// invgen build would refuse. Its patterns are ECMAScript regular
// expressions without flags: no lookaround, no (?i), and nothing that Go's
// regexp reads differently, so the tests can run them with Go. What a
// schema cannot say (a timezone known to the IANA database, references
// between contracts, roles a feed lacks) only invgen validate reports.

// notReserved refuses the reserved SQL words, as checkName does for
// lower-case names.
func notReserved() map[string]any {
	return map[string]any{"enum": reservedList()}
}

// notReservedAnyCase refuses them in any letter case, as checkColumnName
// does for raw column names, which may be upper case.
func notReservedAnyCase() map[string]any {
	return map[string]any{"pattern": "^(?:" + foldCase(strings.Join(reservedList(), "|")) + ")$"}
}

func reservedList() []string {
	words := make([]string, 0, len(reserved))
	for w := range reserved {
		words = append(words, w)
	}
	sort.Strings(words)
	return words
}

// slaSchemaPattern is what ParseSLA accepts but for a zero total, which
// slaZeroPattern refuses: each count at most slaMaxCount, in any number of
// leading zeros. An empty string the schema refuses with minLength.
func slaSchemaPattern() string {
	return slaPattern("0*" + upTo(slaMaxCount))
}

func slaZeroPattern() map[string]any {
	units := ""
	for _, u := range slaUnits {
		units += u.suffix
	}
	return map[string]any{"pattern": "^(?:0+[" + units + "])+$"}
}

// typeSchemaPattern is every column type ParseType reads.
func typeSchemaPattern() string {
	ws := typeSpace + "*"
	aliases := sortedAliases(nil)
	alts := make([]string, len(aliases))
	for i, alias := range aliases {
		alts[i] = foldCase(alias)
		switch typeAliases[alias] {
		case "string": // a length, which casting ignores
			alts[i] += "(?:" + ws + `\(` + ws + "0*" + oneTo(maxLength) + "(?:" + ws + "," +
				ws + "[0-9]+)?" + ws + `\))?`
		case "decimal":
			alts[i] += "(?:" + ws + `\(` + ws + decimalArgs(ws) + ws + `\))?`
		}
	}
	return "^" + ws + "(?:" + strings.Join(alts, "|") + ")" + ws + "$"
}

// decimalArgs is what decimalType accepts between the parentheses: a
// precision from 1 to maxPrecision, then maybe a scale no larger.
func decimalArgs(ws string) string {
	alts := make([]string, maxPrecision)
	for p := 1; p <= maxPrecision; p++ {
		alts[p-1] = strconv.Itoa(p) + "(?:" + ws + "," + ws + "0*" + upTo(p) + ")?"
	}
	return "0*(?:" + strings.Join(alts, "|") + ")"
}

// familyTypePattern is the types a role's family accepts, by name only:
// the name, then parentheses or the end. Beside typeSchemaPattern, which
// checks the rest, it says what checkColumnType says.
func familyTypePattern(f typeFamily) string {
	names := sortedAliases(func(base string) bool { return f.accepts(Type{Base: base}) })
	for i, n := range names {
		names[i] = foldCase(n)
	}
	return "^" + typeSpace + "*(?:" + strings.Join(names, "|") + ")" + typeSpace + `*(?:\(|$)`
}

// sortedAliases lists the type spellings whose base keep accepts, or all.
func sortedAliases(keep func(base string) bool) []string {
	var aliases []string
	for alias, base := range typeAliases {
		if keep == nil || keep(base) {
			aliases = append(aliases, alias)
		}
	}
	sort.Strings(aliases)
	return aliases
}

// columnRules are checkColumnType's and checkValues's rules as Draft-7
// conditions: a role's column has a type of its family, a coded role's
// values map to its canonical values, and other columns map no values.
func columnRules() []any {
	var rules []any
	families := map[typeFamily][]string{}
	var order []typeFamily
	var coded []string
	for _, rr := range roleRules {
		if _, seen := families[rr.family]; !seen {
			order = append(order, rr.family)
		}
		families[rr.family] = append(families[rr.family], string(rr.role))
		if rr.codes {
			coded = append(coded, string(rr.role))
			rules = append(rules, whenRole([]string{string(rr.role)},
				map[string]any{"values": map[string]any{"additionalProperties": codeSchema(rr)}}))
		}
	}
	for _, f := range order {
		rules = append(rules, whenRole(families[f], map[string]any{"type": map[string]any{
			"pattern": familyTypePattern(f)}}))
	}
	return append(rules, map[string]any{
		"if": map[string]any{"not": roleIn(coded)},
		"then": map[string]any{"properties": map[string]any{
			"values": map[string]any{"maxProperties": 0}}},
	})
}

// codeSchema is what checkCode accepts as the translation of a code.
func codeSchema(rr roleRule) map[string]any {
	if len(rr.canonical) == 0 {
		return map[string]any{"type": "string", "pattern": namePattern}
	}
	return map[string]any{"type": "string", "enum": rr.canonical}
}

func whenRole(roles []string, props map[string]any) map[string]any {
	return map[string]any{"if": roleIn(roles), "then": map[string]any{"properties": props}}
}

func roleIn(roles []string) map[string]any {
	return map[string]any{
		"properties": map[string]any{"role": map[string]any{"enum": roles}},
		"required":   []string{"role"},
	}
}

// foldCase spells each ASCII letter of a pattern as a class of both cases.
func foldCase(p string) string {
	var b strings.Builder
	for _, r := range p {
		if lo, up := strings.ToLower(string(r)), strings.ToUpper(string(r)); r < 128 && lo != up {
			b.WriteString("[" + lo + up + "]")
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// upTo is a pattern of the decimal numbers from 0 to n written without
// leading zeros: every shorter length, then each digit of n in turn held
// lower with any digits after it, then n itself.
func upTo(n int) string {
	s := strconv.Itoa(n)
	alts := []string{}
	for length := 1; length < len(s); length++ {
		alts = append(alts, lengthOf(length))
	}
	for i := range s {
		lo := byte('0')
		if i == 0 && len(s) > 1 {
			lo = '1'
		}
		if s[i] > lo {
			alts = append(alts, s[:i]+digitsBetween(lo, s[i]-1)+anyDigits(len(s)-i-1))
		}
	}
	return "(?:" + strings.Join(append(alts, s), "|") + ")"
}

// oneTo matches the numbers from 1 to n, which has two digits or more, with
// no leading zero: upTo's, less 0.
func oneTo(n int) string {
	return strings.Replace(upTo(n), "(?:"+lengthOf(1)+"|", "(?:[1-9]|", 1)
}

// lengthOf matches the numbers of exactly length digits, no leading zero.
func lengthOf(length int) string {
	if length == 1 {
		return "[0-9]"
	}
	return "[1-9]" + anyDigits(length-1)
}

func digitsBetween(lo, hi byte) string {
	if lo == hi {
		return string(lo)
	}
	return "[" + string(lo) + "-" + string(hi) + "]"
}

func anyDigits(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "[0-9]"
	}
	return "[0-9]{" + strconv.Itoa(n) + "}"
}
