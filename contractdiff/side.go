package contractdiff

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/invgen/invgen/contracts"
)

// Side is one version of a folder of contracts, as the comparison sees it.
type Side struct {
	// Contracts are sorted by source name.
	Contracts []*contracts.Contract

	// Lenient is true when the folder did not validate and was read
	// without the contracts package's checks: what each contract says is
	// known, but not whether it made sense.
	Lenient bool

	// Rev is the git revision the side was read at, or "" for a folder.
	// Its files carry the work tree's paths, so that a removed contract
	// points where it was; positions in the base are then written
	// REV:path, git's own name for a file at a revision, so that no
	// message passes a base line off as a line of the working copy.
	Rev string

	// RepoDir is the folder's path from the repository's root when Rev
	// is set: the path in REV:path, which git reads from the root, not
	// from wherever invgen runs.
	RepoDir string

	// readers maps a source to the reconciliations that read it.
	readers map[string][]string

	// pos holds positions for leniently read contracts, whose own Pos
	// knows only the file.
	pos map[*contracts.Contract]map[string]contracts.Pos
}

// NewSide wraps a validated estate. Which reconciliations read each source
// comes from the project the generator would build from it.
func NewSide(e *contracts.Estate) (*Side, error) {
	readers, err := checkReaders(e)
	if err != nil {
		return nil, err
	}
	return &Side{Contracts: e.Contracts, readers: readers}, nil
}

// Load reads the head side of a comparison: it must validate, because its
// contracts are about to be merged.
func Load(fsys fs.FS, dir string) (*Side, error) {
	e, err := contracts.Load(fsys, dir)
	if err != nil {
		return nil, err
	}
	return NewSide(e)
}

// LoadBase reads the base side. The base was merged once and is not the
// change under review, so a base that no longer validates (an older
// contract under a stricter invgen, say) is still compared: every file must
// be YAML of the contract's shape, and which sources reconciliations read
// is then judged by feed alone. Syntax errors are Diagnostics.
func LoadBase(fsys fs.FS, dir string) (*Side, error) {
	s, err := Load(fsys, dir)
	if err == nil || !contracts.IsInvalid(err) {
		return s, err
	}
	return loadLenient(fsys, dir)
}

func loadLenient(fsys fs.FS, dir string) (*Side, error) {
	names, err := contracts.ContractFiles(fsys)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	s := &Side{Lenient: true, pos: map[*contracts.Contract]map[string]contracts.Pos{}}
	var diags contracts.Diagnostics
	for _, name := range names {
		data, err := contracts.ReadFile(fsys, name, path.Join(dir, name))
		var unread contracts.Diagnostics
		if errors.As(err, &unread) {
			diags = append(diags, unread...)
			continue
		}
		if err != nil {
			return nil, err
		}
		c, pos, ds := decodeLenient(path.Join(dir, name), data)
		if ds != nil {
			diags = append(diags, ds...)
			continue
		}
		s.Contracts = append(s.Contracts, c)
		s.pos[c] = pos
	}
	if len(diags) > 0 {
		return nil, diags.Sorted()
	}
	sort.SliceStable(s.Contracts, func(i, j int) bool {
		return s.Contracts[i].Source < s.Contracts[j].Source
	})
	s.readers = readersByFeed(s.Contracts)
	return s, nil
}

// decodeLenient decodes one contract without validating it, and records
// where each value sits under the same paths contracts.Contract.Pos uses.
func decodeLenient(file string, data []byte) (*contracts.Contract, map[string]contracts.Pos,
	contracts.Diagnostics) {
	var doc yaml.Node
	err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc)
	switch {
	case errors.Is(err, io.EOF) || err == nil && len(doc.Content) == 0:
		return nil, nil, diagnosed(file, data, "base contract is empty", "")
	case err != nil:
		return nil, nil, diagnosed(file, data, "base contract is not readable YAML",
			err.Error())
	case doc.Content[0].Kind != yaml.MappingNode:
		return nil, nil, diagnosed(file, data, "base contract is not a mapping", "")
	}
	c := &contracts.Contract{File: file}
	if err := doc.Content[0].Decode(c); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, nil, diagnosed(file, data, "base contract", err.Error())
		}
		var ds contracts.Diagnostics
		for _, e := range te.Errors {
			ds = append(ds, diagnosed(file, data, "base contract does not have the "+
				"contract's shape", e)...)
		}
		return nil, nil, ds
	}
	pos := map[string]contracts.Pos{}
	index(file, doc.Content[0], "", pos)
	return c, pos, nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// diagnosed says what is wrong with a file, followed by the YAML library's
// reason, which may start "line N: ": the position then carries that line,
// at its first non-blank column, as the contracts package places syntax
// errors.
func diagnosed(file string, data []byte, what, reason string) contracts.Diagnostics {
	pos := contracts.Pos{File: file, Line: 1, Col: 1}
	if m := yamlLine.FindStringSubmatch(reason); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		pos.Col = firstColumn(data, pos.Line)
		reason = reason[len(m[0]):]
	}
	if reason = strings.TrimPrefix(reason, "yaml: "); reason != "" {
		what += ": " + reason
	}
	return contracts.Diagnostics{{Pos: pos, Msg: what}}
}

func firstColumn(data []byte, line int) int {
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return 1
	}
	text := lines[line-1]
	return len(text) - len(strings.TrimLeft(text, " \t")) + 1
}

// index records the position of every value under its path.
func index(file string, n *yaml.Node, p string, pos map[string]contracts.Pos) {
	pos[p] = contracts.Pos{File: file, Line: n.Line, Col: n.Column}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if p != "" {
				k = p + "." + k
			}
			index(file, n.Content[i+1], k, pos)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			index(file, item, fmt.Sprintf("%s[%d]", p, i), pos)
		}
	}
}

// contract returns the side's contract of a source, or nil.
func (s *Side) contract(source string) *contracts.Contract {
	for _, c := range s.Contracts {
		if c.Source == source {
			return c
		}
	}
	return nil
}

// where is at for a position in the base, named as Rev says.
func (s *Side) where(c *contracts.Contract, p string) contracts.Pos {
	pos := s.at(c, p)
	if s.Rev != "" {
		pos.File = GitName(s.Rev, s.RepoDir, pos.File)
	}
	return pos
}

// GitName is git's name for a contract file of a folder read at revision
// rev: REV:path, with the folder's path from the repository's root,
// repoDir, in place of the work tree path the file carries. A contracts
// folder has no subfolders that count, so the file's base name is all
// that is kept of that path.
func GitName(rev, repoDir, file string) string {
	return rev + ":" + path.Join(repoDir, path.Base(file))
}

// at returns where the value at p sits in c, or its nearest present parent.
func (s *Side) at(c *contracts.Contract, p string) contracts.Pos {
	pos, ok := s.pos[c]
	if !ok {
		return c.Pos(p)
	}
	for {
		if got, ok := pos[p]; ok {
			return got
		}
		if p == "" {
			return contracts.Pos{File: c.File}
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			p = ""
			continue
		}
		p = p[:i]
	}
}
