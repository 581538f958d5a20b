// Package synth synthesises a consistent inventory estate from contracts: one
// physical truth (stock, movements, refunds, availability) rendered into the
// raw rows of every source, in each source's own units, codes, timezone and
// grain.
//
// Because every source is rendered from the same truth, a clean estate
// reconciles exactly, so the generated checks can be proven silent on it; and
// because the truth is known, a single injected fault has a known break
// quantity and value, so each check can be proven to catch it. The clean
// estate also carries the traps that must stay silent: movements within an
// hour of local midnight, quantities in cases, exact replays under the same
// idempotency key, sub-unit noise within tolerance, refunds inside grace
// (one on its last day) and a day short of its control total within
// min_ratio. Faults sit just past the boundaries those traps sit just
// inside, and on dates whose cost is neither a SKU's first nor its latest.
//
// Everything is deterministic for a seed.
package synth
