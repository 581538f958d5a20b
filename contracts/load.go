package contracts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// ProjectFile is the name of the project file beside the contracts.
const ProjectFile = "invgen.yml"

// Estate is every contract of a data estate and the project settings: all
// that generation needs.
type Estate struct {
	Project   Project
	Contracts []*Contract // sorted by source name

	// unread counts contract files that could not be read at all; a source
	// they define is unknown, so a reference to it cannot be refused.
	unread int
}

// Contract returns the contract of a source, or nil.
func (e *Estate) Contract(source string) *Contract {
	for _, c := range e.Contracts {
		if c.Source == source {
			return c
		}
	}
	return nil
}

// ByFeed returns the contracts of one feed, in source order.
func (e *Estate) ByFeed(f Feed) []*Contract {
	var out []*Contract
	for _, c := range e.Contracts {
		if c.Feed == f {
			out = append(out, c)
		}
	}
	return out
}

// Load reads invgen.yml (if present) and every other *.yml or *.yaml file at
// the top of fsys as a contract, then validates them together. Paths in
// messages are prefixed with dir, the folder as the user named it. On any
// problem it returns Diagnostics listing all of them.
func Load(fsys fs.FS, dir string) (*Estate, error) {
	names, err := ContractFiles(fsys)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}

	rep := &reporter{}
	estate := &Estate{Project: DefaultProject()}
	data, err := readInput(fsys, ProjectFile, path.Join(dir, ProjectFile), rep)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case data != nil:
		estate.Project = parseProject(path.Join(dir, ProjectFile), data, rep)
	}

	for _, name := range names {
		if p := TextProblem(name); p != "" {
			// The name goes into every generated file's header and meta.
			rep.add(Pos{File: path.Join(dir, name)}, "the file's name: %s", p)
		}
		data, err := readInput(fsys, name, path.Join(dir, name), rep)
		if err != nil {
			return nil, err
		}
		if data == nil {
			estate.unread++
			continue
		}
		if c := parseContract(path.Join(dir, name), data, rep); c != nil {
			estate.Contracts = append(estate.Contracts, c)
		} else {
			estate.unread++
		}
	}
	if len(names) == 0 {
		rep.add(Pos{File: dir}, "no contracts: expected *.yml files beside %s", ProjectFile)
	}

	sort.SliceStable(estate.Contracts, func(i, j int) bool {
		return estate.Contracts[i].Source < estate.Contracts[j].Source
	})
	validateEstate(estate, rep)
	if len(rep.diags) > 0 {
		return nil, rep.diags.Sorted()
	}
	return estate, nil
}

// MaxFileSize is the largest input file invgen reads: a contract is some
// tens of lines, and a file past this is not one (a symbolic link to a
// device, say) that reading whole would exhaust memory.
const MaxFileSize = 8 << 20

// ReadFile reads an input file (a contract, invgen.yml, an ODCS contract),
// name in fsys, shown as file in messages. It reads only a regular file (or a link to one) of at most
// MaxFileSize bytes: anything else, such as a named pipe that would block
// the read forever, is refused with Diagnostics naming the file. Other
// errors, such as a file that is not there, are returned as they are.
func ReadFile(fsys fs.FS, name, file string) ([]byte, error) {
	rep := &reporter{}
	data, err := readInput(fsys, name, file, rep)
	if len(rep.diags) > 0 {
		return nil, rep.diags
	}
	return data, err
}

// readInput reads one input file, or reports on rep why it is no file to
// read and returns nil data and no error.
func readInput(fsys fs.FS, name, file string, rep *reporter) ([]byte, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, pathCause(err))
	}
	if !info.Mode().IsRegular() {
		rep.add(Pos{File: file}, "not a regular file (%s): invgen reads its input "+
			"from regular files only", fileKind(info.Mode()))
		return nil, nil
	}
	if info.Size() > MaxFileSize {
		rep.add(Pos{File: file}, "the file is %d bytes, over invgen's limit of %d "+
			"(8 MiB) for an input file", info.Size(), MaxFileSize)
		return nil, nil
	}

	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, pathCause(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(data) > MaxFileSize {
		rep.add(Pos{File: file}, "the file grew past invgen's limit of %d bytes "+
			"(8 MiB) for an input file while it was read", MaxFileSize)
		return nil, nil
	}
	return data, nil
}

// pathCause is what went wrong, without the operation and the path that
// the message names already.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// fileKind names what a file that is not a regular one is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.Type().String()
}

// ContractFiles lists the contract files at the top of fsys: every *.yml
// and *.yaml but the project file and hidden files. Tools that read an
// estate without loading it, such as diff, list it the same way.
func ContractFiles(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		isYAML := strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".yaml")
		if e.IsDir() || !isYAML || n == ProjectFile || strings.HasPrefix(n, ".") {
			continue
		}
		names = append(names, n)
	}
	return names, nil
}

// ParseContract reads one contract without checking it against others. It
// exists for tools and fuzzing; Load is what the CLI uses.
func ParseContract(file string, data []byte) (*Contract, error) {
	rep := &reporter{}
	c := parseContract(file, data, rep)
	if c != nil {
		validateContract(c, rep)
	}
	if len(rep.diags) > 0 {
		return nil, rep.diags.Sorted()
	}
	return c, nil
}

func parseContract(file string, data []byte, rep *reporter) *Contract {
	root := parseYAML(file, data, "one contract per file", rep)
	if root == nil {
		return nil
	}

	w := &shape{file: file, rep: rep, pos: map[string]Pos{}}
	w.walk(root, contractSpec, "")

	c := &Contract{File: file, pos: w.pos}
	_ = root.Decode(c) // shape errors are already reported with positions
	return c
}

func parseProject(file string, data []byte, rep *reporter) Project {
	p := DefaultProject()
	p.File = file
	root := parseYAML(file, data, "invgen.yml is one document", rep)
	if root == nil {
		return p
	}

	w := &shape{file: file, rep: rep, pos: map[string]Pos{}}
	w.walk(root, projectSpec, "")
	p.pos = w.pos
	p.Profile = "" // unless the file names one, the profile follows the project
	_ = root.Decode(&p)
	if p.Profile == "" {
		p.Profile = p.Name
	}
	return p
}

// parseYAML returns the single document's root node, or nil after
// reporting why there is none; one says why a second document is wrong.
func parseYAML(file string, data []byte, one string, rep *reporter) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			rep.add(Pos{File: file, Line: 1, Col: 1}, "the file is empty")
			return nil
		}
		rep.add(syntaxPos(file, data, err), "%s", syntaxMessage(err))
		return nil
	}

	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		rep.add(Pos{File: file, Line: next.Line, Col: next.Column},
			"a second YAML document: %s", one)
	}
	if len(doc.Content) == 0 {
		rep.add(Pos{File: file, Line: 1, Col: 1}, "the file is empty")
		return nil
	}
	return doc.Content[0]
}

var yamlPrefix = regexp.MustCompile(`^yaml: (line \d+: )?`)

func syntaxMessage(err error) string {
	return "invalid YAML: " + yamlPrefix.ReplaceAllString(err.Error(), "")
}
