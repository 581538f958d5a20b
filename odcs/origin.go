package odcs

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/invgen/invgen/contracts"
)

// lineCol is a position in a rendered contract.
type lineCol struct{ line, col int }

// locations maps each value of a rendered contract to the place in the
// ODCS file it came from; anything else falls back to the schema object.
type locations struct {
	byPos  map[lineCol]contracts.Pos
	object contracts.Pos
}

func (l locations) of(p contracts.Pos) contracts.Pos {
	if got, ok := l.byPos[lineCol{p.Line, p.Col}]; ok {
		return got
	}
	return l.object
}

// locate records where each value of the rendered contract came from. The
// contract's paths are the contracts package's own (columns[2].role), and
// o.origin holds the ODCS node behind each path the converter filled in;
// a path without one takes its nearest parent's.
func (o *objectConv) locate(data []byte) locations {
	l := locations{byPos: map[lineCol]contracts.Pos{}, object: at(o.d.file, o.node)}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil ||
		len(doc.Content) == 0 {
		return l // rendered by us from plain values: cannot happen
	}
	paths := map[lineCol]string{}
	walk(doc.Content[0], "", paths)
	for pos, p := range paths {
		l.byPos[pos] = at(o.d.file, o.originOf(p))
	}
	return l
}

// walk records the path of every value under n; where a parent and its
// first child share a position, the parent keeps it.
func walk(n *yaml.Node, path string, out map[lineCol]string) {
	pos := lineCol{n.Line, n.Column}
	if _, ok := out[pos]; !ok {
		out[pos] = path
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if path != "" {
				k = path + "." + k
			}
			walk(n.Content[i+1], k, out)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			walk(item, fmt.Sprintf("%s[%d]", path, i), out)
		}
	}
}

// originOf returns the ODCS node behind a contract path, or behind its
// nearest parent that has one.
func (o *objectConv) originOf(path string) *yaml.Node {
	for {
		if n, ok := o.origin[path]; ok {
			return n
		}
		if path == "" {
			return o.node
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			i = 0
		}
		path = path[:i]
	}
}

// validate checks the rendered contract as invgen will read it, and
// reports what it refuses at the ODCS node the value came from. A problem
// the converter has already reported in ODCS's terms, with the custom
// property to set, is not repeated in invgen's.
func (o *objectConv) validate(source string, data []byte, l locations) {
	_, err := contracts.ParseContract(source+".yml", data)
	if err == nil {
		return
	}
	var ds contracts.Diagnostics
	if !errors.As(err, &ds) {
		o.d.r.add(o.node, "%s: %v", where(o.name), err)
		return
	}
	for _, d := range ds {
		path, _, _ := strings.Cut(d.Msg, ": ")
		if o.covered[path] {
			continue
		}
		o.d.r.diags = append(o.d.r.diags, contracts.Diagnostic{Pos: l.of(d.Pos),
			Msg: fmt.Sprintf("%s, imported as %s.yml: %s", where(o.name), source, d.Msg)})
	}
}
