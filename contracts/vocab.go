package contracts

// Feed says what one row of a source is. It decides which roles a contract
// must map and which reconciliation checks the source can take part in.
type Feed string

// The feeds of DOMAIN.md.
const (
	FeedMovements      Feed = "movements"
	FeedPositions      Feed = "positions"
	FeedAvailability   Feed = "availability"
	FeedRefunds        Feed = "refunds"
	FeedDispositions   Feed = "dispositions"
	FeedCosts          Feed = "costs"
	FeedUOMConversions Feed = "uom_conversions"
	FeedLocations      Feed = "locations"
	FeedCycleCounts    Feed = "cycle_counts"
	FeedControlTotals  Feed = "control_totals"
)

// Role is the canonical meaning of a column. Staging models rename every
// column with a role to the role's name, so downstream SQL never depends on
// a producer's spelling.
type Role string

// The column roles.
const (
	RoleSKU           Role = "sku"
	RoleLocationID    Role = "location_id"
	RoleChannel       Role = "channel"
	RoleQuantity      Role = "quantity"
	RoleMovementType  Role = "movement_type"
	RoleMovementID    Role = "movement_id"
	RoleRefundID      Role = "refund_id"
	RoleDisposition   Role = "disposition"
	RoleEventTime     Role = "event_time"
	RoleBusinessDate  Role = "business_date"
	RoleLoadedAt      Role = "loaded_at"
	RoleUOM           Role = "uom"
	RoleEachPerUOM    Role = "each_per_uom"
	RoleUnitCost      Role = "unit_cost"
	RoleValidFrom     Role = "valid_from"
	RoleLocationClass Role = "location_class"
	RoleRowCount      Role = "row_count"
)

// feedRule lists the roles a feed needs and the ones it may carry. A group
// of alternatives (event_time or business_date) is one slice entry.
type feedRule struct {
	feed     Feed
	doc      string
	required [][]Role
	optional []Role
}

// feedRules is the table of DOMAIN.md's feeds, in the order it lists them.
var feedRules = []feedRule{
	{FeedMovements, "one stock movement",
		roles(RoleSKU, RoleLocationID, RoleQuantity, RoleMovementType,
			alt(RoleEventTime, RoleBusinessDate)),
		[]Role{RoleMovementID, RoleEventTime, RoleBusinessDate, RoleUOM, RoleLoadedAt}},
	{FeedPositions, "a stock level at a point in time (on-hand or ATP, per quantity_field)",
		roles(RoleSKU, RoleLocationID, RoleQuantity, alt(RoleEventTime, RoleBusinessDate)),
		[]Role{RoleEventTime, RoleBusinessDate, RoleUOM, RoleLoadedAt}},
	{FeedAvailability, "what the storefront shows as available",
		roles(RoleSKU, alt(RoleLocationID, RoleChannel), RoleQuantity, RoleEventTime),
		[]Role{RoleLocationID, RoleChannel, RoleLoadedAt}},
	{FeedRefunds, "a refunded return line",
		roles(RoleRefundID, RoleSKU, RoleQuantity, RoleEventTime),
		[]Role{RoleLocationID, RoleChannel, RoleUOM, RoleLoadedAt}},
	{FeedDispositions, "what happened to a returned unit: restock, scrap, lost",
		roles(RoleRefundID, RoleDisposition, RoleQuantity, RoleEventTime),
		[]Role{RoleSKU, RoleLocationID, RoleUOM, RoleLoadedAt}},
	{FeedCosts, "a unit cost, optionally dated",
		roles(RoleSKU, RoleUnitCost),
		[]Role{RoleValidFrom, RoleLoadedAt}},
	{FeedUOMConversions, "eaches per unit of measure per SKU",
		roles(RoleSKU, RoleUOM, RoleEachPerUOM),
		[]Role{RoleLoadedAt}},
	{FeedLocations, "a location and its class (store, dc, kit_build, ...)",
		roles(RoleLocationID, RoleLocationClass),
		[]Role{RoleLoadedAt}},
	{FeedCycleCounts, "a physical count",
		roles(RoleSKU, RoleLocationID, RoleQuantity, alt(RoleEventTime, RoleBusinessDate)),
		[]Role{RoleEventTime, RoleBusinessDate, RoleUOM, RoleLoadedAt}},
	{FeedControlTotals, "a producer's own daily total",
		roles(RoleBusinessDate, RoleRowCount),
		[]Role{RoleLoadedAt}},
}

func roles(groups ...any) [][]Role {
	out := make([][]Role, len(groups))
	for i, g := range groups {
		switch g := g.(type) {
		case Role:
			out[i] = []Role{g}
		case []Role:
			out[i] = g
		}
	}
	return out
}

func alt(rs ...Role) []Role { return rs }

// ruleFor returns the rule of a feed, or false for a feed invgen does not know.
func ruleFor(f Feed) (feedRule, bool) {
	for _, r := range feedRules {
		if r.feed == f {
			return r, true
		}
	}
	return feedRule{}, false
}

// allows reports whether a column of role r may appear in feed f.
func (r feedRule) allows(role Role) bool {
	for _, g := range r.required {
		for _, x := range g {
			if x == role {
				return true
			}
		}
	}
	for _, x := range r.optional {
		if x == role {
			return true
		}
	}
	return false
}

// roleRule describes a role: the type family its column must have and, for
// roles whose codes differ between producers, the canonical values a
// `values` map may translate codes to.
type roleRule struct {
	role   Role
	family typeFamily
	doc    string

	// codes says whether a values map may translate producer codes; when
	// canonical is empty, any identifier is a valid translation.
	codes     bool
	canonical []string
}

// Canonical movement types, disposition outcomes and units of measure.
const (
	MoveReceipt       = "receipt"
	MoveShipment      = "shipment"
	MoveAdjustment    = "adjustment"
	MoveReturnRestock = "return_restock"
	MoveTransferIn    = "transfer_in"
	MoveTransferOut   = "transfer_out"

	DispositionRestock = "restock"
	DispositionScrap   = "scrap"
	DispositionLost    = "lost"

	UOMEaches = "eaches"
)

// movementTypes are the canonical movement types, each with its effect on
// on-hand: +1 adds, -1 subtracts, 0 means signed as the source defines.
var movementTypes = []struct {
	name   string
	effect int
}{
	{MoveReceipt, 1},
	{MoveReturnRestock, 1},
	{MoveTransferIn, 1},
	{MoveShipment, -1},
	{MoveTransferOut, -1},
	{MoveAdjustment, 0},
}

// UOMs are the canonical units of measure a quantity may be stated in.
var UOMs = []string{UOMEaches, "inners", "cases", "pallets"}

var roleRules = []roleRule{
	{RoleSKU, familyString, "the stock-keeping unit", false, nil},
	{RoleLocationID, familyString, "the store, DC or other location holding stock",
		false, nil},
	{RoleChannel, familyString, "the sales channel a storefront shows availability for",
		false, nil},
	{RoleQuantity, familyNumber, "the quantity; its meaning and unit come from semantics",
		false, nil},
	{RoleMovementType, familyString, "the movement's type code, mapped through values",
		true, movementTypeNames()},
	{RoleMovementID, familyKey, "the producer's id of a movement", false, nil},
	{RoleRefundID, familyKey, "the id of a refunded return line", false, nil},
	{RoleDisposition, familyString, "the fate of a returned unit, mapped through values",
		true, []string{DispositionRestock, DispositionScrap, DispositionLost}},
	{RoleEventTime, familyTimestamp,
		"when it happened; local time or UTC per semantics.event_time_basis", false, nil},
	{RoleBusinessDate, familyDate, "the business date the producer assigned", false, nil},
	{RoleLoadedAt, familyTimestamp, "when the loader landed the row; drives freshness",
		false, nil},
	{RoleUOM, familyString, "the row's unit of measure, mapped through values", true, UOMs},
	{RoleEachPerUOM, familyNumber, "eaches in one unit of the row's uom", false, nil},
	{RoleUnitCost, familyNumber, "the cost of one each, in the project currency", false, nil},
	{RoleValidFrom, familyDate, "the first business date a cost applies to", false, nil},
	{RoleLocationClass, familyString, "the location's class: store, dc, kit_build, ...",
		true, nil},
	{RoleRowCount, familyNumber, "the producer's own count of rows for the date",
		false, nil},
}

func movementTypeNames() []string {
	names := make([]string, len(movementTypes))
	for i, m := range movementTypes {
		names[i] = m.name
	}
	return names
}

// roleRuleFor returns the rule of a role, or false for an unknown role.
func roleRuleFor(r Role) (roleRule, bool) {
	for _, rr := range roleRules {
		if rr.role == r {
			return rr, true
		}
	}
	return roleRule{}, false
}

// MovementEffect returns the sign a canonical movement type applies to
// on-hand: +1, -1, or 0 for adjustments, which carry their own sign.
func MovementEffect(movementType string) int {
	for _, m := range movementTypes {
		if m.name == movementType {
			return m.effect
		}
	}
	return 0
}

// MovementTypes returns the canonical movement types in a fixed order.
func MovementTypes() []string { return movementTypeNames() }

// Quantity fields: which stock number a position or movement quantity means.
const (
	QuantityOnHand    = "on_hand"
	QuantityATP       = "available_to_promise"
	QuantityInTransit = "in_transit"
)

// Movement grains.
const (
	GrainTransaction = "per-transaction"
	GrainDaySummary  = "per-day-summary"
)

// Event time bases.
const (
	BasisLocal = "local"
	BasisUTC   = "utc"
)

// Adjustment sign conventions.
const (
	SignAsReported = "as_reported"
	SignInverted   = "inverted"
)

// Systems that invgen knows by name. Others are allowed: the system only
// needs to be an identifier, but parity is inferred between these two.
const (
	SystemERP        = "erp"
	SystemWMS        = "wms"
	SystemStorefront = "storefront"
)

func feedNames() []string {
	names := make([]string, len(feedRules))
	for i, r := range feedRules {
		names[i] = string(r.feed)
	}
	return names
}

func roleNames() []string {
	names := make([]string, len(roleRules))
	for i, r := range roleRules {
		names[i] = string(r.role)
	}
	return names
}

// DescribeRole returns the one-line description of a role, for generated
// documentation.
func DescribeRole(r Role) string {
	if rr, ok := roleRuleFor(r); ok {
		return rr.doc
	}
	return ""
}

// Coded reports whether a values map may translate producer codes of the
// role into canonical values.
func (r Role) Coded() bool {
	rr, ok := roleRuleFor(r)
	return ok && rr.codes
}

// RequiredRoles returns the role groups a feed needs; a group with several
// roles needs any one of them.
func RequiredRoles(f Feed) [][]Role {
	rule, _ := ruleFor(f)
	return rule.required
}
