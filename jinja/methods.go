package jinja

import (
	"errors"
	"fmt"
	"strings"
)

// getattr is Jinja2's attribute lookup: a method, a dict key or a
// namespace attribute. It reports false when there is none.
func getattr(obj any, name string) (any, bool) {
	switch x := obj.(type) {
	case string:
		switch name {
		case "upper", "lower", "strip", "replace", "startswith", "endswith", "split":
			return &method{recv: x, name: name}, true
		}
	case *Dict:
		if isDictMethod(name) {
			return &method{recv: x, name: name}, true
		}
		return x.Get(name)
	case *Namespace:
		v, ok := x.Attrs[name]
		return normalize(v), ok
	}
	return nil, false
}

// isDictMethod reports whether name is a method of Python dicts, which
// Jinja2 prefers over a key of the same name in d.name.
func isDictMethod(name string) bool {
	switch name {
	case "get", "items", "keys", "values", "clear", "copy", "fromkeys",
		"pop", "popitem", "setdefault", "update":
		return true
	}
	return false
}

// getitem is Jinja2's subscript: a list or string index, a dict key, or
// else an attribute. It reports false when there is none.
func getitem(obj, key any) (any, bool) {
	i, isInt := asInt(key)
	switch x := obj.(type) {
	case []any:
		if isInt {
			return index(x, i)
		}
	case string:
		if isInt {
			return index([]rune(x), i)
		}
	case *Dict:
		if s, ok := key.(string); ok {
			if v, ok := x.Get(s); ok {
				return v, true
			}
		}
	}
	if s, ok := key.(string); ok {
		return getattr(obj, s)
	}
	return nil, false
}

func index[T any](items []T, i int64) (any, bool) {
	if i < 0 {
		i += int64(len(items))
	}
	if i < 0 || i >= int64(len(items)) {
		return nil, false
	}
	if r, ok := any(items[i]).(rune); ok {
		return string(r), true
	}
	return items[i], true
}

func missingAttr(obj any, name string) string {
	switch x := obj.(type) {
	case *Namespace:
		return fmt.Sprintf("%s has no attribute %q", x.Name, name)
	case *Dict:
		return fmt.Sprintf("dict has no key or attribute %q", name)
	}
	return fmt.Sprintf("%s has no attribute %q", typeName(obj), name)
}

func missingItem(obj, key any) string {
	_, isInt := asInt(key)
	switch obj.(type) {
	case []any, string:
		if isInt {
			return fmt.Sprintf("%s index %s out of range", typeName(obj), repr(key))
		}
	case *Dict:
		return fmt.Sprintf("dict has no key %s", repr(key))
	}
	return fmt.Sprintf("%s has no item %s", typeName(obj), repr(key))
}

// repr is Python's repr, for error messages.
func repr(v any) string {
	var p printer
	p.value(v, true)
	if p.err != nil {
		return "<" + typeName(v) + ">"
	}
	return p.b.String()
}

func (m *method) call(args []any, kw *Dict) (any, error) {
	switch recv := m.recv.(type) {
	case string:
		return strMethod(recv, m.name, args, kw)
	case *Dict:
		return dictMethod(recv, m.name, args, kw)
	}
	return nil, fmt.Errorf("unsupported method %q", m.name)
}

func strMethod(s, name string, args []any, kw *Dict) (any, error) {
	switch name {
	case "startswith", "endswith":
		return affix(s, name, args, kw)
	case "split":
		return split(s, args, kw)
	case "replace":
		return strReplace(s, args, kw)
	case "strip":
		a, err := positional(name, args, kw, param{name: "chars"})
		if err != nil {
			return nil, err
		}
		return strip(name, s, a[0])
	}
	if _, err := positional(name, args, kw); err != nil {
		return nil, err
	}
	if name == "upper" {
		return strings.ToUpper(s), nil
	}
	return strings.ToLower(s), nil
}

func strReplace(s string, args []any, kw *Dict) (any, error) {
	a, err := positional("replace", args, kw, param{name: "old", req: true},
		param{name: "new", req: true}, param{name: "count", def: int64(-1)})
	if err != nil {
		return nil, err
	}
	old, err := wantStr("replace", a[0])
	if err != nil {
		return nil, err
	}
	new, err := wantStr("replace", a[1])
	if err != nil {
		return nil, err
	}
	n, err := wantInt("replace", a[2])
	if err != nil {
		return nil, err
	}
	return replace(s, old, new, n)
}

func affix(s, name string, args []any, kw *Dict) (any, error) {
	a, err := positional(name, args, kw, param{name: "prefix", req: true})
	if err != nil {
		return nil, err
	}
	has := strings.HasPrefix
	if name == "endswith" {
		has = strings.HasSuffix
	}
	choices, isList := a[0].([]any)
	if !isList {
		choices = []any{a[0]}
	}
	for _, c := range choices {
		x, ok := c.(string)
		if !ok {
			return nil, fmt.Errorf("%s() argument must be str or a tuple of str, not %s",
				name, typeName(c))
		}
		if has(s, x) {
			return true, nil
		}
	}
	return false, nil
}

func split(s string, args []any, kw *Dict) (any, error) {
	a, err := bind("split", args, kw, param{name: "sep"})
	if err != nil {
		return nil, err
	}
	var parts []string
	if a[0] == nil {
		parts = strings.FieldsFunc(s, isSpace)
	} else {
		sep, err := wantStr("split", a[0])
		if err != nil {
			return nil, err
		}
		if sep == "" {
			return nil, errors.New("empty separator")
		}
		parts = strings.Split(s, sep)
	}
	return normalize(parts), nil
}

func dictMethod(d *Dict, name string, args []any, kw *Dict) (any, error) {
	switch name {
	case "get":
		return dictGet(d, args, kw)
	case "items", "keys", "values":
	default:
		return nil, fmt.Errorf("dict method %q is not supported", name)
	}
	if _, err := positional(name, args, kw); err != nil {
		return nil, err
	}
	out := make([]any, len(d.keys))
	for i, k := range d.keys {
		switch name {
		case "items":
			out[i] = []any{k, d.vals[k]}
		case "keys":
			out[i] = k
		default:
			out[i] = d.vals[k]
		}
	}
	return out, nil
}

func dictGet(d *Dict, args []any, kw *Dict) (any, error) {
	a, err := positional("get", args, kw, param{name: "key", req: true}, param{name: "default"})
	if err != nil {
		return nil, err
	}
	if k, ok := a[0].(string); ok {
		if v, ok := d.Get(k); ok {
			return v, nil
		}
	}
	return a[1], nil
}
