// Package templates holds the pongo2 templates of every file invgen
// generates, embedded in the binary so that a build needs nothing on disk
// but the contracts.
//
// The templates emit SQL and YAML, not HTML, so autoescaping is switched off
// for each template on its own rather than through pongo2's process-wide
// switch. A line that holds nothing but block tags produces no output, so a
// template can be laid out readably and still produce tidy files; that is
// done here, once, at load time, because pongo2's own TrimBlocks option
// rewrites the parsed template on every execution and strips one more
// newline each time.
package templates

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/flosch/pongo2/v6"
)

//go:embed files
var files embed.FS

// Set is every template, parsed once.
type Set struct {
	byName map[string]*pongo2.Template
}

// Load parses every embedded template. It fails only if a template is
// malformed, which the package's tests rule out.
func Load() (*Set, error) {
	set := pongo2.NewSet("invgen", pongo2.NewFSLoader(files))

	names, err := fs.Glob(files, "files/*.tpl")
	if err != nil {
		return nil, err
	}
	s := &Set{byName: map[string]*pongo2.Template{}}
	for _, path := range names {
		src, err := files.ReadFile(path)
		if err != nil {
			return nil, err
		}
		body := trimBlockLines(string(src))
		tpl, err := set.FromString("{% autoescape off %}" + body + "{% endautoescape %}")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", path, err)
		}
		s.byName[strings.TrimSuffix(strings.TrimPrefix(path, "files/"), ".tpl")] = tpl
	}
	return s, nil
}

// Render executes the named template (its file name without .tpl) with data
// bound to the name "m".
func (s *Set) Render(name string, data any) ([]byte, error) {
	tpl, ok := s.byName[name]
	if !ok {
		return nil, fmt.Errorf("no template %q", name)
	}
	out, err := tpl.ExecuteBytes(pongo2.Context{"m": data})
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return out, nil
}

// Names lists the templates, sorted.
func (s *Set) Names() []string {
	names := make([]string, 0, len(s.byName))
	for n := range s.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Source returns a template's text, for tests that inspect what it uses.
func Source(name string) (string, error) {
	b, err := files.ReadFile("files/" + name + ".tpl")
	return string(b), err
}

// trimBlockLines strips the indentation and newline around every line that
// holds only block tags, outside verbatim sections, whose text is output
// exactly as written.
func trimBlockLines(src string) string {
	var out strings.Builder
	verbatim := false
	for _, line := range strings.SplitAfter(src, "\n") {
		closing := verbatim && strings.Contains(line, "{% endverbatim %}")
		if isBlockLine(line) && (!verbatim || closing) {
			out.WriteString(strings.TrimSpace(line))
		} else {
			out.WriteString(line)
		}
		verbatim = verbatimAfter(line, verbatim)
	}
	return out.String()
}

func isBlockLine(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "{%") && strings.HasSuffix(t, "%}") &&
		!strings.Contains(t, "{{")
}

// verbatimAfter tracks whether the text after line is inside a verbatim
// section.
func verbatimAfter(line string, verbatim bool) bool {
	for {
		open := strings.Index(line, "{% verbatim %}")
		shut := strings.Index(line, "{% endverbatim %}")
		switch {
		case !verbatim && open >= 0:
			verbatim, line = true, line[open+len("{% verbatim %}"):]
		case verbatim && shut >= 0:
			verbatim, line = false, line[shut+len("{% endverbatim %}"):]
		default:
			return verbatim
		}
	}
}
