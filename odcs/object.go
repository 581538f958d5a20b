package odcs

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/invgen/invgen/contracts"
)

// object converts one schema object; false when anything is missing or
// wrong, every such problem reported.
func (d *document) object(obj *yaml.Node) (File, bool) {
	o := &objectConv{d: d, node: obj, name: text(obj, "name"), sc: scopes{customOf(obj), d.top},
		origin: map[string]*yaml.Node{"": obj}, covered: map[string]bool{}}
	if o.name == "" {
		d.r.add(obj, "a schema object without a name: ODCS requires one")
		return File{}, false
	}
	before := len(d.r.diags)
	checkCustom(d.r, obj, false)
	c := o.contract()
	data, err := render(c, d.file, d.id, d.version)
	if err != nil {
		d.r.add(obj, "%s: %v", where(o.name), err)
		return File{}, false
	}
	l := o.locate(data)
	o.validate(c.Source, data, l)
	if len(d.r.diags) > before {
		return File{}, false
	}
	return File{Source: c.Source, Data: data, Pos: at(d.file, obj), origins: l}, true
}

// objectConv converts one schema object into a contract, remembering the
// ODCS node behind each value so that a problem with the value is
// reported where it was written.
type objectConv struct {
	d    *document
	node *yaml.Node
	name string
	sc   scopes
	cols []column

	origin  map[string]*yaml.Node // contract path → the ODCS node its value came from
	covered map[string]bool       // contract paths whose problem is reported already
}

// from records the ODCS node behind the value at a contract path.
func (o *objectConv) from(path string, n *yaml.Node) {
	if n != nil {
		o.origin[path] = n
	}
}

// custom reads an object-scope custom property into a contract path.
func (o *objectConv) custom(path, property string) string {
	o.from(path, o.sc.node(property))
	return o.sc.text(property)
}

// missing reports an answer the contract needs at path and the object does
// not give, saying which custom property gives it.
func (o *objectConv) missing(path string, n *yaml.Node, what, property string) {
	o.covered[path] = true
	o.d.r.missing(n, what, property, where(o.name))
}

// invalid reports an answer at path that cannot be used as written.
func (o *objectConv) invalid(path string, n *yaml.Node, format string, args ...any) {
	o.covered[path] = true
	o.d.r.add(n, format, args...)
}

var sourceRe = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

func (o *objectConv) contract() *contract {
	c := &contract{Source: o.source(), Feed: o.custom("feed", "invgen.feed"),
		System: o.custom("system", "invgen.system"), Owner: o.owner(),
		Description: text(o.node, "description")}
	o.from("description", get(o.node, "description"))
	if c.System == "" {
		o.missing("system", o.node, "the system of record", "invgen.system")
	}
	if c.Feed == "" {
		o.missing("feed", o.node, "the feed (what one row is)", "invgen.feed")
	}
	c.Relation = o.relation()
	o.cols = o.columns()
	for _, col := range o.cols {
		c.Columns = append(c.Columns, col.out)
	}
	o.requireRoles(contracts.Feed(c.Feed))
	c.Semantics = o.semantics(contracts.Feed(c.Feed))
	c.Delivery = o.delivery()
	if notify := o.sc.list("invgen.notify"); len(notify) > 0 {
		o.from("on_violation.notify", o.sc.node("invgen.notify"))
		c.OnViolation = &violation{Notify: notify}
	}
	return c
}

// source is invgen.source, or else the object's name when that is a name
// invgen can give a dbt source and its models.
func (o *objectConv) source() string {
	if s := o.custom("source", "invgen.source"); s != "" {
		return s
	}
	o.from("source", get(o.node, "name"))
	if !sourceRe.MatchString(o.name) {
		o.missing("source", get(o.node, "name"), fmt.Sprintf("a source name (%q is not a "+
			"lower-case SQL name)", o.name), "invgen.source")
	}
	return o.name
}

// owner is invgen.owner, or else the team's owner when that is an email
// address: a username names nobody invgen can notify.
func (o *objectConv) owner() string {
	if s := o.custom("owner", "invgen.owner"); s != "" {
		return s
	}
	n := o.d.owner
	if n == nil {
		o.missing("owner", o.node, "the owner (no team member has role owner)", "invgen.owner")
		return ""
	}
	o.from("owner", n)
	if !strings.Contains(n.Value, "@") {
		o.missing("owner", n, fmt.Sprintf("the owner's email address (the team's owner %q "+
			"is a username)", n.Value), "invgen.owner")
	}
	return scalar(n)
}

func (o *objectConv) relation() relation {
	rel := relation{Database: o.custom("relation.database", "invgen.database"),
		Schema: o.custom("relation.schema", "invgen.schema")}
	table, tableNode := first(o.node, "physicalName", "name")
	rel.Table = table
	o.from("relation.table", tableNode)
	if rel.Schema == "" && o.d.server == nil && o.d.reported["servers"] {
		o.covered["relation.schema"] = true // the servers are reported already
		return rel
	}
	if rel.Schema == "" && len(o.d.ambiguous) > 0 {
		o.covered["relation.schema"] = true
		o.d.once("servers", o.d.servers, "servers: %d servers could hold the tables (%s), "+
			"and which one does is not guessed: choose one with --server NAME, or set "+
			"invgen.schema (and invgen.database) on the contract or each object",
			len(o.d.ambiguous), strings.Join(o.d.ambiguous, ", "))
		return rel
	}
	if rel.Schema == "" && o.d.server != nil {
		schema, schemaNode := serverSchema(o.d.server)
		rel.Schema = schema
		o.from("relation.schema", schemaNode)
		if db, dbNode := serverDatabase(o.d.server); rel.Database == "" {
			rel.Database = db
			o.from("relation.database", dbNode)
		}
	}
	if rel.Schema == "" {
		o.missing("relation.schema", o.node, "the relation's schema (no server names one)",
			"invgen.schema")
	}
	return rel
}

// requireRoles reports each role group the feed needs that no property has.
func (o *objectConv) requireRoles(feed contracts.Feed) {
	for _, group := range contracts.RequiredRoles(feed) {
		if o.column(group...) != nil {
			continue
		}
		names := make([]string, len(group))
		for i, g := range group {
			names[i] = string(g)
		}
		o.covered["columns"] = true
		o.d.r.missing(nodeOr(get(o.node, "properties"), o.node), fmt.Sprintf("a property "+
			"with role %s (a %s feed needs it)", strings.Join(names, " or "), feed),
			"invgen.role", "the property that holds it in "+where(o.name))
	}
}

// column returns the first converted column with one of the roles.
func (o *objectConv) column(roles ...contracts.Role) *column {
	for i := range o.cols {
		for _, r := range roles {
			if o.cols[i].out.Role == string(r) {
				return &o.cols[i]
			}
		}
	}
	return nil
}

func (o *objectConv) delivery() *delivery {
	d := &delivery{}
	sla, node := o.d.freshness(o.name, text(o.node, "physicalName"))
	if sla != "" {
		d.FreshnessSLA = sla
		o.from("delivery.freshness_sla", node)
		if o.column(contracts.RoleLoadedAt) == nil {
			o.covered["delivery.freshness_sla"] = true
			o.d.r.missing(node, fmt.Sprintf("a property with role loaded_at (the freshness "+
				"SLA of %s is measured on it)", o.name), "invgen.role",
				"the load-time property of "+where(o.name))
		}
	}
	if ct := o.custom("delivery.completeness.control_totals", "invgen.control_totals"); ct != "" {
		d.Completeness = &completeness{ControlTotals: ct, MinRatio: o.minRatio()}
		o.d.completeness = true
	} else if n, own := o.sc[0]["invgen.min_ratio"]; own {
		o.invalid("delivery.completeness.min_ratio", n, "invgen.min_ratio: %s has no "+
			"invgen.control_totals to be measured against, so the ratio would be dropped: "+
			"set invgen.control_totals (the control_totals source whose daily row counts "+
			"the rows are compared with), or remove invgen.min_ratio", where(o.name))
	}
	if d.FreshnessSLA == "" && d.Completeness == nil {
		return nil
	}
	return d
}

func (o *objectConv) minRatio() float64 {
	s := o.custom("delivery.completeness.min_ratio", "invgen.min_ratio")
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		o.invalid("delivery.completeness.min_ratio", o.sc.node("invgen.min_ratio"),
			"invgen.min_ratio: %q is not a number", s)
	}
	return f
}

// where names an element in a message.
func where(object string) string { return fmt.Sprintf("object %q", object) }
