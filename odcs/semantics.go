package odcs

import (
	"fmt"

	"github.com/invgen/invgen/contracts"
)

// semantics gathers the answers that cause phantom stock when guessed, and
// reports each one the feed needs but the document does not give.
func (o *objectConv) semantics(feed contracts.Feed) *semantics {
	s := &semantics{
		QuantityField:  o.custom("semantics.quantity_field", "invgen.quantity_field"),
		QuantityUOM:    o.custom("semantics.quantity_uom", "invgen.quantity_uom"),
		MovementGrain:  o.custom("semantics.movement_grain", "invgen.movement_grain"),
		AdjustmentSign: o.custom("semantics.adjustment_sign", "invgen.adjustment_sign"),
		IdempotencyKey: o.idempotencyKey(),
	}
	o.eventTime(s)

	need := func(ok bool, path, what, property string) {
		if !ok {
			o.missing(path, o.node, what, property)
		}
	}
	hasQty := o.column(contracts.RoleQuantity) != nil
	need(!hasQty || s.QuantityUOM != "" || o.column(contracts.RoleUOM) != nil,
		"semantics.quantity_uom", "the quantity's unit of measure", "invgen.quantity_uom")
	need(feed != contracts.FeedPositions || s.QuantityField != "", "semantics.quantity_field",
		"which stock number the quantity is (on_hand, available_to_promise, in_transit)",
		"invgen.quantity_field")
	if feed != contracts.FeedMovements {
		return s
	}
	need(s.MovementGrain != "", "semantics.movement_grain", "the movement grain "+
		"(per-transaction or per-day-summary)", "invgen.movement_grain")
	need(len(s.IdempotencyKey) > 0, "semantics.idempotency_key", "the idempotency key "+
		"(no property is a primaryKey)", "invgen.idempotency_key")
	need(s.AdjustmentSign != "" || !o.mayAdjust(), "semantics.adjustment_sign", "how "+
		"adjustments are signed (as_reported or inverted)", "invgen.adjustment_sign")
	return s
}

// eventTime answers the business timezone and how event times are stated:
// from invgen.timezone and invgen.event_time_basis where given, else from
// the event time property's logicalTypeOptions as ODCS defines them. A
// timestamp with timezone: true carries its offset, so each value is an
// instant, read as UTC; one without is wall-clock time in its
// defaultTimezone, which ODCS takes to be UTC when none is given. The
// business timezone is never assumed: without invgen.timezone or a
// defaultTimezone it is reported missing.
func (o *objectConv) eventTime(s *semantics) {
	s.Timezone = o.custom("semantics.timezone", "invgen.timezone")
	s.EventTimeBasis = o.custom("semantics.event_time_basis", "invgen.event_time_basis")
	col := o.column(contracts.RoleEventTime)
	if col == nil {
		return
	}
	opts := get(col.node, "logicalTypeOptions")
	def, defNode := text(opts, "defaultTimezone"), get(opts, "defaultTimezone")
	if s.EventTimeBasis == "" {
		s.EventTimeBasis = contracts.BasisLocal
		if isTrue(opts, "timezone") || def == "" {
			s.EventTimeBasis = contracts.BasisUTC
		}
		o.from("semantics.event_time_basis", nodeOr(opts, col.node))
	}
	if s.Timezone == "" && def != "" {
		s.Timezone = def
		o.from("semantics.timezone", defNode)
	}
	switch {
	case s.Timezone == "":
		o.missing("semantics.timezone", col.node, fmt.Sprintf("the business timezone of "+
			"event time %q (or logicalTypeOptions.defaultTimezone on it)", col.out.Name),
			"invgen.timezone")
	case s.EventTimeBasis == contracts.BasisLocal && def != "" && s.Timezone != def:
		o.d.r.add(defNode, "event time %q is local time in %s "+
			"(logicalTypeOptions.defaultTimezone) but invgen.timezone puts business "+
			"dates in %s: invgen reads local times in the business timezone, so make them "+
			"agree or set invgen.event_time_basis", col.out.Name, def, s.Timezone)
	}
}

// mayAdjust reports whether movement types can yield adjustments: a code
// maps to one, or codes pass through unmapped.
func (o *objectConv) mayAdjust() bool {
	col := o.column(contracts.RoleMovementType)
	if col == nil {
		return false
	}
	if len(col.out.Values) == 0 {
		return true
	}
	for _, v := range col.out.Values {
		if v == contracts.MoveAdjustment {
			return true
		}
	}
	return false
}
