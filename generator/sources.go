package generator

import (
	"bytes"
	"path"
	"regexp"
	"sort"
	"strings"
)

// A model built from several contracts names them in its header. Which
// contracts those are is read from the generated SQL itself, through its
// ref and source calls down to the staging models, so a header cannot
// drift from the model it heads, whoever adds the model.

var (
	refCall    = regexp.MustCompile(`\bref\('([^']+)'\)`)
	sourceCall = regexp.MustCompile(`\bsource\('([^']+)'`)
)

// nameSources gives every file that still carries the bare header one that
// names what it is generated from: a model or model YAML outside staging
// names the project file and the contracts its models read, transitively;
// any other file (macros, generic tests, seed docs) is project-wide and
// names the project file.
func (r *renderer) nameSources() {
	if r.err != nil {
		return
	}
	l := &lineage{r: r, models: map[string]string{}, memo: map[string][]string{}}
	for file := range r.files {
		if name, ok := strings.CutSuffix(file, ".sql"); ok && strings.HasPrefix(file, "models/") {
			l.models[path.Base(name)] = file
		}
	}
	for file, body := range r.files {
		if !startsBare(body) {
			continue
		}
		from := []string{r.projectFile()}
		switch {
		case strings.HasPrefix(file, "models/") && strings.HasSuffix(file, ".sql"):
			from = append(r.projectFiles(), l.of(file)...)
		case strings.HasPrefix(file, "models/"):
			from = append(r.projectFiles(), l.ofFolder(path.Dir(file))...)
		}
		r.files[file] = renamed(body, header(from...))
	}
}

// projectFile names the project file as the generated project reaches it,
// or says that there is none and defaults apply.
func (r *renderer) projectFile() string {
	if r.estate.Project.File == "" {
		return projectFileName(r.estate.Project)
	}
	return path.Join(r.opt.ContractDir, projectFileName(r.estate.Project))
}

// projectFiles is the project file when there is one: it decides which
// checks exist and how they pair sources, so every model built across
// contracts is generated from it too.
func (r *renderer) projectFiles() []string {
	if r.estate.Project.File == "" {
		return nil
	}
	return []string{r.projectFile()}
}

// lineage resolves which contract files each generated model is built from.
type lineage struct {
	r      *renderer
	models map[string]string   // model name -> its file
	memo   map[string][]string // model file -> contract paths, sorted
}

// ofFolder is every contract the models of a folder read: what the folder's
// model YAML documents.
func (l *lineage) ofFolder(dir string) []string {
	var all []string
	for _, file := range l.r.sortedFiles() {
		if path.Dir(file) == dir && strings.HasSuffix(file, ".sql") {
			all = append(all, l.of(file)...)
		}
	}
	return sortedSet(all)
}

// of is the contracts a model file reads: its own contract for a staging
// model, else those of every model and source it references.
func (l *lineage) of(file string) []string {
	if got, ok := l.memo[file]; ok {
		return got
	}
	l.memo[file] = nil // a reference cycle, which dbt refuses anyway, stops here
	var all []string
	if parts := strings.Split(file, "/"); len(parts) == 4 && parts[1] == "staging" {
		all = append(all, l.contractOf(parts[2])...)
	}
	body := l.r.files[file]
	for _, m := range refCall.FindAllSubmatch(body, -1) {
		if dep, ok := l.models[string(m[1])]; ok {
			all = append(all, l.of(dep)...)
		}
	}
	for _, m := range sourceCall.FindAllSubmatch(body, -1) {
		all = append(all, l.contractOf(string(m[1]))...)
	}
	l.memo[file] = sortedSet(all)
	return l.memo[file]
}

// contractOf is the path of the contract declaring a source, as the model
// YAML's meta names it.
func (l *lineage) contractOf(source string) []string {
	for _, con := range l.r.estate.Contracts {
		if con.Source == source {
			return []string{l.r.contractPath(con)}
		}
	}
	return nil
}

func (r *renderer) sortedFiles() []string {
	files := make([]string, 0, len(r.files))
	for f := range r.files {
		files = append(files, f)
	}
	sort.Strings(files)
	return files
}

func sortedSet(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// headerMarkers are the comment markers a generated file's first line can
// open with, and what continues the comment on the next lines.
var headerMarkers = []struct{ first, next string }{
	{"-- ", "-- "}, {"# ", "# "}, {"{# ", "   "},
}

func startsBare(body []byte) bool {
	_, ok := bareMarker(body)
	return ok
}

func bareMarker(body []byte) (int, bool) {
	for i, m := range headerMarkers {
		line := m.first + bareHeader + "\n"
		if bytes.HasPrefix(body, []byte(line)) {
			return i, true
		}
	}
	return 0, false
}

// renamed swaps the bare first line of body for the given header lines, in
// the comment style the file opened with.
func renamed(body []byte, lines []string) []byte {
	i, _ := bareMarker(body)
	m := headerMarkers[i]
	var out bytes.Buffer
	for n, line := range lines {
		if n == 0 {
			out.WriteString(m.first)
		} else {
			out.WriteString(m.next)
		}
		out.WriteString(line + "\n")
	}
	out.Write(body[len(m.first+bareHeader+"\n"):])
	return out.Bytes()
}
