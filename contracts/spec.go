package contracts

import (
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"
)

// kind is the YAML shape of a value in the contract or project format.
type kind int

const (
	kindString kind = iota
	kindInt
	kindNumber
	kindBool
	kindObject
	kindList
	kindMap
)

func (k kind) String() string {
	return [...]string{
		"a string", "an integer", "a number", "true or false", "a mapping",
		"a list", "a mapping",
	}[k]
}

// spec describes one value of a file format. One table of specs drives
// decoding checks, unknown-key suggestions, the JSON Schema and the README
// reference, so the four always agree.
type spec struct {
	kind    kind
	doc     string
	enum    []string
	fields  []field // kindObject
	items   *spec   // kindList items and kindMap values
	min     *float64
	max     *float64
	below   bool   // max itself is out of range
	pattern string // a JSON Schema pattern, for editors; checked in validate
	maxLen  int    // kindString: the most characters, for editors; checked in validate
	def     string // the default, as documentation
	example string

	// The JSON Schema carries what it can of the checks validate makes;
	// validate makes them from the same tables and patterns.
	schemaNot   map[string]any          // values refused though they fit the rest
	keyPattern  string                  // kindMap: the pattern every key matches
	keyCheck    func(key string) string // kindMap: why a key is refused, or ""
	schemaRules func() []any            // kindObject: Draft-7 if/then rules between fields
}

// field is one key of an object.
type field struct {
	name     string
	required bool
	spec     *spec
}

func str(doc string) *spec     { return &spec{kind: kindString, doc: doc} }
func integer(doc string) *spec { return &spec{kind: kindInt, doc: doc} }
func number(doc string) *spec  { return &spec{kind: kindNumber, doc: doc} }
func boolean(doc string) *spec { return &spec{kind: kindBool, doc: doc} }
func object(doc string, fs ...field) *spec {
	return &spec{kind: kindObject, doc: doc, fields: fs}
}
func list(doc string, items *spec) *spec { return &spec{kind: kindList, doc: doc, items: items} }
func mapOf(doc string, values *spec) *spec {
	return &spec{kind: kindMap, doc: doc, items: values}
}

func req(name string, s *spec) field { return field{name: name, required: true, spec: s} }
func opt(name string, s *spec) field { return field{name: name, spec: s} }

func (s *spec) oneOf(values ...string) *spec { s.enum = values; return s }
func (s *spec) defaults(d string) *spec      { s.def = d; return s }
func (s *spec) eg(e string) *spec            { s.example = e; return s }
func (s *spec) matching(p string) *spec      { s.pattern = p; return s }
func (s *spec) atMost(n int) *spec           { s.maxLen = n; return s }
func (s *spec) between(lo, hi float64) *spec { s.min, s.max = &lo, &hi; return s }
func (s *spec) atLeast(lo float64) *spec     { s.min = &lo; return s }
func (s *spec) under(lo, hi float64) *spec {
	s.min, s.max, s.below = &lo, &hi, true
	return s
}
func (s *spec) refusing(not map[string]any) *spec {
	s.schemaNot = not
	return s
}
func (s *spec) keysMatching(p string) *spec { s.keyPattern = p; return s }
func (s *spec) keysChecked(check func(string) string) *spec {
	s.keyCheck = check
	return s
}
func (s *spec) ruled(rules func() []any) *spec {
	s.schemaRules = rules
	return s
}

// shape walks a YAML tree against a spec. It reports unknown keys with a
// suggestion, duplicate keys, values of the wrong shape, missing required
// keys and enum violations, and it records where every value sits so that
// later semantic checks can point at it.
type shape struct {
	file string
	rep  *reporter
	pos  map[string]Pos

	// aliased holds the anchored values already walked through an alias, so
	// that a file of aliases to aliases cannot multiply work and messages.
	aliased map[aliasUse]bool

	// via is the alias whose value is being walked, or nil. What is wrong
	// in that value is wrong where the alias uses it: the anchor may sit
	// where the value is right.
	via *yaml.Node
}

type aliasUse struct {
	target *yaml.Node
	spec   *spec
}

// at is where a message about n points: n itself, or, inside a value
// reached through an alias, the alias.
func (w *shape) at(n *yaml.Node) Pos {
	if w.via != nil {
		n = w.via
	}
	return Pos{File: w.file, Line: n.Line, Col: n.Column}
}

func (w *shape) walk(n *yaml.Node, s *spec, path string) {
	if n.Kind == yaml.AliasNode && w.via == nil {
		w.via = n
		defer func() { w.via = nil }()
	}
	if n.Kind == yaml.AliasNode {
		use := aliasUse{resolveAlias(n), s}
		if w.aliased[use] {
			w.pos[path] = w.at(n)
			return // walked once already; again would only repeat its messages
		}
		if w.aliased == nil {
			w.aliased = map[aliasUse]bool{}
		}
		w.aliased[use] = true
	}
	n = resolveAlias(n)
	w.pos[path] = w.at(n)

	if isNull(n) {
		w.rep.add(w.at(n), "%s: missing value, expected %s", orRoot(path), s.kind)
		return
	}

	switch s.kind {
	case kindObject:
		w.object(n, s, path)
	case kindMap:
		w.mapping(n, s, path)
	case kindList:
		w.list(n, s, path)
	default:
		w.scalar(n, s, path)
	}
}

func (w *shape) object(n *yaml.Node, s *spec, path string) {
	if n.Kind != yaml.MappingNode {
		w.rep.add(w.at(n), "%s: expected %s, found %s", orRoot(path), s.kind, describe(n))
		return
	}

	seen := w.keys(n, path)
	for i := 0; i < len(n.Content); i += 2 {
		raw, val := n.Content[i], n.Content[i+1]
		key := resolveAlias(raw)
		f, ok := s.field(key.Value)
		if !ok {
			w.unknown(raw, key.Value, s, path)
			continue
		}
		w.walk(val, f.spec, join(path, key.Value))
	}

	for _, f := range s.fields {
		if f.required && !seen[f.name] {
			w.rep.add(w.at(n), "%s: missing required key %q", orRoot(path), f.name)
		}
	}
}

// keys checks that every key is a plain scalar and appears once, and
// returns the set of keys present. It drops the pairs it reports: decoding
// then keeps the first of duplicate keys rather than refusing the whole
// mapping, which would echo as a cascade of missing values.
func (w *shape) keys(n *yaml.Node, path string) map[string]bool {
	seen := map[string]bool{}
	first := map[string]*yaml.Node{}
	kept := n.Content[:0]
	for i := 0; i < len(n.Content); i += 2 {
		raw := n.Content[i]
		key := resolveAlias(raw)
		switch prev, dup := first[key.Value]; {
		case key.Kind != yaml.ScalarNode:
			w.rep.add(w.at(raw), "%s: a key must be a plain value", orRoot(path))
		case dup:
			w.rep.add(w.at(raw), "%s: duplicate key %q (first at line %d)",
				orRoot(path), key.Value, prev.Line)
		default:
			first[key.Value] = raw
			seen[key.Value] = true
			kept = append(kept, raw, n.Content[i+1])
		}
	}
	n.Content = kept
	return seen
}

func (w *shape) unknown(at *yaml.Node, key string, s *spec, path string) {
	names := make([]string, len(s.fields))
	for i, f := range s.fields {
		names[i] = f.name
	}
	msg := fmt.Sprintf("%s: unknown key %q", orRoot(path), key)
	if best := suggest(key, names); best != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", best)
	}
	w.rep.add(w.at(at), "%s", msg)
}

func (w *shape) mapping(n *yaml.Node, s *spec, path string) {
	if n.Kind != yaml.MappingNode {
		w.rep.add(w.at(n), "%s: expected %s, found %s", path, s.kind, describe(n))
		return
	}

	w.keys(n, path)
	kept := n.Content[:0]
	for i := 0; i < len(n.Content); i += 2 {
		raw, key := n.Content[i], resolveAlias(n.Content[i])
		if msg := mapKeyProblem(key, s); msg != "" {
			w.rep.add(w.at(raw), "%s: %s", path, msg)
			continue // dropped: decoding would key it as "" or not at all
		}
		kept = append(kept, raw, n.Content[i+1])
		w.walk(n.Content[i+1], s.items, join(path, key.Value))
	}
	n.Content = kept
}

// mapKeyProblem says why a key of a mapping of names is refused, or "".
// YAML reads ~, null and an empty key all as no key, so two of them would
// silently become one.
func mapKeyProblem(key *yaml.Node, s *spec) string {
	switch {
	case isNull(key):
		return fmt.Sprintf("the key %s is null (YAML reads ~, null and nothing as no "+
			"value), not a name or code; quote it if it is one", describeKey(key))
	case key.Value == "":
		return "a key is empty"
	case s.keyCheck != nil:
		if msg := s.keyCheck(key.Value); msg != "" {
			return fmt.Sprintf("key %q: %s", key.Value, msg)
		}
	}
	return ""
}

// describeKey spells a null key as the file does: ~, null, or nothing.
func describeKey(key *yaml.Node) string {
	if key.Value == "" {
		return "(nothing)"
	}
	return key.Value
}

func (w *shape) list(n *yaml.Node, s *spec, path string) {
	if n.Kind != yaml.SequenceNode {
		w.rep.add(w.at(n), "%s: expected %s, found %s", path, s.kind, describe(n))
		return
	}
	if len(n.Content) == 0 {
		w.rep.add(w.at(n), "%s: the list is empty", path)
	}
	for i, item := range n.Content {
		w.walk(item, s.items, path+"["+strconv.Itoa(i)+"]")
	}
}

func (w *shape) scalar(n *yaml.Node, s *spec, path string) {
	if n.Kind != yaml.ScalarNode || !tagFits(n.ShortTag(), s.kind) {
		w.rep.add(w.at(n), "%s: expected %s, found %s", path, s.kind, describe(n))
		if n.Kind == yaml.ScalarNode && s.kind == kindString {
			// Decoding would read 42 as the text "42", and a later check
			// would report the same value again, as text of the wrong kind.
			n.Tag, n.Value = "!!null", ""
		}
		return
	}
	if s.kind == kindString && n.Value == "" {
		w.rep.add(w.at(n), "%s: the value is empty", path)
		return
	}

	if len(s.enum) > 0 && !contains(s.enum, n.Value) {
		msg := fmt.Sprintf("%s: %q is not one of %s", path, n.Value, quoteList(s.enum))
		if best := suggest(n.Value, s.enum); best != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", best)
		}
		w.rep.add(w.at(n), "%s", msg)
		return
	}

	w.bounds(n, s, path)
}

func (w *shape) bounds(n *yaml.Node, s *spec, path string) {
	if s.kind != kindInt && s.kind != kindNumber {
		return
	}
	v, err := strconv.ParseFloat(n.Value, 64)
	if err != nil {
		return // tagFits accepted it, so this is a YAML form like 0x10: leave it
	}
	if s.min != nil && v < *s.min {
		w.rep.add(w.at(n), "%s: %s is below the minimum %s", path, n.Value, fmtNum(*s.min))
	}
	switch {
	case s.max != nil && s.below && v >= *s.max:
		w.rep.add(w.at(n), "%s: %s is not below %s", path, n.Value, fmtNum(*s.max))
	case s.max != nil && v > *s.max:
		w.rep.add(w.at(n), "%s: %s is above the maximum %s", path, n.Value, fmtNum(*s.max))
	}
}

func tagFits(tag string, k kind) bool {
	switch k {
	case kindString:
		return tag == "!!str"
	case kindInt:
		return tag == "!!int"
	case kindNumber:
		return tag == "!!int" || tag == "!!float"
	case kindBool:
		return tag == "!!bool"
	}
	return false
}

func (s *spec) field(name string) (field, bool) {
	for _, f := range s.fields {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names what was found, in a user's words.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!int":
		return "the integer " + n.Value
	case "!!float":
		return "the number " + n.Value
	case "!!bool":
		return n.Value
	case "!!null":
		return "nothing"
	}
	return strconv.Quote(n.Value)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "file"
	}
	return path
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteList(list []string) string {
	out := ""
	for i, s := range list {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
