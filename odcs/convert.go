package odcs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/invgen/invgen/contracts"
)

// File is one converted contract, ready to write.
type File struct {
	Source string        // the source name; the file is <Source>.yml
	Data   []byte        // the contract's YAML
	Pos    contracts.Pos // the schema object it was converted from

	origins locations
}

// Origin returns where in the ODCS file the value at a line and column of
// Data came from. A contract is also checked against the contracts it
// joins, after conversion; what that finds must still be reported where
// the user can fix it, not in a file that was never written.
func (f File) Origin(line, col int) contracts.Pos {
	return f.origins.of(contracts.Pos{Line: line, Col: col})
}

// Options say what a document cannot: which of its servers holds the
// tables.
type Options struct {
	// Server names the server (its `server` field) whose database and
	// schema the relations take when an object sets no invgen.schema.
	// A document listing several servers needs it: which one holds the
	// tables is not guessed.
	Server string
}

// Convert reads one ODCS v3 document and returns one invgen contract per
// schema object. Every problem in the document, above all every missing
// inventory answer, is returned at once as contracts.Diagnostics with the
// ODCS file's line and column. The contracts are checked one by one with
// contracts.ParseContract; checks across files are the caller's.
func Convert(file string, data []byte, opt Options) ([]File, error) {
	r := &reporter{file: file}
	root := parse(file, data, r)
	if root == nil {
		return nil, r.diags
	}
	doc := newDocument(file, root, r, opt)
	var out []File
	for _, obj := range doc.objects {
		if f, ok := doc.object(obj); ok {
			out = append(out, f)
		}
	}
	doc.checkContractMinRatio()
	if len(doc.objects) == 0 {
		r.add(nodeOr(get(root, "schema"), root), "schema: no objects to import")
	}
	if len(r.diags) > 0 {
		return nil, r.diags.Sorted()
	}
	return out, nil
}

func parse(file string, data []byte, r *reporter) *yaml.Node {
	var doc yaml.Node
	err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc)
	if errors.Is(err, io.EOF) || err == nil && len(doc.Content) == 0 {
		r.diags = append(r.diags, contracts.Diagnostic{
			Pos: contracts.Pos{File: file, Line: 1, Col: 1}, Msg: "the file is empty"})
		return nil
	}
	if err != nil {
		r.diags = append(r.diags, contracts.Diagnostic{
			Pos: contracts.Pos{File: file, Line: 1, Col: 1}, Msg: "invalid YAML: " + err.Error()})
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		r.add(root, "expected an ODCS data contract, a mapping")
		return nil
	}
	checkHeader(root, r)
	return root
}

var apiVersionRe = regexp.MustCompile(`^v3\.\d+\.\d+$`)

// requiredFields are the top-level fields every ODCS v3 JSON schema, v3.0.0
// to v3.1.0, requires, each a string: a file without them is not a valid
// ODCS contract, whatever invgen could read from the rest.
var requiredFields = []string{"apiVersion", "kind", "id", "version", "status"}

// checkHeader refuses documents that are not ODCS v3 data contracts: their
// fields mean other things. Only a v3 document is held to v3's required
// fields; another version is told so, not what v3 would have wanted.
func checkHeader(root *yaml.Node, r *reporter) {
	if k := text(root, "kind"); k != "" && k != "DataContract" {
		r.add(get(root, "kind"), "kind: %q is not DataContract", k)
	}
	if v := text(root, "apiVersion"); v != "" && !apiVersionRe.MatchString(v) {
		r.add(get(root, "apiVersion"), "apiVersion: %q is not ODCS v3 (v3.0.0 or later 3.x)",
			v)
		return
	}
	for _, k := range requiredFields {
		v := get(root, k)
		switch {
		case v == nil || v.Tag == "!!null":
			r.add(root, "missing: %s, which ODCS v3 requires of every contract", k)
		case v.Kind != yaml.ScalarNode:
			r.add(v, "%s: ODCS v3 wants a string here", k)
		case v.Tag != "!!str":
			r.add(v, "%s: %s is a %s, but ODCS v3 wants a string: quote it (%q)", k, v.Value,
				yamlKind(v.Tag), v.Value)
		}
	}
}

// yamlKind names the type YAML read an unquoted value as.
func yamlKind(tag string) string {
	switch tag {
	case "!!int", "!!float":
		return "number"
	case "!!bool":
		return "boolean"
	}
	return strings.TrimPrefix(tag, "!!")
}

func nodeOr(n, fallback *yaml.Node) *yaml.Node {
	if n != nil {
		return n
	}
	return fallback
}

// document holds what the whole ODCS file says, for every object in it.
type document struct {
	file, id, version string
	r                 *reporter
	top               custom
	objects           []*yaml.Node
	servers           *yaml.Node // the servers list, or the document when it has none
	server            *yaml.Node // the server the relations take: the only one, or --server's
	ambiguous         []string   // the servers to choose from, when several and none chosen
	owner             *yaml.Node // the username of the team member whose role is owner
	sla               []*yaml.Node
	slaDefault        string // the deprecated slaDefaultElement

	completeness bool // an object names its control totals
	reported     map[string]bool
}

func newDocument(file string, root *yaml.Node, r *reporter, opt Options) *document {
	d := &document{file: file, r: r, top: customOf(root), id: text(root, "id"),
		version: text(root, "version"), objects: items(root, "schema"),
		sla: items(root, "slaProperties"), slaDefault: text(root, "slaDefaultElement"),
		servers: nodeOr(get(root, "servers"), root), reported: map[string]bool{}}
	checkCustom(r, root, false)
	d.chooseServer(items(root, "servers"), opt.Server)
	d.owner = teamOwner(root)
	return d
}

// chooseServer picks the server whose database and schema the relations
// take: the one named, or the only one there is. Of several, none is
// picked: the first need of one reports them all.
func (d *document) chooseServer(servers []*yaml.Node, name string) {
	var names []string
	for i, s := range servers {
		names = append(names, serverName(s, i))
		if name != "" && text(s, "server") == name {
			d.server = s
		}
	}
	switch {
	case name != "" && d.server == nil:
		d.r.add(d.servers, "--server %s: no server of that name; the servers are: %s", name,
			orNoServers(names))
		d.reported["servers"] = true
	case name == "" && len(servers) == 1:
		d.server = servers[0]
	case name == "" && len(servers) > 1:
		d.ambiguous = names
	}
}

// serverName is how a server is named in a message: its server field and
// type.
func serverName(s *yaml.Node, i int) string {
	name := text(s, "server")
	if name == "" {
		name = fmt.Sprintf("servers[%d] (no server field)", i)
	}
	if typ := text(s, "type"); typ != "" {
		name += " (" + typ + ")"
	}
	return name
}

func orNoServers(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// once reports a problem of the whole document the first time an object
// runs into it.
func (d *document) once(key string, n *yaml.Node, format string, args ...any) {
	if !d.reported[key] {
		d.reported[key] = true
		d.r.add(n, format, args...)
	}
}

// checkContractMinRatio reports a contract-wide invgen.min_ratio that no
// object uses: one on an object is checked with the object.
func (d *document) checkContractMinRatio() {
	n, ok := d.top["invgen.min_ratio"]
	if !ok || d.completeness {
		return
	}
	if _, ct := d.top["invgen.control_totals"]; ct {
		return
	}
	d.r.add(n, "invgen.min_ratio: no object names the invgen.control_totals it would be "+
		"measured against, so the ratio would be dropped: set invgen.control_totals (the "+
		"control_totals source whose daily row counts the rows are compared with), or "+
		"remove invgen.min_ratio")
}

// serverSchema and serverDatabase read a server's schema and database under
// the names its type gives them: dataset and project on BigQuery, catalog
// on Databricks and Trino, schema and database elsewhere.
func serverSchema(s *yaml.Node) (string, *yaml.Node) { return first(s, "schema", "dataset") }

func serverDatabase(s *yaml.Node) (string, *yaml.Node) {
	return first(s, "database", "catalog", "project")
}

// teamOwner finds the owner's username in either team shape: v3.0's list
// of members, or v3.1's object with members. A member who left (dateOut)
// owns nothing.
func teamOwner(root *yaml.Node) *yaml.Node {
	team := get(root, "team")
	members := items(root, "team")
	if team != nil && team.Kind == yaml.MappingNode {
		members = items(team, "members")
	}
	for _, m := range members {
		if strings.EqualFold(text(m, "role"), "owner") && text(m, "dateOut") == "" &&
			text(m, "username") != "" {
			return get(m, "username")
		}
	}
	return nil
}

// freshness returns the object's freshness SLA as a contract duration and
// the SLA's value node: a latency (or freshness) SLA whose element is the
// object, by name or physical name, or one of its properties; one without
// an element applies to every object, unless slaDefaultElement names
// another.
func (d *document) freshness(names ...string) (string, *yaml.Node) {
	for _, s := range d.sla {
		switch strings.ToLower(text(s, "property")) {
		case "latency", "ly", "freshness":
		default:
			continue
		}
		el := text(s, "element")
		if el == "" {
			el = d.slaDefault
		}
		if el == "" || d.elementOf(el, names) {
			return duration(text(s, "value"), text(s, "unit")), nodeOr(get(s, "value"), s)
		}
	}
	return "", nil
}

// elementOf reports whether an SLA element, one or more comma-separated
// object or object.property paths, names one of an object's names. In a
// contract of one object, ODCS lets a path leave the object out.
func (d *document) elementOf(el string, names []string) bool {
	for _, path := range strings.Split(el, ",") {
		path = strings.TrimSpace(path)
		if len(d.objects) == 1 && !strings.Contains(path, ".") {
			return true
		}
		object, _, _ := strings.Cut(path, ".")
		for _, n := range names {
			if n != "" && object == n {
				return true
			}
		}
	}
	return false
}

var units = map[string]string{
	"m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
	"h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
	"d": "d", "day": "d", "days": "d",
}

// duration writes an SLA value and unit as a contract duration; an unknown
// unit yields a value the contract check refuses, at the SLA's position.
func duration(value, unit string) string {
	if u, ok := units[strings.ToLower(unit)]; ok {
		return value + u
	}
	return value + unit
}
