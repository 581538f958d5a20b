// Package odcs converts Open Data Contract Standard (ODCS v3.x) contracts
// into invgen contracts.
//
// ODCS describes a table's schema, SLA and team well, but not what invgen
// needs to find phantom stock: which quantity a number means, its unit,
// grain, timezone and idempotency key. Those are carried in ODCS's own
// extension point, customProperties, under names starting with "invgen.".
// When a required answer is absent, Convert says exactly which one and
// where to put it instead of guessing, because a guessed unit or timezone
// is precisely how phantom stock starts. A wrong answer is reported too,
// by invgen's own contract checks, at the line of the ODCS file that gave
// it; an invgen.* property invgen does not read, misspelt or in the wrong
// place, is an error rather than silently ignored.
//
// The vocabulary, on the contract (applies to every object), on a schema
// object (overrides the contract), or on a property:
//
//	invgen.source            object    source name (default: the object's name)
//	invgen.system            object    system of record: erp, wms, storefront, ...
//	invgen.feed              object    what one row is: movements, positions, ...
//	invgen.owner             object    owner's email (default: the team member
//	                                   whose role is owner, if an email)
//	invgen.database          object    relation database (default: the
//	                                   server's database, catalog or project)
//	invgen.schema            object    relation schema (default: the server's
//	                                   schema or dataset)
//	invgen.quantity_field    object    on_hand, available_to_promise, in_transit
//	invgen.quantity_uom      object    eaches, inners, cases, pallets
//	invgen.movement_grain    object    per-transaction, per-day-summary
//	invgen.timezone          object    the business timezone, IANA name (default:
//	                                   the event time's defaultTimezone)
//	invgen.event_time_basis  object    local or utc (default: as ODCS reads the
//	                                   event time, below)
//	invgen.idempotency_key   object    list or comma-separated property names
//	                                   (default: the primaryKey properties)
//	invgen.adjustment_sign   object    as_reported, inverted
//	invgen.control_totals    object    completeness: the control_totals source
//	invgen.min_ratio         object    completeness: the minimum ratio
//	invgen.notify            object    list or comma-separated rotas
//	invgen.role              property  the column's canonical role
//	invgen.values            property  a mapping of producer codes to canonical
//	                                   values (movement_type, disposition, ...)
//
// The server is the document's only one, or the one Options.Server names;
// a document listing several servers without that choice has no default
// schema, and says so with the list of its servers. invgen.min_ratio
// without invgen.control_totals is reported, not dropped.
//
// The event time is read as ODCS defines its logicalTypeOptions: with
// timezone: true each value carries its offset and is an instant (basis
// utc); without, it is wall-clock time in its defaultTimezone (basis
// local), and ODCS takes that to be UTC when none is given (basis utc).
// The business timezone is never assumed from that default: it is
// invgen.timezone or the defaultTimezone, else reported missing.
//
// The freshness SLA comes from slaProperties: a latency (or freshness)
// property with value and unit, whose element names the object or one of
// its properties (or only the property, in a contract of one object), or
// which names no element. Columns are the properties' physical names;
// types come from physicalType when invgen knows the spelling and from
// logicalType otherwise.
package odcs
