// Package contractdiff compares two versions of a folder of contracts and
// says which changes break the data's consumers.
//
// A contract freezes an interface only if a producer's change to it is
// judged before it merges. The judgement is about meaning, not text: a
// column's role, the quantity it states, its unit, grain and timezone are
// what the generated reconciliations rely on, so changing any of them
// silently corrupts every check downstream even when the YAML still
// validates. Widening a type or adding an optional column, by contrast,
// costs consumers nothing.
//
// The rules, each with a stable code:
//
//   - breaking: a source that a reconciliation reads is removed
//     (source-removed); relation, system or feed changed; a column removed
//     (column-removed, with "renamed to X?" when an added column takes its
//     role or type); a type narrowed or changed to another kind of value;
//     a role changed or dropped; a values code removed or remapped; any of
//     quantity_field, quantity_uom, movement_grain, timezone,
//     event_time_basis, adjustment_sign or the idempotency key changed; the
//     freshness SLA lengthened or dropped; completeness loosened, pointed at
//     another control total, or dropped.
//   - compatible: a source added, or removed when no reconciliation reads
//     it; a column added (one with a role is noted: the staging model now
//     reads it); a type widened; a role given to a column that had none; a
//     values code added; the SLA or completeness tightened or added; owner,
//     description or notify changed.
//
// Values are compared as staging reads them, so spelling out a default is
// no change: an unset event_time_basis is local, adjustment_sign
// as_reported, a movement feed's quantity_field on_hand, min_ratio 1.
//
// Sources match by name, not by file, so moving a contract to another file
// is no change; renaming a source is a removal and an addition.
package contractdiff
