package jinja

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// knownFilter reports whether name is a supported filter; Jinja2 checks
// filter names when it compiles a template, and so do we.
func knownFilter(name string) bool {
	switch name {
	case "join", "lower", "upper", "trim", "length", "default", "replace",
		"int", "float", "string", "list", "sort", "first", "last", "round":
		return true
	}
	return false
}

// applyFilter runs every filter but default, which needs to know whether
// its value is defined and so is filterDefault.
func applyFilter(name string, v any, args []any, kw *Dict, bud *budget) (any, error) {
	switch name {
	case "join":
		return filterJoin(v, args, kw)
	case "trim":
		return filterTrim(v, args, kw)
	case "replace":
		return filterReplace(v, args, kw)
	case "int":
		return filterInt(v, args, kw)
	case "float":
		return filterFloat(v, args, kw)
	case "sort":
		return filterSort(v, args, kw, bud)
	case "round":
		return filterRound(v, args, kw)
	}
	if _, err := bind(name, args, kw); err != nil {
		return nil, err
	}
	return plainFilter(name, v)
}

// plainFilter runs the filters that take no arguments.
func plainFilter(name string, v any) (any, error) {
	switch name {
	case "length":
		return length(v)
	case "list":
		items, err := iterate(v)
		return slices.Clone(items), err
	case "first", "last":
		return firstOrLast(name, v)
	}
	s, err := toStr(v)
	switch name {
	case "lower":
		s = strings.ToLower(s)
	case "upper":
		s = strings.ToUpper(s)
	}
	return s, err
}

func filterDefault(v any, defined bool, args []any, kw *Dict) (any, error) {
	a, err := bind("default", args, kw,
		param{name: "default_value", def: ""}, param{name: "boolean", def: false})
	if err != nil {
		return nil, err
	}
	if !defined || truth(a[1]) && !truth(v) {
		return a[0], nil
	}
	return v, nil
}

func filterJoin(v any, args []any, kw *Dict) (any, error) {
	a, err := bind("join", args, kw, param{name: "d", def: ""})
	if err != nil {
		return nil, err
	}
	sep, err := toStr(a[0])
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	var b strings.Builder
	for i := 0; i < len(items) && err == nil && b.Len() <= maxSize; i++ {
		var s string
		s, err = toStr(items[i])
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s)
	}
	if err == nil && b.Len() > maxSize {
		err = errTooLarge
	}
	return b.String(), err
}

func filterTrim(v any, args []any, kw *Dict) (any, error) {
	a, err := bind("trim", args, kw, param{name: "chars"})
	if err != nil {
		return nil, err
	}
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	return strip("trim", s, a[0])
}

// strip is Python's str.strip(chars).
func strip(fn, s string, chars any) (string, error) {
	switch c := chars.(type) {
	case nil:
		return strings.TrimFunc(s, isSpace), nil
	case string:
		return strings.Trim(s, c), nil
	}
	return "", fmt.Errorf("%s() argument must be str or None, not %s", fn, typeName(chars))
}

func length(v any) (any, error) {
	switch x := v.(type) {
	case string:
		return int64(utf8.RuneCountInString(x)), nil
	case []any:
		return int64(len(x)), nil
	case *Dict:
		return int64(x.Len()), nil
	case undefined:
		return int64(0), nil
	}
	return nil, fmt.Errorf("object of type '%s' has no len()", typeName(v))
}

func firstOrLast(name string, v any) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("no %s item: the sequence is empty", name)
	}
	if name == "first" {
		return items[0], nil
	}
	return items[len(items)-1], nil
}

func filterReplace(v any, args []any, kw *Dict) (any, error) {
	a, err := bind("replace", args, kw,
		param{name: "old", req: true}, param{name: "new", req: true}, param{name: "count"})
	if err != nil {
		return nil, err
	}
	strs := make([]string, 3)
	for i, x := range []any{v, a[0], a[1]} {
		if strs[i], err = toStr(x); err != nil {
			return nil, err
		}
	}
	n := int64(-1)
	if a[2] != nil {
		if n, err = wantInt("replace", a[2]); err != nil {
			return nil, err
		}
	}
	return replace(strs[0], strs[1], strs[2], n)
}

// replace is Python's str.replace, refusing results over maxSize.
func replace(s, old, new string, n int64) (string, error) {
	count := int64(strings.Count(s, old))
	if n >= 0 && n < count {
		count = n
	}
	if int64(len(s))+count*int64(len(new)-len(old)) > maxSize {
		return "", errTooLarge
	}
	return strings.Replace(s, old, new, int(count)), nil
}

func filterInt(v any, args []any, kw *Dict) (any, error) {
	a, err := bind("int", args, kw,
		param{name: "default", def: int64(0)}, param{name: "base", def: int64(10)})
	if err != nil {
		return nil, err
	}
	if base, ok := asInt(a[1]); !ok || base != 10 {
		return nil, errors.New("int() with a base other than 10 is not supported")
	}
	switch x := v.(type) {
	case int64, bool:
		i, _ := asInt(x)
		return i, nil
	case float64:
		return floatToInt(x, a[0])
	case string:
		if i, ok := parsePyInt(x); ok {
			return i, nil
		}
		if f, ok := parsePyFloat(x); ok {
			return floatToInt(f, a[0])
		}
	}
	return a[0], nil
}

// floatToInt truncates f like Python's int(f); NaN yields def.
func floatToInt(f float64, def any) (any, error) {
	switch {
	case math.IsNaN(f):
		return def, nil
	case math.IsInf(f, 0):
		return nil, errors.New("cannot convert float infinity to integer")
	case f >= math.MaxInt64 || f < math.MinInt64:
		return nil, errOverflow
	}
	return int64(f), nil
}

// parsePyInt parses s like Python's int(s).
func parsePyInt(s string) (int64, bool) {
	s = strings.TrimFunc(s, isSpace)
	sign, body := splitSign(s)
	clean, ok := stripUnderscores(body)
	if !ok || clean == "" || strings.Trim(clean, "0123456789") != "" {
		return 0, false
	}
	i, err := strconv.ParseInt(sign+clean, 10, 64)
	return i, err == nil
}

// parsePyFloat parses s like Python's float(s).
func parsePyFloat(s string) (float64, bool) {
	s = strings.TrimFunc(s, isSpace)
	sign, body := splitSign(s)
	switch strings.ToLower(body) {
	case "inf", "infinity", "nan":
		f, err := strconv.ParseFloat(body, 64)
		if sign == "-" {
			f = -f
		}
		return f, err == nil
	}
	if body == "" || !isDigit(body[0]) && body[0] != '.' ||
		strings.Trim(body, "0123456789._eE+-") != "" {
		return 0, false
	}
	clean, ok := stripUnderscores(body)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(sign+clean, 64)
	return f, err == nil || errors.Is(err, strconv.ErrRange)
}

// splitSign splits off a leading "+" or "-"; a "+" is dropped.
func splitSign(s string) (string, string) {
	switch {
	case strings.HasPrefix(s, "-"):
		return "-", s[1:]
	case strings.HasPrefix(s, "+"):
		return "", s[1:]
	}
	return "", s
}

func filterFloat(v any, args []any, kw *Dict) (any, error) {
	a, err := bind("float", args, kw, param{name: "default", def: 0.0})
	if err != nil {
		return nil, err
	}
	if f, ok := asFloat(v); ok {
		return f, nil
	}
	if s, ok := v.(string); ok {
		if f, ok := parsePyFloat(s); ok {
			return f, nil
		}
	}
	return a[0], nil
}

func filterSort(v any, args []any, kw *Dict, bud *budget) (any, error) {
	a, err := bind("sort", args, kw, param{name: "reverse", def: false},
		param{name: "case_sensitive", def: false}, param{name: "attribute"})
	if err != nil {
		return nil, err
	}
	if a[2] != nil {
		return nil, errors.New("sort(attribute=...) is not supported")
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	return sortItems(items, truth(a[0]), truth(a[1]), bud)
}

// sortItems is a stable sort by Python's "<"; like Jinja2 it ignores the
// case of strings unless told otherwise.
func sortItems(items []any, reverse, caseSensitive bool, bud *budget) ([]any, error) {
	keys := slices.Clone(items)
	for i, k := range keys {
		if s, ok := k.(string); ok && !caseSensitive {
			keys[i] = strings.ToLower(s)
		}
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	var err error
	sort.SliceStable(idx, func(i, j int) bool {
		x, y := keys[idx[i]], keys[idx[j]]
		if reverse {
			x, y = y, x
		}
		less, e := order("<", x, y, bud)
		err = cmpErr(err, e)
		return less
	})
	out := make([]any, len(idx))
	for i, k := range idx {
		out[i] = items[k]
	}
	return out, err
}

func cmpErr(first, next error) error {
	if first != nil {
		return first
	}
	return next
}

func filterRound(v any, args []any, kw *Dict) (any, error) {
	a, err := bind("round", args, kw,
		param{name: "precision", def: int64(0)}, param{name: "method", def: "common"})
	if err != nil {
		return nil, err
	}
	prec, err := wantInt("round", a[0])
	if err != nil {
		return nil, err
	}
	method, _ := a[1].(string)
	if method != "common" && method != "ceil" && method != "floor" {
		return nil, errors.New("round() method must be 'common', 'ceil' or 'floor'")
	}
	if prec < 0 {
		return nil, errors.New("round() with a negative precision is not supported")
	}
	return round(v, prec, method)
}

// round is Python's round(v, prec) for "common" (halves to even, on the
// exact binary value), and Jinja2's scaled ceil or floor otherwise.
func round(v any, prec int64, method string) (any, error) {
	f, ok := asFloat(v)
	if !ok {
		return nil, fmt.Errorf("type %s doesn't define __round__ method", typeName(v))
	}
	if method != "common" {
		scale := math.Pow(10, float64(prec))
		if math.IsInf(scale, 0) {
			return nil, errors.New("round() precision too large")
		}
		if method == "ceil" {
			return math.Ceil(f*scale) / scale, nil
		}
		return math.Floor(f*scale) / scale, nil
	}
	if i, ok := asInt(v); ok {
		return i, nil
	}
	if prec > 330 {
		return f, nil
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', int(prec), 64), 64)
	return r, nil
}
