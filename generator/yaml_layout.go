package generator

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlWidth is the longest line a generated YAML file should have, and
// proseWidth where a long description's lines end, as in a comment.
const (
	yamlWidth  = 100
	proseWidth = 80
)

// keyLine is a YAML line holding one key and its value, possibly as the
// first key of a list item.
var keyLine = regexp.MustCompile(`^( *)(- )?([A-Za-z_][\w.-]*): (.+)$`)

// foldYAML lays out the lines of a generated YAML file that are too long
// the way a person would: a long text as a folded block scalar, a long
// flow list as a block list and a long flow mapping as a block mapping.
// The values stay the same; a line it cannot shorten is kept as it is.
func foldYAML(doc []byte) []byte {
	lines := strings.SplitAfter(string(doc), "\n")
	var out strings.Builder
	for _, line := range lines {
		text := strings.TrimSuffix(line, "\n")
		if len(text) <= yamlWidth {
			out.WriteString(line)
			continue
		}
		folded, ok := foldLine(text)
		if !ok {
			out.WriteString(line)
			continue
		}
		out.WriteString(strings.Join(folded, "\n") + strings.TrimPrefix(line, text))
	}
	return []byte(out.String())
}

// foldLine rewrites one key's line as several, if its value allows.
func foldLine(text string) ([]string, bool) {
	m := keyLine.FindStringSubmatch(text)
	if m == nil {
		return nil, false
	}
	var node yaml.Node
	if err := yaml.Unmarshal([]byte(m[4]), &node); err != nil || len(node.Content) != 1 {
		return nil, false
	}
	head := m[1] + m[2] + m[3] + ":"
	inner := strings.Repeat(" ", len(m[1])+len(m[2])+2)
	value := node.Content[0]
	var body []string
	var ok bool
	switch value.Kind {
	case yaml.ScalarNode:
		head += " >-"
		body, ok = foldedText(value, proseWidth-len(inner))
	case yaml.SequenceNode:
		body, ok = blockItems(value.Content, "- ")
	case yaml.MappingNode:
		body, ok = blockPairs(value.Content)
	}
	if !ok {
		return nil, false
	}
	for i, l := range body {
		body[i] = inner + l
	}
	return append([]string{head}, body...), true
}

// foldedText is a string's lines in a folded block scalar, which joins
// them with single spaces again: only for text without runs of spaces.
func foldedText(n *yaml.Node, width int) ([]string, bool) {
	if n.Tag != "!!str" || strings.Join(strings.Fields(n.Value), " ") != n.Value {
		return nil, false
	}
	return wrap(n.Value, width), true
}

// blockItems renders flow items as block items, each scalar as it was
// written.
func blockItems(items []*yaml.Node, prefix string) ([]string, bool) {
	var out []string
	for _, item := range items {
		s, ok := scalarText(item)
		if !ok {
			return nil, false
		}
		out = append(out, prefix+s)
	}
	return out, true
}

// blockPairs renders a flow mapping's pairs as block lines.
func blockPairs(content []*yaml.Node) ([]string, bool) {
	var out []string
	for i := 0; i+1 < len(content); i += 2 {
		key, okKey := scalarText(content[i])
		value, okValue := scalarText(content[i+1])
		if !okKey || !okValue {
			return nil, false
		}
		out = append(out, key+": "+value)
	}
	return out, true
}

// scalarText renders a scalar node in its own style: a plain value in a
// flow collection is plain in a block one too, and a quoted one stays
// quoted.
func scalarText(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	out, err := yaml.Marshal(n)
	if err != nil {
		return "", false
	}
	text := strings.TrimSuffix(string(out), "\n")
	return text, !strings.Contains(text, "\n")
}
