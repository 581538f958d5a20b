package odcs

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/invgen/invgen/contracts"
)

// get returns the value of key k in mapping n, or nil.
func get(n *yaml.Node, k string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == k {
			return n.Content[i+1]
		}
	}
	return nil
}

// scalar returns a scalar node's trimmed value, or "" for anything else.
func scalar(v *yaml.Node) string {
	if v == nil || v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		return ""
	}
	return strings.TrimSpace(v.Value)
}

// text returns the scalar value of key k in n, or "".
func text(n *yaml.Node, k string) string { return scalar(get(n, k)) }

// first returns the first of keys that n sets, and its value node.
func first(n *yaml.Node, keys ...string) (string, *yaml.Node) {
	for _, k := range keys {
		if v := text(n, k); v != "" {
			return v, get(n, k)
		}
	}
	return "", nil
}

// isTrue reads an ODCS boolean, however YAML spells it.
func isTrue(n *yaml.Node, k string) bool { return strings.EqualFold(text(n, k), "true") }

// items returns the entries of the list at key k in n.
func items(n *yaml.Node, k string) []*yaml.Node {
	v := get(n, k)
	if v == nil || v.Kind != yaml.SequenceNode {
		return nil
	}
	return v.Content
}

// custom is one scope's customProperties: property name to value node.
type custom map[string]*yaml.Node

// customOf reads the customProperties list of an element.
func customOf(n *yaml.Node) custom {
	out := custom{}
	for _, it := range items(n, "customProperties") {
		if name := text(it, "property"); name != "" && get(it, "value") != nil {
			out[name] = get(it, "value")
		}
	}
	return out
}

// Where each invgen custom property may be given: on a property, or on a
// schema object or the whole contract. One given elsewhere would be
// ignored, and an ignored answer is a guess by another name.
var (
	propertyScope = []string{"invgen.role", "invgen.values"}
	objectScope   = []string{"invgen.source", "invgen.system", "invgen.feed", "invgen.owner",
		"invgen.database", "invgen.schema", "invgen.quantity_field", "invgen.quantity_uom",
		"invgen.movement_grain", "invgen.timezone", "invgen.event_time_basis",
		"invgen.idempotency_key", "invgen.adjustment_sign", "invgen.control_totals",
		"invgen.min_ratio", "invgen.notify"}
)

// checkCustom reports invgen custom properties that invgen does not read in
// this scope: misspelt, or on the wrong kind of element.
func checkCustom(r *reporter, n *yaml.Node, onProperty bool) {
	here, there, elsewhere := objectScope, propertyScope, "a property"
	if onProperty {
		here, there, elsewhere = propertyScope, objectScope, "the schema object or the contract"
	}
	for _, it := range items(n, "customProperties") {
		name := text(it, "property")
		switch {
		case !strings.HasPrefix(name, "invgen.") || slices.Contains(here, name):
		case slices.Contains(there, name):
			r.add(get(it, "property"), "customProperties property %q belongs on %s", name,
				elsewhere)
		default:
			msg := fmt.Sprintf("customProperties property %q is not one invgen reads", name)
			if best := closest(name, append(here, there...)); best != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", best)
			}
			r.add(get(it, "property"), "%s", msg)
		}
	}
}

// closest returns the candidate that s is a plausible typo of, or "", by
// the rule contract messages use; candidates are sorted, so a tie always
// goes the same way.
func closest(s string, candidates []string) string {
	return contracts.Suggest(s, slices.Sorted(slices.Values(candidates)))
}

// scopes looks a custom property up in the nearest scope that sets it.
type scopes []custom

func (s scopes) node(name string) *yaml.Node {
	for _, c := range s {
		if v, ok := c[name]; ok {
			return v
		}
	}
	return nil
}

func (s scopes) text(name string) string { return scalar(s.node(name)) }

// list reads a property given as a YAML list or a comma-separated string.
func (s scopes) list(name string) []string {
	v := s.node(name)
	if v == nil {
		return nil
	}
	var raw []string
	if v.Kind == yaml.SequenceNode {
		for _, it := range v.Content {
			raw = append(raw, it.Value)
		}
	} else {
		raw = strings.Split(v.Value, ",")
	}
	var out []string
	for _, r := range raw {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// at is a node's position in file.
func at(file string, n *yaml.Node) contracts.Pos {
	return contracts.Pos{File: file, Line: n.Line, Col: n.Column}
}

// reporter collects the problems of one file, all of them in one pass.
type reporter struct {
	file  string
	diags contracts.Diagnostics
}

func (r *reporter) add(n *yaml.Node, format string, args ...any) {
	r.diags = append(r.diags, contracts.Diagnostic{Pos: at(r.file, n),
		Msg: fmt.Sprintf(format, args...)})
}

// missing reports an absent answer and where to give it.
func (r *reporter) missing(n *yaml.Node, what, property, where string) {
	r.add(n, "missing: %s, set customProperties property %q on %s", what, property, where)
}
