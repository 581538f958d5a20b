package contractdiff

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/invgen/invgen/contracts"
)

// Change is one difference between the base and the head contracts.
type Change struct {
	// Pos is where to look: the value in the head contract or, when the
	// head no longer has it, the nearest value it still has; for a removed
	// source, where its contract was.
	Pos contracts.Pos
	// Base is the value's position in the base contract, named REV:path
	// when the base is a git revision; zero when the base did not have it.
	Base contracts.Pos
	// Breaking is true when consumers of the data break.
	Breaking bool
	// Code names the rule, stably, for tools: column-removed, ...
	Code string
	// Msg says what changed, in words.
	Msg string
}

// Kind is "breaking" or "compatible".
func (c Change) Kind() string {
	if c.Breaking {
		return "breaking"
	}
	return "compatible"
}

// Sort orders changes by file, line, column and message, so output is the
// same on every run.
func Sort(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i].Pos, cs[j].Pos
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Col != b.Col:
			return a.Col < b.Col
		}
		return cs[i].Msg < cs[j].Msg
	})
}

// Breaking counts the breaking changes.
func Breaking(cs []Change) int {
	n := 0
	for _, c := range cs {
		if c.Breaking {
			n++
		}
	}
	return n
}

// WriteText writes one line per change, file:line:col: kind: message, with
// the base position in parentheses where the base had the value.
func WriteText(w io.Writer, cs []Change) error {
	for _, c := range cs {
		line := fmt.Sprintf("%s: %s: %s", c.Pos, c.Kind(), c.Msg)
		if c.Base.File != "" {
			line += fmt.Sprintf(" (base %s)", c.Base)
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}

// Report is the JSON form of a comparison. Every key is always present, so
// consumers need no existence checks; base_file is "" and base_line and
// base_column 0 for a change the base did not have.
type Report struct {
	Base       string       `json:"base"`
	Breaking   int          `json:"breaking"`
	Compatible int          `json:"compatible"`
	Changes    []JSONChange `json:"changes"`
}

// JSONChange is one change in a Report.
type JSONChange struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Kind     string `json:"kind"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	BaseFile string `json:"base_file"`
	BaseLine int    `json:"base_line"`
	BaseCol  int    `json:"base_column"`
}

// WriteJSON writes the Report of a comparison against base.
func WriteJSON(w io.Writer, base string, cs []Change) error {
	r := Report{Base: base, Breaking: Breaking(cs), Changes: []JSONChange{}}
	r.Compatible = len(cs) - r.Breaking
	for _, c := range cs {
		r.Changes = append(r.Changes, JSONChange{
			File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col, Kind: c.Kind(),
			Code: c.Code, Message: c.Msg, BaseFile: c.Base.File, BaseLine: c.Base.Line,
			BaseCol: c.Base.Col,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteGitHub writes GitHub Actions workflow commands: an error annotation
// for each breaking change and a notice for each compatible one, so they
// show on the pull request's diff.
//
// GitHub places an annotation by a path from the repository's root, so
// files are named as paths says.
func WriteGitHub(w io.Writer, cs []Change, paths GitHubPaths) error {
	for _, c := range cs {
		level := "notice"
		if c.Breaking {
			level = "error"
		}
		props := "file=" + ghProperty(paths.annotated(c.Pos.File))
		if c.Pos.Line > 0 {
			props += fmt.Sprintf(",line=%d,col=%d", c.Pos.Line, c.Pos.Col)
		}
		msg := c.Kind() + ": " + c.Msg
		if c.Base.File != "" {
			base := c.Base
			if !paths.gitNamed(base.File) {
				base.File = paths.annotated(base.File)
			}
			msg += fmt.Sprintf(" (base %s)", base)
		}
		_, err := fmt.Fprintf(w, "::%s %s,title=invgen diff::%s\n", level, props, ghData(msg))
		if err != nil {
			return err
		}
	}
	return nil
}

// GitHubPaths says how to name files for GitHub, which places an
// annotation by its path from the repository's root.
type GitHubPaths struct {
	// Root is the top of the git work tree holding the contracts, as an
	// absolute path; "" outside one, where files keep their names.
	Root string
	// Rev is the git revision of the base, whose files are named REV:path
	// with the path already from the root; "" for a folder base.
	Rev string
}

func (p GitHubPaths) gitNamed(file string) bool {
	return p.Rev != "" && strings.HasPrefix(file, p.Rev+":")
}

// annotated is file as an annotation names it: from the root when it lies
// in the work tree, else as it was given.
func (p GitHubPaths) annotated(file string) string {
	if p.gitNamed(file) {
		return strings.TrimPrefix(file, p.Rev+":")
	}
	if p.Root == "" {
		return file
	}
	abs, err := filepath.Abs(filepath.FromSlash(file))
	if err != nil {
		return file
	}
	rel, err := filepath.Rel(p.Root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return file
	}
	return filepath.ToSlash(rel)
}

// ghData and ghProperty escape text the way the runner's workflow command
// parser expects: %, CR and LF everywhere, and : and , in properties.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer(":", "%3A", ",", "%2C").Replace(ghData(s))
}
