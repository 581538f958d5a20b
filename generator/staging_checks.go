package generator

import (
	"fmt"
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// check lists the contract violations a row can have, most fundamental
// first; a row is quarantined with the first that applies.
func (p *stagingPlan) check() {
	con := p.contract
	for _, group := range c.RequiredRoles(con.Feed) {
		p.requireGroup(group)
	}
	if con.Has(c.RoleUOM) {
		p.requireCode(c.RoleUOM)
	}
	if p.conversion != nil {
		p.add("each_per_uom is null", "no eaches conversion for the sku")
	}
	if con.Feed == c.FeedMovements {
		p.add("quantity_reported < 0 and movement_type <> 'adjustment'",
			"negative quantity for a directional movement")
	}
	p.requireKey()
}

func (p *stagingPlan) add(cond, reason string) {
	for _, ch := range p.checks {
		if ch.Condition == cond {
			return
		}
	}
	p.checks = append(p.checks, checkView{Condition: cond, Reason: reason})
}

// requireGroup insists on one role of a group of alternatives; with a
// single role present the check is that role's own.
func (p *stagingPlan) requireGroup(group []c.Role) {
	var present []c.Role
	for _, r := range group {
		if p.contract.Has(r) {
			present = append(present, r)
		}
	}
	if len(present) == 1 {
		p.require(present[0])
		return
	}

	conds := make([]string, len(present))
	names := make([]string, len(present))
	for i, r := range present {
		conds[i] = canonicalName(p.contract, r) + " is null"
		names[i] = string(r)
	}
	p.add(strings.Join(conds, " and "), "missing "+strings.Join(names, " and "))
}

func (p *stagingPlan) require(r c.Role) {
	if r.Coded() {
		p.requireCode(r)
		return
	}
	p.add(canonicalName(p.contract, r)+" is null", "missing "+string(r))
}

// requireCode separates a missing code from one the contract does not map.
func (p *stagingPlan) requireCode(r c.Role) {
	p.add(string(r)+"_code is null", "missing "+string(r))
	p.add(string(r)+" is null", "unmapped "+string(r)+" code")
}

func (p *stagingPlan) requireKey() {
	for _, name := range p.contract.Semantics.IdempotencyKey {
		col := columnNamed(p.contract, name)
		a := alias(p.contract, col)
		p.add(a+" is null", fmt.Sprintf("missing idempotency key column %s", col.Name))
	}
}

// canonicalName is the column a role has after renaming and derivation.
func canonicalName(con *c.Contract, r c.Role) string {
	if r == c.RoleQuantity {
		return "quantity_reported"
	}
	if col, ok := con.Column(r); ok {
		return alias(con, col)
	}
	return string(r)
}

func columnNamed(con *c.Contract, name string) c.Column {
	for _, col := range con.Columns {
		if col.Name == name {
			return col
		}
	}
	return c.Column{Name: name}
}

// dedupe ranks rows that share an idempotency key; only the first reaches
// the staging model. Ties break on when the row landed, then on every other
// column, so the same input always keeps the same row.
func (p *stagingPlan) dedupe() {
	con := p.contract
	inKey := map[string]bool{}
	for _, name := range con.Semantics.IdempotencyKey {
		a := alias(con, columnNamed(con, name))
		p.key = append(p.key, a)
		inKey[a] = true
	}
	if len(p.key) == 0 {
		return
	}

	if con.Has(c.RoleLoadedAt) {
		p.order = append(p.order, "loaded_at")
		inKey["loaded_at"] = true
	}
	for _, col := range con.Columns {
		if a := alias(con, col); !inKey[a] {
			p.order = append(p.order, a)
		}
	}
}
