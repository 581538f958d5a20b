package jinja

import (
	"fmt"
	"slices"
)

// param describes one parameter of a filter or method.
type param struct {
	name string
	def  any
	req  bool
}

// bind matches positional and keyword arguments to params as Python
// does, filling in defaults.
func bind(fn string, args []any, kw *Dict, ps ...param) ([]any, error) {
	if len(args) > len(ps) {
		return nil, fmt.Errorf("%s() takes at most %d argument(s) (%d given)",
			fn, len(ps), len(args))
	}
	out := make([]any, len(ps))
	set := make([]bool, len(ps))
	copy(out, args)
	for i := range args {
		set[i] = true
	}
	for _, k := range kw.Keys() {
		i := slices.IndexFunc(ps, func(p param) bool { return p.name == k })
		if i < 0 {
			return nil, fmt.Errorf("%s() got an unexpected keyword argument %q", fn, k)
		}
		if set[i] {
			return nil, fmt.Errorf("%s() got multiple values for argument %q", fn, k)
		}
		out[i], set[i] = kw.vals[k], true
	}
	for i, p := range ps {
		if !set[i] && p.req {
			return nil, fmt.Errorf("%s() missing required argument %q", fn, p.name)
		}
		if !set[i] {
			out[i] = p.def
		}
	}
	return out, nil
}

// positional is bind for Python built-in methods, which take no keywords.
func positional(fn string, args []any, kw *Dict, ps ...param) ([]any, error) {
	if kw.Len() > 0 {
		return nil, fmt.Errorf("%s() takes no keyword arguments", fn)
	}
	return bind(fn, args, kw, ps...)
}

func wantStr(fn string, v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", fmt.Errorf("%s() argument must be str, not %s", fn, typeName(v))
}

func wantInt(fn string, v any) (int64, error) {
	if i, ok := asInt(v); ok {
		return i, nil
	}
	return 0, fmt.Errorf("%s() argument must be int, not %s", fn, typeName(v))
}
