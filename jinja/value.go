package jinja

import (
	"fmt"
	"slices"
	"sort"
)

// Func is how the caller provides built-ins such as dbt's ref, source,
// var and config. An error it returns is reported at the call site.
type Func func(args []any, kwargs *Dict) (any, error)

// Dict is a template dictionary. Like a Python dict it keeps its keys in
// insertion order, which keeps rendered output deterministic. The zero
// value is an empty dictionary ready to use.
type Dict struct {
	keys []string
	vals map[string]any
}

// NewDict returns an empty dictionary.
func NewDict() *Dict { return &Dict{} }

// Get returns the value stored under key and whether there is one.
func (d *Dict) Get(key string) (any, bool) {
	if d == nil {
		return nil, false
	}
	v, ok := d.vals[key]
	return v, ok
}

// Set stores v under key; a new key goes last, an existing one keeps its
// place, as in Python.
func (d *Dict) Set(key string, v any) {
	if d.vals == nil {
		d.vals = map[string]any{}
	}
	if _, ok := d.vals[key]; !ok {
		d.keys = append(d.keys, key)
	}
	d.vals[key] = normalize(v)
}

// Keys returns the keys in insertion order.
func (d *Dict) Keys() []string {
	if d == nil {
		return nil
	}
	return slices.Clone(d.keys)
}

// Len returns the number of keys.
func (d *Dict) Len() int {
	if d == nil {
		return 0
	}
	return len(d.keys)
}

// Namespace is a named object with attributes, such as dbt's adapter,
// target or a relation returned by ref. Text is what the object renders
// as in {{ }} or with "~"; a namespace without Text cannot be rendered.
type Namespace struct {
	Name  string
	Attrs map[string]any
	Text  string
}

// Macro is a {% macro %} definition. Templates call it like a function;
// the call renders its body and returns the text, or the value passed to
// return().
type Macro struct {
	name     string
	file     string
	at       pos
	params   []string
	defaults []expr // one per parameter, nil where there is none
	body     []node
	undef    []string // names the body owns; see analyzeFrame
	closure  *scope   // the defining scope of a macro local to a template
}

// Name returns the macro's name.
func (m *Macro) Name() string { return m.name }

// method is a string or dict method bound to its receiver.
type method struct {
	recv any
	name string
}

// returnFunc is dbt's return(), available everywhere.
type returnFunc struct{}

// undefined is the value of "a if c" when c is false and there is no
// else. As in Jinja2 it renders as nothing, is false, iterates as empty
// and is not defined; anything else done with it is an error.
type undefined struct{}

func isUndefined(v any) bool {
	_, ok := v.(undefined)
	return ok
}

// typeName names a value's type the way Python error messages do.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case string:
		return "str"
	case int64:
		return "int"
	case float64:
		return "float"
	case bool:
		return "bool"
	case []any:
		return "list"
	case *Dict:
		return "dict"
	case *Namespace:
		return "namespace"
	case *Macro:
		return "macro"
	case Func, *method, returnFunc:
		return "function"
	case undefined:
		return "Undefined"
	}
	return fmt.Sprintf("Go %T", v)
}

// truth is Python's truthiness.
func truth(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case *Dict:
		return x.Len() > 0
	case undefined:
		return false
	}
	return true
}

// iterate returns the items a Python for loop would visit.
func iterate(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case *Dict:
		items := make([]any, len(x.keys))
		for i, k := range x.keys {
			items[i] = k
		}
		return items, nil
	case string:
		var items []any
		for _, r := range x {
			items = append(items, string(r))
		}
		return items, nil
	case undefined:
		return nil, nil
	}
	return nil, fmt.Errorf("'%s' object is not iterable", typeName(v))
}

// canonical reports whether v is already a template value.
func canonical(v any) bool {
	switch x := v.(type) {
	case nil, string, int64, float64, bool, *method, returnFunc, undefined:
		return true
	case []any:
		return !slices.ContainsFunc(x, func(e any) bool { return !canonical(e) })
	case *Dict:
		return x != nil
	case *Namespace:
		return x != nil
	case *Macro:
		return x != nil
	case Func:
		return x != nil
	}
	return false
}

// normalize converts the Go values a caller is likely to pass into the
// template value types: sized ints, float32, string slices and maps.
// Other Go values pass through and fail loudly where they are used.
func normalize(v any) any {
	if canonical(v) {
		return v
	}
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint32:
		return int64(x)
	case uint16:
		return int64(x)
	case uint8:
		return int64(x)
	case float32:
		return float64(x)
	}
	return normalizeRef(v)
}

func normalizeRef(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	case map[string]any:
		return dictOf(x)
	case map[string]string:
		return dictOf(x)
	case func([]any, *Dict) (any, error):
		if x != nil {
			return Func(x)
		}
	}
	if canonicalNil(v) {
		return nil
	}
	return v
}

// canonicalNil reports whether v is a nil pointer or function of a
// template value type, which templates see as none.
func canonicalNil(v any) bool {
	switch x := v.(type) {
	case *Dict:
		return x == nil
	case *Namespace:
		return x == nil
	case *Macro:
		return x == nil
	case Func:
		return x == nil
	case func([]any, *Dict) (any, error):
		return x == nil
	}
	return false
}

// dictOf turns a Go map into a Dict with sorted keys, since Go maps have
// no order.
func dictOf[V any](m map[string]V) *Dict {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	d := NewDict()
	for _, k := range keys {
		d.Set(k, m[k])
	}
	return d
}
