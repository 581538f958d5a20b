package generator

import (
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// canonicalOrder is the column order of every staging model: keys first,
// then what and where, when, what happened, how much, and lineage last.
var canonicalOrder = []string{
	"movement_id", "refund_id", "sku", "location_id", "channel", "location_class",
	"location_class_code", "business_date", "event_time", "event_time_utc",
	"movement_type", "movement_type_code", "disposition", "disposition_code",
	"quantity", "quantity_reported", "uom", "uom_code", "each_per_uom", "on_hand_effect",
	"unit_cost", "valid_from", "row_count", "loaded_at",
}

// derivedDocs documents the columns staging derives rather than renames.
var derivedDocs = func() map[string]string {
	docs := map[string]string{}
	for _, d := range c.DerivedColumns() {
		if d.Doc != "" {
			docs[d.Name] = d.Doc
		}
	}
	return docs
}()

// stagedColumns lists the staging model's columns in canonical order, then
// the columns without a role in contract order.
func stagedColumns(con *c.Contract, converted bool) []stagedColumn {
	present := map[string]string{}
	for _, col := range con.Columns {
		if col.Role == "" {
			continue
		}
		present[string(col.Role)] = c.DescribeRole(col.Role)
		if col.Role.Coded() {
			present[string(col.Role)+"_code"] = ""
		}
	}
	addDerived(con, present, converted)

	var out []stagedColumn
	for _, name := range canonicalOrder {
		doc, ok := present[name]
		if !ok {
			continue
		}
		if d, derived := derivedDocs[name]; derived {
			doc = d
		}
		out = append(out, stagedColumn{name: name, doc: capitalise(doc)})
	}
	for _, col := range con.Columns {
		if col.Role == "" {
			out = append(out, stagedColumn{name: alias(con, col), doc: col.Description})
		}
	}
	return out
}

func addDerived(con *c.Contract, present map[string]string, converted bool) {
	if con.Has(c.RoleQuantity) {
		present["quantity_reported"] = ""
		present["uom"] = ""
	}
	if con.Has(c.RoleEventTime) {
		present["event_time_utc"] = ""
		if !con.Has(c.RoleBusinessDate) {
			present["business_date"] = ""
		}
	}
	if converted {
		present["each_per_uom"] = ""
	}
	if con.Feed == c.FeedMovements {
		present["on_hand_effect"] = ""
	}
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
