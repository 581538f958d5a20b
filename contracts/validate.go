package contracts

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // timezones validate the same on machines without tzdata
)

// validateEstate checks every contract and then what only the estate as a
// whole can answer: unique names, references between sources, conversion
// paths and the project's check pairs.
func validateEstate(e *Estate, rep *reporter) {
	for _, c := range e.Contracts {
		validateContract(c, rep)
	}
	uniqueSources(e, rep)
	singletonFeeds(e, rep)
	for _, c := range e.Contracts {
		checkCompleteness(e, c, rep)
		checkConversionPath(e, c, rep)
	}
	validateProject(e, rep)
}

// validateContract checks what one contract can answer by itself.
func validateContract(c *Contract, rep *reporter) {
	checkNames(c, rep)
	checkColumns(c, rep)
	checkFeedRoles(c, rep)
	checkOwner(c, rep)
	checkSemantics(c, rep)
	checkDelivery(c, rep)
	checkNotify(c, rep)
	checkFreeText(c, rep)
}

var (
	nameRe   = regexp.MustCompile(namePattern)
	columnRe = regexp.MustCompile(columnPattern)
	emailRe  = regexp.MustCompile(emailPattern)
	notifyRe = regexp.MustCompile(notifyPattern)
)

// emailPattern is what passes for an email address: something, an at sign,
// a domain with a dot. White space is Go's \s spelled out, so that the JSON
// Schema's ECMAScript regex means the same.
const emailPattern = `^[^@\t\n\f\r ]+@[^@\t\n\f\r ]+\.[A-Za-z]{2,}$`

// notifyPattern is who may be notified: an email address or a rota name
// (producer, the owner, is one of those).
const notifyPattern = emailPattern + `|^[a-z0-9][a-z0-9._-]*$`

func checkNames(c *Contract, rep *reporter) {
	checkName(c, "source", c.Source, rep)
	checkName(c, "system", c.System, rep)
	checkName(c, "relation.schema", c.Relation.Schema, rep)
	checkName(c, "relation.table", c.Relation.Table, rep)
	if c.Relation.Database != "" {
		checkName(c, "relation.database", c.Relation.Database, rep)
	}
}

// checkName refuses names that would need quoting on some warehouse: upper
// case folds differently on Snowflake and Postgres, and keywords break SQL.
func checkName(c *Contract, path, name string, rep *reporter) {
	if name == "" {
		return // a missing value is reported by the shape walk
	}
	if !nameRe.MatchString(name) {
		rep.add(c.Pos(path), "%s: %q is not a safe SQL name: use lower-case letters, "+
			"digits and underscores, not starting with a digit", path, name)
		return
	}
	if reserved[name] {
		rep.add(c.Pos(path), "%s: %q is a reserved SQL word", path, name)
	}
	checkLength(c, path, name, rep)
}

// checkLength refuses a SQL name longer than every target keeps whole and,
// for a source, one whose longest derived relation name would be.
func checkLength(c *Contract, path, name string, rep *reporter) {
	if len(name) > MaxNameLength {
		rep.add(c.Pos(path), "%s: %q is %d characters, over the %d a SQL name may have "+
			"(PostgreSQL cuts longer names short)", path, name, len(name), MaxNameLength)
		return
	}
	if path != "source" {
		return
	}
	names := sourceRelations(name)
	longest := names[len(names)-1]
	if len(longest) > MaxNameLength {
		rep.add(c.Pos(path), "%s: %q is %d characters, so %s, a name invgen derives from "+
			"it, is %d, over the %d a SQL name may have (PostgreSQL cuts longer names short): "+
			"use at most %d characters", path, name, len(name), longest, len(longest),
			MaxNameLength, MaxNameLength-(len(longest)-len(name)))
	}
}

func checkOwner(c *Contract, rep *reporter) {
	if c.Owner != "" && !emailRe.MatchString(c.Owner) {
		rep.add(c.Pos("owner"), "owner: %q is not an email address: name a person "+
			"who answers for the feed", c.Owner)
	}
}

func checkNotify(c *Contract, rep *reporter) {
	for i, n := range c.OnViolation.Notify {
		if notifyRe.MatchString(n) {
			continue
		}
		path := fmt.Sprintf("on_violation.notify[%d]", i)
		rep.add(c.Pos(path), "%s: %q is not producer, an email address or a rota name",
			path, n)
	}
}

func checkColumns(c *Contract, rep *reporter) {
	names := map[string]int{}
	roles := map[Role]int{}
	for i, col := range c.Columns {
		path := fmt.Sprintf("columns[%d]", i)
		checkColumnName(c, path, col, names, i, rep)
		checkColumnRole(c, path, col, roles, i, rep)
		checkColumnType(c, path, col, rep)
		checkValues(c, path, col, rep)
	}
	checkCollisions(c, rep)
}

func checkColumnName(c *Contract, path string, col Column, seen map[string]int,
	i int, rep *reporter) {
	if col.Name == "" {
		return
	}
	if !columnRe.MatchString(col.Name) {
		rep.add(c.Pos(path+".name"), "%s.name: %q is not a safe SQL name: use letters, "+
			"digits and underscores, not starting with a digit", path, col.Name)
	} else if reserved[strings.ToLower(col.Name)] {
		rep.add(c.Pos(path+".name"), "%s.name: %q is a reserved SQL word", path, col.Name)
	} else {
		checkLength(c, path+".name", col.Name, rep)
	}

	key := strings.ToLower(col.Name)
	if first, dup := seen[key]; dup {
		rep.add(c.Pos(path+".name"), "%s.name: column %q is declared twice (first at %s)",
			path, col.Name, c.Pos(fmt.Sprintf("columns[%d].name", first)))
		return
	}
	seen[key] = i
}

func checkColumnRole(c *Contract, path string, col Column, seen map[Role]int, i int,
	rep *reporter) {
	if col.Role == "" {
		return
	}
	if _, ok := roleRuleFor(col.Role); !ok {
		return // the shape walk reported the unknown role
	}

	if first, dup := seen[col.Role]; dup {
		rep.add(c.Pos(path+".role"), "%s.role: role %s is already given to column %q",
			path, col.Role, c.Columns[first].Name)
		return
	}
	seen[col.Role] = i

	if rule, ok := ruleFor(c.Feed); ok && !rule.allows(col.Role) {
		rep.add(c.Pos(path+".role"), "%s.role: role %s has no meaning in %s",
			path, col.Role, aFeed(c.Feed))
	}
}

func checkColumnType(c *Contract, path string, col Column, rep *reporter) {
	if col.Type == "" {
		return
	}
	t, err := ParseType(col.Type)
	if err != nil {
		rep.add(c.Pos(path+".type"), "%s.type: %v", path, err)
		return
	}

	rule, ok := roleRuleFor(col.Role)
	if ok && !rule.family.accepts(t) {
		rep.add(c.Pos(path+".type"), "%s.type: column %q has role %s, which needs %s, "+
			"not %s", path, col.Name, col.Role, rule.family, col.Type)
	}
}

func checkValues(c *Contract, path string, col Column, rep *reporter) {
	if len(col.Values) == 0 {
		return
	}
	rule, ok := roleRuleFor(col.Role)
	if !ok || !rule.codes {
		rep.add(c.Pos(path+".values"), "%s.values: a values map needs role movement_type, "+
			"disposition, uom or location_class, not %s", path, roleOrNone(col.Role))
		return
	}

	for _, code := range col.Codes() {
		vpath := path + ".values." + code.Code
		checkCode(c, vpath, rule, code.Value, rep)
	}
}

func checkCode(c *Contract, path string, rule roleRule, value string, rep *reporter) {
	if len(rule.canonical) == 0 {
		if !nameRe.MatchString(value) {
			rep.add(c.Pos(path), "%s: %q is not a safe %s name", path, value, rule.role)
		}
		return
	}
	if contains(rule.canonical, value) {
		return
	}
	msg := fmt.Sprintf("%s: %q is not a %s (one of %s)", path, value, rule.role,
		quoteList(rule.canonical))
	if best := suggest(value, rule.canonical); best != "" {
		msg += fmt.Sprintf("; did you mean %q?", best)
	}
	rep.add(c.Pos(path), "%s", msg)
}

func roleOrNone(r Role) string {
	if r == "" {
		return "a column without a role"
	}
	return "role " + string(r)
}

// checkCollisions refuses a raw column without a role whose name the staging
// model gives to a canonical column.
func checkCollisions(c *Contract, rep *reporter) {
	canonical := map[string]bool{}
	for _, col := range c.Columns {
		if col.Role != "" {
			canonical[string(col.Role)] = true
		}
	}

	for i, col := range c.Columns {
		name := strings.ToLower(col.Name)
		if col.Role == "" && (canonical[name] || isDerived(name)) {
			path := fmt.Sprintf("columns[%d].name", i)
			rep.add(c.Pos(path), "%s: column %q has no role but its name is one the "+
				"staging model derives; give it that role or rename it", path, col.Name)
		}
	}
}

func checkFeedRoles(c *Contract, rep *reporter) {
	rule, ok := ruleFor(c.Feed)
	if !ok || len(c.Columns) == 0 {
		return
	}
	for _, group := range rule.required {
		if !c.hasAny(group) {
			rep.add(c.Pos("columns"), "columns: %s needs a column with role %s",
				aFeed(c.Feed), orList(group))
		}
	}
}

func (c *Contract) hasAny(rs []Role) bool {
	for _, r := range rs {
		if c.Has(r) {
			return true
		}
	}
	return false
}

// aFeed names a feed with its article: a movements feed, an availability
// feed. The u of uom_conversions is read "you", so it takes "a".
func aFeed(f Feed) string {
	if f != "" && strings.ContainsRune("aeio", rune(f[0])) {
		return "an " + string(f) + " feed"
	}
	return "a " + string(f) + " feed"
}

func orList(rs []Role) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = string(r)
	}
	return strings.Join(parts, " or ")
}

func checkSemantics(c *Contract, rep *reporter) {
	checkQuantitySemantics(c, rep)
	checkMovementSemantics(c, rep)
	checkTimezone(c, rep)
	checkIdempotencyKey(c, rep)
}

// hasQuantity reports whether the feed's rows carry a stock quantity.
func (c *Contract) hasQuantity() bool { return c.Has(RoleQuantity) }

// noColumns reports whether no columns were read. The shape walk has said
// why; checks that look columns up would only echo it as misleading noise.
func (c *Contract) noColumns() bool { return len(c.Columns) == 0 }

// feedKnown reports whether the feed is one invgen knows; an unknown one is
// reported once, by the shape walk, not again by every feed-specific check.
func (c *Contract) feedKnown() bool {
	_, ok := ruleFor(c.Feed)
	return ok
}

// feedAllows reports whether the contract's feed may carry role r at all.
func (c *Contract) feedAllows(r Role) bool {
	rule, ok := ruleFor(c.Feed)
	return ok && rule.allows(r)
}

func checkQuantitySemantics(c *Contract, rep *reporter) {
	s := c.Semantics
	switch {
	case c.Feed == FeedPositions && s.QuantityField == "":
		rep.add(c.Pos("semantics"), "semantics.quantity_field: a positions feed must say "+
			"which stock number it holds (%s, %s or %s)", QuantityOnHand, QuantityATP,
			QuantityInTransit)
	case s.QuantityField != "" && c.feedKnown() && c.Feed != FeedPositions &&
		c.Feed != FeedMovements:
		rep.add(c.Pos("semantics.quantity_field"), "semantics.quantity_field: has no "+
			"meaning for %s", aFeed(c.Feed))
	}

	switch {
	case s.QuantityUOM != "" && c.feedKnown() && !c.feedAllows(RoleQuantity):
		rep.add(c.Pos("semantics.quantity_uom"), "semantics.quantity_uom: %s has "+
			"no quantity", aFeed(c.Feed))
	case s.QuantityUOM != "" && c.Has(RoleUOM):
		rep.add(c.Pos("semantics.quantity_uom"), "semantics.quantity_uom: the column "+
			"with role uom already states the unit row by row")
	case s.QuantityUOM == "" && c.hasQuantity() && !c.Has(RoleUOM):
		rep.add(c.Pos("semantics"), "semantics.quantity_uom: the quantity's unit is not "+
			"stated; give quantity_uom or a column with role uom")
	}
}

func checkMovementSemantics(c *Contract, rep *reporter) {
	s := c.Semantics
	if !c.feedKnown() {
		return // the shape walk reported the feed; what is a movement is unknown
	}
	if c.Feed != FeedMovements {
		for path, v := range map[string]string{
			"semantics.movement_grain":  s.MovementGrain,
			"semantics.adjustment_sign": s.AdjustmentSign,
		} {
			if v != "" {
				rep.add(c.Pos(path), "%s: only movements have one", path)
			}
		}
		return
	}

	if s.MovementGrain == "" {
		rep.add(c.Pos("semantics"), "semantics.movement_grain: movements must say whether "+
			"a row is one transaction (%s) or a daily summary (%s)", GrainTransaction,
			GrainDaySummary)
	}
	if s.AdjustmentSign == "" && c.mayAdjust() {
		rep.add(c.Pos("semantics"), "semantics.adjustment_sign: this feed can carry "+
			"adjustments, so it must say how they are signed (%s or %s)",
			SignAsReported, SignInverted)
	}
	if len(s.IdempotencyKey) == 0 {
		rep.add(c.Pos("semantics"), "semantics.idempotency_key: movements need one; "+
			"without it a replayed feed double-counts stock silently")
	}
}

// mayAdjust reports whether the movement type column can yield adjustments.
func (c *Contract) mayAdjust() bool { return c.States(MoveAdjustment) }

func checkTimezone(c *Contract, rep *reporter) {
	tz := c.Semantics.Timezone
	switch {
	case tz == "" && c.Has(RoleEventTime):
		rep.add(c.Pos("semantics"), "semantics.timezone: the feed has an event_time, so "+
			"it must name its timezone; business dates derive from it")
	case tz != "":
		if err := validTimezone(tz); err != nil {
			rep.add(c.Pos("semantics.timezone"), "semantics.timezone: %v", err)
		}
	}
	if c.Semantics.EventTimeBasis != "" && !c.Has(RoleEventTime) && !c.noColumns() {
		rep.add(c.Pos("semantics.event_time_basis"), "semantics.event_time_basis: the "+
			"feed has no column with role event_time")
	}
}

// validTimezone accepts IANA names only: "Local" and fixed offsets mean
// different things on different warehouses.
func validTimezone(tz string) error {
	if tz == "Local" || !strings.Contains(tz, "/") && tz != "UTC" {
		return fmt.Errorf("%q is not an IANA timezone name such as Europe/Berlin", tz)
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return fmt.Errorf("%q is not an IANA timezone name such as Europe/Berlin", tz)
	}
	return nil
}

func checkIdempotencyKey(c *Contract, rep *reporter) {
	if c.noColumns() {
		return
	}
	declared := map[string]bool{}
	for _, col := range c.Columns {
		declared[col.Name] = true
	}
	for i, k := range c.Semantics.IdempotencyKey {
		if declared[k] {
			continue
		}
		path := fmt.Sprintf("semantics.idempotency_key[%d]", i)
		msg := fmt.Sprintf("%s: %q is not a declared column", path, k)
		if best := suggest(k, columnNames(c)); best != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", best)
		}
		rep.add(c.Pos(path), "%s", msg)
	}
}

func columnNames(c *Contract) []string {
	names := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		names[i] = col.Name
	}
	return names
}

func checkDelivery(c *Contract, rep *reporter) {
	d := c.Delivery
	if d.FreshnessSLA != "" {
		if _, err := ParseSLA(d.FreshnessSLA); err != nil {
			rep.add(c.Pos("delivery.freshness_sla"), "delivery.freshness_sla: %v", err)
		}
		if !c.Has(RoleLoadedAt) && !c.noColumns() {
			rep.add(c.Pos("delivery.freshness_sla"), "delivery.freshness_sla: freshness "+
				"is measured on a column with role loaded_at, and the feed has none")
		}
	}
	if d.Completeness != nil && c.Feed == FeedControlTotals {
		rep.add(c.Pos("delivery.completeness"), "delivery.completeness: a control_totals "+
			"feed is the control, not the checked feed")
	}
}

// SLA is a freshness promise in minutes, the unit dbt's freshness counts in
// when the promise is not a whole number of hours.
type SLA struct {
	Minutes int
}

// slaUnits are the units of a freshness SLA in the order they are written.
var slaUnits = []struct {
	suffix  string
	minutes int
}{{"d", 24 * 60}, {"h", 60}, {"m", 1}}

// slaMaxCount bounds each count of an SLA, so that the total stays an int.
const slaMaxCount = 100000

var slaRe = regexp.MustCompile(slaPattern(`(\d+)`))

// slaPattern is the shape of an SLA: each unit at most once, in order, with
// count as the pattern of its number.
func slaPattern(count string) string {
	p := "^"
	for _, u := range slaUnits {
		p += "(?:" + count + u.suffix + ")?"
	}
	return p + "$"
}

// ParseSLA reads a duration such as 15m, 2h, 1d or 1h30m.
func ParseSLA(s string) (SLA, error) {
	m := slaRe.FindStringSubmatch(s)
	if m == nil || s == "" {
		return SLA{}, fmt.Errorf("%q is not a duration such as 15m, 2h, 1d or 1h30m", s)
	}
	total := 0
	for i, unit := range slaUnits {
		if m[i+1] == "" {
			continue
		}
		n, err := strconv.Atoi(m[i+1])
		if err != nil || n > slaMaxCount {
			return SLA{}, fmt.Errorf("%q is too long a duration", s)
		}
		total += n * unit.minutes
	}
	if total == 0 {
		return SLA{}, fmt.Errorf("%q is zero: a feed cannot promise to be that fresh", s)
	}
	return SLA{Minutes: total}, nil
}

// Count and Period express the SLA the way dbt's freshness config does, in
// the largest period that states it exactly.
func (s SLA) Count() int {
	n, _ := s.split()
	return n
}

// Period is dbt's freshness period: minute, hour or day.
func (s SLA) Period() string {
	_, p := s.split()
	return p
}

func (s SLA) split() (int, string) {
	switch {
	case s.Minutes%(24*60) == 0:
		return s.Minutes / (24 * 60), "day"
	case s.Minutes%60 == 0:
		return s.Minutes / 60, "hour"
	}
	return s.Minutes, "minute"
}

func uniqueSources(e *Estate, rep *reporter) {
	first := map[string]*Contract{}
	for _, c := range e.Contracts {
		if c.Source == "" {
			continue
		}
		if prev, dup := first[c.Source]; dup {
			rep.add(c.Pos("source"), "source: %q is already defined at %s", c.Source,
				prev.Pos("source"))
			continue
		}
		first[c.Source] = c
	}
}

// singletonFeeds refuses a second cost, conversion or location feed: every
// staging model joins the one table of each, and two would double rows.
func singletonFeeds(e *Estate, rep *reporter) {
	for _, f := range []Feed{FeedCosts, FeedUOMConversions, FeedLocations} {
		cs := e.ByFeed(f)
		for _, c := range cs[min(1, len(cs)):] {
			rep.add(c.Pos("feed"), "feed: a second %s feed (the first is %s): invgen "+
				"joins one; union them upstream", f, cs[0].File)
		}
	}
}

func checkCompleteness(e *Estate, c *Contract, rep *reporter) {
	comp := c.Delivery.Completeness
	if comp == nil || comp.ControlTotals == "" {
		return
	}
	path := "delivery.completeness.control_totals"
	ct := e.Contract(comp.ControlTotals)
	switch {
	case ct == nil && e.unread > 0:
		return // it may be defined in a file that did not parse
	case ct == nil:
		msg := fmt.Sprintf("%s: no source named %q", path, comp.ControlTotals)
		if best := suggest(comp.ControlTotals, sourceNames(e, FeedControlTotals)); best != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", best)
		}
		rep.add(c.Pos(path), "%s", msg)
	case ct.Feed != FeedControlTotals:
		rep.add(c.Pos(path), "%s: %q is %s, not control_totals", path, ct.Source,
			aFeed(ct.Feed))
	}
}

// sourceNames lists the sources of one feed: the only ones worth suggesting
// for a misspelt reference, since any other would be refused in turn.
func sourceNames(e *Estate, f Feed) []string {
	var names []string
	for _, c := range e.ByFeed(f) {
		names = append(names, c.Source)
	}
	return names
}

// checkConversionPath makes sure every unit a contract's quantities can
// arrive in converts to eaches: per SKU through the uom_conversions feed.
func checkConversionPath(e *Estate, c *Contract, rep *reporter) {
	if c.Feed == FeedUOMConversions {
		return
	}
	for _, need := range c.unitsNeeded() {
		if need.uom == UOMEaches || !contains(UOMs, need.uom) {
			continue // eaches need no path; an unknown unit is reported already
		}
		if reason := conversionGap(e, need.uom); reason != "" {
			rep.add(c.Pos(need.path), "%s: no conversion path from %s to eaches: %s",
				need.path, need.uom, reason)
		}
	}
}

type unitNeed struct {
	uom  string
	path string
}

// unitsNeeded lists the units a contract's quantities can be stated in.
func (c *Contract) unitsNeeded() []unitNeed {
	if c.Semantics.QuantityUOM != "" {
		return []unitNeed{{c.Semantics.QuantityUOM, "semantics.quantity_uom"}}
	}
	col, ok := c.Column(RoleUOM)
	if !ok {
		return nil
	}
	idx := columnIndex(c, col.Name)
	var needs []unitNeed
	for _, code := range col.Codes() {
		path := fmt.Sprintf("columns[%d].values.%s", idx, code.Code)
		needs = append(needs, unitNeed{code.Value, path})
	}
	return needs
}

func columnIndex(c *Contract, name string) int {
	for i, col := range c.Columns {
		if col.Name == name {
			return i
		}
	}
	return -1
}

// conversionGap explains why uom cannot convert, or returns "".
func conversionGap(e *Estate, uom string) string {
	convs := e.ByFeed(FeedUOMConversions)
	if len(convs) == 0 {
		return "the estate has no uom_conversions feed"
	}
	col, ok := convs[0].Column(RoleUOM)
	if !ok || len(col.Values) == 0 {
		return ""
	}
	for _, v := range col.Values {
		if v == uom {
			return ""
		}
	}
	return fmt.Sprintf("%s maps no code to %s", convs[0].File, uom)
}

// reserved are words that break unquoted SQL on at least one target. The
// second group are DuckDB's own: a column named at, say, reads as the start
// of AT TIME ZONE in every model that casts it.
// It is a variable initialised from the word list, not in init, because the
// JSON Schema's spec tables read it when they are initialised.
var reserved = wordSet(reservedWords)

const reservedWords = `all and any array as asc between both by case cast
		check collate column constraint create cross current_date current_time
		current_timestamp current_user default desc distinct else end except exists
		false fetch for foreign from full grant group having in inner intersect into is
		join lateral leading left like limit natural not null offset on only or order
		outer primary references right select session_user some table then to
		trailing true union unique user using when where window with

		analyse analyze anti asof asymmetric at authorization binary collation
		concurrently deferrable describe do freeze glob ilike initially isnull lambda
		notnull overlaps pivot pivot_longer pivot_wider placing positional qualify
		returning semi show similar summarize symmetric tablesample unpack unpivot
		variadic verbose`

func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}
