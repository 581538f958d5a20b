package contractdiff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/invgen/invgen/contracts"
)

// Compare lists every change from base to head, sorted.
func Compare(base, head *Side) []Change {
	var out []Change
	for _, b := range base.Contracts {
		h := head.contract(b.Source)
		if h == nil {
			out = append(out, removedSource(base, b))
			continue
		}
		p := &pair{base: base, head: head, b: b, h: h}
		p.compare()
		out = append(out, p.changes...)
	}
	for _, h := range head.Contracts {
		if base.contract(h.Source) == nil {
			out = append(out, Change{Pos: head.at(h, "source"), Code: "source-added",
				Msg: fmt.Sprintf("source %s added", h.Source)})
		}
	}
	Sort(out)
	return out
}

// removedSource points at the file where the contract was: the head has
// nothing left to point at.
func removedSource(base *Side, b *contracts.Contract) Change {
	ch := Change{Pos: base.at(b, "source"), Base: base.where(b, "source"),
		Code: "source-removed"}
	if readers := base.readers[b.Source]; len(readers) > 0 {
		ch.Breaking = true
		ch.Msg = fmt.Sprintf("source %s removed, but it is read by %s", b.Source,
			strings.Join(readers, ", "))
		return ch
	}
	ch.Msg = fmt.Sprintf("source %s removed; no reconciliation reads it", b.Source)
	return ch
}

// pair compares one source's base and head contracts.
type pair struct {
	base, head *Side
	b, h       *contracts.Contract
	changes    []Change
}

// add records a change found at headPath in the head contract and basePath
// in the base one; an empty basePath means the base did not have the value.
// When the head no longer has it either, headPath names where it was, and
// the change points at the nearest value the head still has: a line of the
// file under review, where an annotation can land, never a base line that
// means something else in the head.
func (p *pair) add(breaking bool, code, headPath, basePath, format string, args ...any) {
	ch := Change{Breaking: breaking, Code: code, Msg: fmt.Sprintf(format, args...),
		Pos: p.head.at(p.h, headPath)}
	if ch.Pos.Line == 0 {
		ch.Pos = p.head.at(p.h, "source") // the whole file: its first line will do
	}
	if basePath != "" {
		ch.Base = p.base.where(p.b, basePath)
	}
	p.changes = append(p.changes, ch)
}

func (p *pair) compare() {
	p.identity()
	p.columns()
	p.semantics()
	p.freshness()
	p.completeness()
	p.info()
}

// identity compares what decides where the data is and which checks it
// takes part in.
func (p *pair) identity() {
	b, h := p.b, p.h
	if b.Relation != h.Relation {
		p.add(true, "relation-changed", "relation", "relation",
			"relation changed from %s to %s", relation(b.Relation), relation(h.Relation))
	}
	if b.System != h.System {
		p.add(true, "system-changed", "system", "system",
			"system changed from %s to %s: the checks it takes part in change", b.System,
			h.System)
	}
	if b.Feed != h.Feed {
		p.add(true, "feed-changed", "feed", "feed", "feed changed from %s to %s", b.Feed,
			h.Feed)
	}
}

func relation(r contracts.Relation) string {
	parts := []string{r.Schema, r.Table}
	if r.Database != "" {
		parts = append([]string{r.Database}, parts...)
	}
	return strings.Join(parts, ".")
}

// semanticFields are the answers whose change corrupts every check that
// relies on them, compared as each contract means them (with defaults).
var semanticFields = []struct {
	path string
	get  func(*contracts.Contract) string
}{
	{"semantics.quantity_field", (*contracts.Contract).QuantityField},
	{"semantics.quantity_uom", func(c *contracts.Contract) string {
		return c.Semantics.QuantityUOM
	}},
	{"semantics.movement_grain", func(c *contracts.Contract) string {
		return c.Semantics.MovementGrain
	}},
	{"semantics.timezone", func(c *contracts.Contract) string { return c.Semantics.Timezone }},
	{"semantics.event_time_basis", (*contracts.Contract).Basis},
	{"semantics.adjustment_sign", adjustmentSign},
}

// adjustmentSign is the sign as staging applies it: unset reads adjustments
// as reported, so stating as_reported later changes nothing.
func adjustmentSign(c *contracts.Contract) string {
	if c.Semantics.AdjustmentSign == "" {
		return contracts.SignAsReported
	}
	return c.Semantics.AdjustmentSign
}

func (p *pair) semantics() {
	for _, f := range semanticFields {
		bv, hv := f.get(p.b), f.get(p.h)
		if bv == hv {
			continue
		}
		name := strings.TrimPrefix(f.path, "semantics.")
		p.add(true, strings.ReplaceAll(name, "_", "-")+"-changed", f.path, f.path,
			"%s changed from %s to %s", f.path, orUnset(bv), orUnset(hv))
	}
	bk, hk := sortedCopy(p.b.Semantics.IdempotencyKey), sortedCopy(p.h.Semantics.IdempotencyKey)
	if !slices.Equal(bk, hk) {
		p.add(true, "idempotency-key-changed", "semantics.idempotency_key",
			"semantics.idempotency_key", "semantics.idempotency_key changed from [%s] to [%s]",
			strings.Join(bk, ", "), strings.Join(hk, ", "))
	}
}

func orUnset(s string) string {
	if s == "" {
		return "(unset)"
	}
	return s
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
