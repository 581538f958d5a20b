package contractdiff

import (
	"fmt"
	"sort"

	"github.com/invgen/invgen/contracts"
)

// columns matches columns by name: a renamed column is a removed one and an
// added one, because every consumer reading the old name breaks.
func (p *pair) columns() {
	added := map[string]int{}
	for i, col := range p.h.Columns {
		if columnIndex(p.b, col.Name) < 0 {
			added[col.Name] = i
		}
	}
	for bi, bcol := range p.b.Columns {
		hi := columnIndex(p.h, bcol.Name)
		if hi < 0 {
			p.removedColumn(bi, bcol, added)
			continue
		}
		p.column(bi, hi)
	}
	for _, i := range sortedIndexes(added) {
		col := p.h.Columns[i]
		at := fmt.Sprintf("columns[%d]", i)
		if col.Role != "" {
			p.add(false, "column-added", at, "", "column %s added with role %s: the "+
				"staging model now reads it, so the producer must deliver it", col.Name,
				col.Role)
			continue
		}
		p.add(false, "column-added", at, "", "column %s added", col.Name)
	}
}

func columnIndex(c *contracts.Contract, name string) int {
	for i, col := range c.Columns {
		if col.Name == name {
			return i
		}
	}
	return -1
}

func sortedIndexes(m map[string]int) []int {
	out := make([]int, 0, len(m))
	for _, i := range m {
		out = append(out, i)
	}
	sort.Ints(out)
	return out
}

func (p *pair) removedColumn(bi int, col contracts.Column, added map[string]int) {
	msg := fmt.Sprintf("column %s removed", col.Name)
	if to := p.renamedTo(col, added); to != "" {
		msg += fmt.Sprintf(" (renamed to %s?)", to)
	}
	p.add(true, "column-removed", p.nearestRemaining(bi), fmt.Sprintf("columns[%d]", bi),
		"%s", msg)
}

// nearestRemaining is where in the head a removed base column was: at the
// first column after it in the base that the head still has, which now
// stands where it stood, else at the last one before it, else at columns.
func (p *pair) nearestRemaining(bi int) string {
	for i := bi + 1; i < len(p.b.Columns); i++ {
		if hi := columnIndex(p.h, p.b.Columns[i].Name); hi >= 0 {
			return fmt.Sprintf("columns[%d]", hi)
		}
	}
	for i := bi - 1; i >= 0; i-- {
		if hi := columnIndex(p.h, p.b.Columns[i].Name); hi >= 0 {
			return fmt.Sprintf("columns[%d]", hi)
		}
	}
	return "columns"
}

// renamedTo guesses the added column a removed one became: the one that
// took its role, or else the only one of its type without a role.
func (p *pair) renamedTo(col contracts.Column, added map[string]int) string {
	var sameType []string
	for _, i := range sortedIndexes(added) {
		h := p.h.Columns[i]
		if col.Role != "" && h.Role == col.Role {
			return h.Name
		}
		if col.Role == "" && h.Role == "" && sameTypes(col.Type, h.Type) {
			sameType = append(sameType, h.Name)
		}
	}
	if len(sameType) == 1 {
		return sameType[0]
	}
	return ""
}

func sameTypes(a, b string) bool {
	ta, errA := contracts.ParseType(a)
	tb, errB := contracts.ParseType(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return ta == tb
}

// column compares one column present on both sides.
func (p *pair) column(bi, hi int) {
	b, h := p.b.Columns[bi], p.h.Columns[hi]
	bat, hat := fmt.Sprintf("columns[%d]", bi), fmt.Sprintf("columns[%d]", hi)
	p.columnType(b, h, bat, hat)
	switch {
	case b.Role == h.Role:
	case h.Role == "":
		p.add(true, "role-removed", hat, bat+".role", "column %s lost role %s", b.Name, b.Role)
	case b.Role == "":
		p.add(false, "role-added", hat+".role", bat, "column %s given role %s", b.Name,
			h.Role)
	default:
		p.add(true, "role-changed", hat+".role", bat+".role",
			"column %s role changed from %s to %s", b.Name, b.Role, h.Role)
	}
	p.codes(b, h, bat, hat)
	if b.Description != h.Description {
		p.add(false, "description-changed", hat, bat, "column %s description changed",
			b.Name)
	}
}

func (p *pair) columnType(b, h contracts.Column, bat, hat string) {
	bt, errB := contracts.ParseType(b.Type)
	ht, errH := contracts.ParseType(h.Type)
	if errB != nil || errH != nil {
		if b.Type != h.Type {
			p.add(true, "type-changed", hat+".type", bat+".type",
				"column %s type changed from %s to %s", b.Name, b.Type, h.Type)
		}
		return
	}
	// The message quotes the contracts as written: the normalised type
	// drops a length or a width, which may be the whole change.
	switch compareTypes(bt, ht) {
	case widened:
		p.add(false, "type-widened", hat+".type", bat+".type",
			"column %s type widened from %s to %s", b.Name, b.Type, h.Type)
	case narrowed:
		p.add(true, "type-narrowed", hat+".type", bat+".type",
			"column %s type narrowed from %s to %s", b.Name, b.Type, h.Type)
	case otherKind:
		p.add(true, "type-changed", hat+".type", bat+".type",
			"column %s type changed from %s to %s, another kind of value", b.Name, b.Type,
			h.Type)
	}
}

// codes compares a column's values map: a code removed or sent elsewhere
// turns rows that were receipts into something else, or into violations.
func (p *pair) codes(b, h contracts.Column, bat, hat string) {
	for _, code := range b.Codes() {
		bpath := bat + ".values." + code.Code
		to, ok := h.Values[code.Code]
		switch {
		case !ok:
			p.add(true, "code-removed", hat+".values", bpath,
				"column %s code %s (%s) removed", b.Name, code.Code, code.Value)
		case to != code.Value:
			p.add(true, "code-remapped", hat+".values."+code.Code, bpath,
				"column %s code %s remapped from %s to %s", b.Name, code.Code, code.Value, to)
		}
	}
	for _, code := range h.Codes() {
		if _, ok := b.Values[code.Code]; !ok {
			p.add(false, "code-added", hat+".values."+code.Code, "",
				"column %s code %s (%s) added", b.Name, code.Code, code.Value)
		}
	}
}
