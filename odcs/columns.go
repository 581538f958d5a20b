package odcs

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/invgen/invgen/contracts"
)

// column is a converted property and the ODCS node it came from.
type column struct {
	node     *yaml.Node
	odcsName string // the property's name, which ODCS paths and keys use
	out      outColumn
}

func (o *objectConv) columns() []column {
	o.from("columns", get(o.node, "properties"))
	var out []column
	for i, p := range items(o.node, "properties") {
		out = append(out, o.property(fmt.Sprintf("columns[%d]", i), p))
	}
	if len(out) == 0 {
		o.invalid("columns", o.node, "%s: no properties to import", where(o.name))
	}
	return out
}

// property converts one property into the column at path. The raw table's
// column is the physical name where one is given.
func (o *objectConv) property(path string, p *yaml.Node) column {
	checkCustom(o.d.r, p, true)
	o.from(path, p)
	name, nameNode := first(p, "physicalName", "name")
	o.from(path+".name", nameNode)
	o.from(path+".description", get(p, "description"))
	col := outColumn{Name: name, Description: text(p, "description")}
	cp := customOf(p)
	if role := cp["invgen.role"]; role != nil {
		col.Role = scalar(role)
		o.from(path+".role", role)
	}
	col.Type = o.columnType(path, p, name)
	if v := cp["invgen.values"]; v != nil {
		o.from(path+".values", v)
		col.Values = o.codes(path, v, name)
	}
	return column{node: p, odcsName: text(p, "name"), out: col}
}

// logicalTypes maps ODCS logical types to contract types where the logical
// type alone fixes the cast: an integer of unstated width is read as
// bigint, which holds any, and a number as decimal of the warehouse's
// default precision, never as a lossy double.
var logicalTypes = map[string]string{
	"string": "varchar", "integer": "bigint", "number": "decimal",
	"boolean": "boolean", "date": "date", "timestamp": "timestamp",
}

// columnType prefers the physical type, which states width and precision,
// and falls back to the logical type when invgen does not know the
// physical spelling (TIMESTAMP_TZ, NVARCHAR2, ...).
func (o *objectConv) columnType(path string, p *yaml.Node, name string) string {
	if phys := text(p, "physicalType"); phys != "" {
		if _, err := contracts.ParseType(phys); err == nil {
			o.from(path+".type", get(p, "physicalType"))
			return strings.ToLower(phys)
		}
	}
	logical := text(p, "logicalType")
	if t, ok := logicalTypes[logical]; ok {
		o.from(path+".type", get(p, "logicalType"))
		return t
	}
	o.invalid(path+".type", p, "property %q of %s: cannot import logicalType %q with "+
		"physicalType %q: invgen reads flat columns of %s", name, where(o.name), logical,
		text(p, "physicalType"), "string, integer, number, boolean, date or timestamp")
	return ""
}

// codes reads invgen.values: a mapping of producer codes to canonical
// values.
func (o *objectConv) codes(path string, v *yaml.Node, name string) map[string]string {
	if v.Kind != yaml.MappingNode {
		o.invalid(path+".values", v, "property %q: invgen.values must map producer codes "+
			"to canonical values, such as {GR: receipt, GI: shipment}", name)
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		out[v.Content[i].Value] = v.Content[i+1].Value
	}
	return out
}

// idempotencyKey is invgen.idempotency_key, its entries ODCS property names
// or column names, or else the primary key.
func (o *objectConv) idempotencyKey() []string {
	const path = "semantics.idempotency_key"
	names := o.sc.list("invgen.idempotency_key")
	if len(names) == 0 {
		return o.primaryKey(path)
	}
	n := o.sc.node("invgen.idempotency_key")
	o.from(path, n)
	if n.Kind == yaml.SequenceNode {
		for i, item := range n.Content {
			o.from(fmt.Sprintf("%s[%d]", path, i), item)
		}
	}
	for i, k := range names {
		for _, c := range o.cols {
			if c.odcsName == k {
				names[i] = c.out.Name
			}
		}
	}
	return names
}

// primaryKey returns the primaryKey properties' columns in
// primaryKeyPosition order: the key that identifies a row.
func (o *objectConv) primaryKey(path string) []string {
	type key struct {
		col *column
		pos int
	}
	var keys []key
	for i := range o.cols {
		c := &o.cols[i]
		if !isTrue(c.node, "primaryKey") {
			continue
		}
		pos, err := strconv.Atoi(text(c.node, "primaryKeyPosition"))
		if err != nil || pos < 1 {
			pos = 1 << 30 // unstated: after the stated ones, in property order
		}
		keys = append(keys, key{c, pos})
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i].pos < keys[j].pos })
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.col.out.Name
		o.from(fmt.Sprintf("%s[%d]", path, i), get(k.col.node, "primaryKey"))
	}
	if len(keys) > 0 {
		o.from(path, get(keys[0].col.node, "primaryKey"))
	}
	return out
}
