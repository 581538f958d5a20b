package jinja

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"strings"
)

var (
	errOverflow = errors.New("integer overflow (integers are limited to 64 bits)")
	errZeroDiv  = errors.New("division by zero")
)

// budget counts the work a render may still do.
type budget struct{ left int }

func (b *budget) spend(n int) bool {
	b.left -= n
	return b.left >= 0
}

// asInt returns v as an int the way Python sees it: bools are ints.
func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func asFloat(v any) (float64, bool) {
	if i, ok := asInt(v); ok {
		return float64(i), true
	}
	f, ok := v.(float64)
	return f, ok
}

// arith applies a binary arithmetic operator with Python semantics.
func arith(op string, l, r any) (any, error) {
	if op == "~" {
		return concat(l, r)
	}
	li, lok := asInt(l)
	ri, rok := asInt(r)
	if lok && rok {
		return intOp(op, li, ri)
	}
	lf, lok := asFloat(l)
	rf, rok := asFloat(r)
	if lok && rok {
		return floatOp(op, lf, rf)
	}
	if v, ok, err := sequenceOp(op, l, r); ok {
		return v, err
	}
	if _, isStr := l.(string); isStr && op == "%" {
		return nil, errors.New("string formatting with % is not supported")
	}
	return nil, fmt.Errorf("unsupported operand type(s) for %s: '%s' and '%s'",
		op, typeName(l), typeName(r))
}

func concat(l, r any) (any, error) {
	ls, err := toStr(l)
	if err != nil {
		return nil, err
	}
	rs, err := toStr(r)
	if err != nil {
		return nil, err
	}
	if len(ls)+len(rs) > maxSize {
		return nil, errTooLarge
	}
	return ls + rs, nil
}

func intOp(op string, a, b int64) (any, error) {
	switch op {
	case "+":
		s := a + b
		return s, overflowIf((a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0))
	case "-":
		d := a - b
		return d, overflowIf((a >= 0 && b < 0 && d < 0) || (a < 0 && b > 0 && d >= 0))
	case "*":
		p := a * b
		return p, overflowIf(a != 0 && (p/a != b || (a == -1 && b == math.MinInt64)))
	case "/":
		return floatOp(op, float64(a), float64(b))
	}
	if b == 0 {
		return nil, errZeroDiv
	}
	if a == math.MinInt64 && b == -1 {
		return nil, errOverflow
	}
	q, m := a/b, a%b
	if m != 0 && (m < 0) != (b < 0) {
		q, m = q-1, m+b
	}
	if op == "//" {
		return q, nil
	}
	return m, nil
}

func overflowIf(overflow bool) error {
	if overflow {
		return errOverflow
	}
	return nil
}

func floatOp(op string, a, b float64) (any, error) {
	switch op {
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "*":
		return a * b, nil
	}
	if b == 0 {
		return nil, errZeroDiv
	}
	if op == "/" {
		return a / b, nil
	}
	div, mod := floatDivmod(a, b)
	if op == "//" {
		return div, nil
	}
	return mod, nil
}

// floatDivmod is CPython's float floor division and modulo.
func floatDivmod(a, b float64) (float64, float64) {
	mod := math.Mod(a, b)
	div := (a - mod) / b
	if mod != 0 {
		if (b < 0) != (mod < 0) {
			mod += b
			div--
		}
	} else {
		mod = math.Copysign(0, b)
	}
	if div == 0 {
		return math.Copysign(0, a/b), mod
	}
	floor := math.Floor(div)
	if div-floor > 0.5 {
		floor++
	}
	return floor, mod
}

// sequenceOp handles + and * on strings and lists.
func sequenceOp(op string, l, r any) (any, bool, error) {
	switch op {
	case "+":
		return addSequences(l, r)
	case "*":
		if n, ok := asInt(r); ok {
			return repeat(l, n)
		}
		if n, ok := asInt(l); ok {
			return repeat(r, n)
		}
	}
	return nil, false, nil
}

func addSequences(l, r any) (any, bool, error) {
	switch x := l.(type) {
	case string:
		if y, ok := r.(string); ok {
			v, err := concat(x, y)
			return v, true, err
		}
	case []any:
		if y, ok := r.([]any); ok {
			if len(x)+len(y) > maxSize {
				return nil, true, errTooLarge
			}
			return append(append([]any{}, x...), y...), true, nil
		}
	}
	return nil, false, nil
}

func repeat(v any, n int64) (any, bool, error) {
	n = max(n, 0)
	switch x := v.(type) {
	case string:
		if n > 0 && int64(len(x)) > maxSize/n {
			return nil, true, errTooLarge
		}
		return strings.Repeat(x, int(n)), true, nil
	case []any:
		if n > 0 && int64(len(x)) > maxSize/n {
			return nil, true, errTooLarge
		}
		if len(x) == 0 {
			return []any{}, true, nil
		}
		out := make([]any, 0, len(x)*int(n))
		for range n {
			out = append(out, x...)
		}
		return out, true, nil
	}
	return nil, false, nil
}

// negate is unary minus; plus is unary plus.
func negate(op string, v any) (any, error) {
	if i, ok := asInt(v); ok {
		if op == "+" {
			return i, nil
		}
		return -i, overflowIf(i == math.MinInt64)
	}
	if f, ok := v.(float64); ok {
		if op == "+" {
			return f, nil
		}
		return -f, nil
	}
	return nil, fmt.Errorf("bad operand type for unary %s: '%s'", op, typeName(v))
}

// equal is Python's ==; bud bounds the work on deeply shared values.
func equal(a, b any, bud *budget) bool {
	if !bud.spend(1) {
		return false
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		return ok && equalLists(x, y, bud)
	case *Dict:
		y, ok := b.(*Dict)
		return ok && equalDicts(x, y, bud)
	case *Namespace:
		y, ok := b.(*Namespace)
		return ok && x == y
	case *Macro:
		y, ok := b.(*Macro)
		return ok && x == y
	case undefined:
		return isUndefined(b)
	}
	return equalNumbers(a, b)
}

func equalNumbers(a, b any) bool {
	ai, aok := asInt(a)
	bi, bok := asInt(b)
	if aok && bok {
		return ai == bi
	}
	af, aok := asFloat(a)
	bf, bok := asFloat(b)
	return aok && bok && af == bf
}

func equalLists(x, y []any, bud *budget) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !equal(x[i], y[i], bud) {
			return false
		}
	}
	return true
}

func equalDicts(x, y *Dict, bud *budget) bool {
	if x.Len() != y.Len() {
		return false
	}
	for _, k := range x.keys {
		v, ok := y.Get(k)
		if !ok || !equal(x.vals[k], v, bud) {
			return false
		}
	}
	return true
}

// compare applies a comparison operator with Python semantics.
func compare(op string, a, b any, bud *budget) (bool, error) {
	switch op {
	case "==":
		return equal(a, b, bud), nil
	case "!=":
		return !equal(a, b, bud), nil
	case "in":
		return contains(b, a, bud)
	case "not in":
		in, err := contains(b, a, bud)
		return !in, err
	}
	return order(op, a, b, bud)
}

// order applies <, <=, > or >=.
func order(op string, a, b any, bud *budget) (bool, error) {
	ai, aok := asInt(a)
	bi, bok := asInt(b)
	if aok && bok {
		return ordered(op, cmp.Compare(ai, bi)), nil
	}
	af, aok := asFloat(a)
	bf, bok := asFloat(b)
	if aok && bok {
		return orderFloats(op, af, bf), nil
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return ordered(op, strings.Compare(x, y)), nil
		}
	case []any:
		if y, ok := b.([]any); ok {
			return orderLists(op, x, y, bud)
		}
	}
	return false, fmt.Errorf("'%s' not supported between instances of '%s' and '%s'",
		op, typeName(a), typeName(b))
}

func ordered(op string, c int) bool {
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

// orderFloats compares directly so that NaN compares false, as in Python.
func orderFloats(op string, a, b float64) bool {
	switch op {
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	}
	return a >= b
}

// orderLists compares the first differing elements, else the lengths.
func orderLists(op string, x, y []any, bud *budget) (bool, error) {
	for i := 0; i < len(x) && i < len(y); i++ {
		if !equal(x[i], y[i], bud) {
			return order(op, x[i], y[i], bud)
		}
	}
	return ordered(op, cmp.Compare(len(x), len(y))), nil
}

// contains is Python's "item in container".
func contains(container, item any, bud *budget) (bool, error) {
	switch c := container.(type) {
	case string:
		s, ok := item.(string)
		if !ok {
			return false, fmt.Errorf("'in <string>' requires string as left operand, not %s",
				typeName(item))
		}
		return strings.Contains(c, s), nil
	case []any:
		for _, v := range c {
			if equal(item, v, bud) {
				return true, nil
			}
		}
		return false, nil
	case *Dict:
		switch item.(type) {
		case []any, *Dict:
			return false, fmt.Errorf("unhashable type: '%s'", typeName(item))
		}
		s, ok := item.(string)
		_, found := c.Get(s)
		return ok && found, nil
	}
	return false, fmt.Errorf("argument of type '%s' is not iterable", typeName(container))
}
