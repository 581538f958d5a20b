package contracts

import (
	"fmt"
	"strings"
)

// Reference renders the contract and project formats as Markdown, from the
// same field tables the parser checks against. The README embeds it, and a
// test keeps the two identical.
func Reference() string {
	var b strings.Builder
	b.WriteString("### Contract fields\n\n")
	writeFields(&b, contractSpec, "")
	b.WriteString("\n### Feeds and the roles they need\n\n")
	writeFeeds(&b)
	b.WriteString("\n### Column roles\n\n")
	writeRoles(&b)
	b.WriteString("\n### invgen.yml fields\n\n")
	writeFields(&b, projectSpec, "")
	return b.String()
}

func writeFields(b *strings.Builder, s *spec, prefix string) {
	if prefix == "" {
		b.WriteString("| field | type | required | meaning |\n|---|---|---|---|\n")
	}
	for _, f := range s.fields {
		path := prefix + f.name
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", path, typeText(f.spec),
			yesNo(f.required), fieldDoc(f.spec))
		switch {
		case f.spec.kind == kindObject:
			writeFields(b, f.spec, path+".")
		case f.spec.kind == kindMap && f.spec.items.kind == kindObject:
			writeFields(b, f.spec.items, path+".<name>.")
		case f.spec.kind == kindList && f.spec.items.kind == kindObject:
			writeFields(b, f.spec.items, path+"[].")
		}
	}
}

func typeText(s *spec) string {
	switch s.kind {
	case kindList:
		return "list of " + strings.TrimPrefix(strings.TrimPrefix(typeText(s.items), "a "),
			"an ")
	case kindMap:
		return "mapping"
	case kindObject:
		return "mapping"
	}
	return s.kind.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

func fieldDoc(s *spec) string {
	doc := s.doc
	if s.kind == kindList && len(s.items.enum) > 0 {
		doc += " Each one of: `" + strings.Join(s.items.enum, "`, `") + "`."
	}
	if len(s.enum) > 0 {
		doc += " One of: `" + strings.Join(s.enum, "`, `") + "`."
	}
	if s.def != "" {
		doc += " Default: " + s.def + "."
	}
	if s.example != "" {
		doc += " Example: `" + s.example + "`."
	}
	return strings.TrimSpace(strings.ReplaceAll(doc, "|", "\\|"))
}

func writeFeeds(b *strings.Builder) {
	b.WriteString("| feed | one row is | required roles | optional roles |\n|---|---|---|---|\n")
	for _, r := range feedRules {
		req := make([]string, len(r.required))
		for i, g := range r.required {
			req[i] = "`" + orList(g) + "`"
		}
		opt := make([]string, len(r.optional))
		for i, o := range r.optional {
			opt[i] = "`" + string(o) + "`"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", r.feed, r.doc, strings.Join(req, ", "),
			strings.Join(opt, ", "))
	}
}

func writeRoles(b *strings.Builder) {
	b.WriteString("| role | column type | meaning | values map to |\n|---|---|---|---|\n")
	for _, r := range roleRules {
		values := ""
		switch {
		case len(r.canonical) > 0:
			values = "`" + strings.Join(r.canonical, "`, `") + "`"
		case r.codes:
			values = "any class name"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", r.role, r.family, r.doc, values)
	}
}
