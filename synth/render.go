package synth

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	c "github.com/invgen/invgen/contracts"
)

// Render writes every source's raw rows, keyed by source name.
func (w *World) Render() map[string]*Table {
	out := map[string]*Table{}
	for _, con := range w.estate.Contracts {
		out[con.Source] = w.render(con)
	}
	for _, con := range w.estate.Contracts {
		if comp := con.Delivery.Completeness; comp != nil {
			w.controlTotals(out[comp.ControlTotals], con, out[con.Source])
		}
	}
	return out
}

func (w *World) render(con *c.Contract) *Table {
	t := &Table{Source: con.Source}
	for _, col := range con.Columns {
		t.Columns = append(t.Columns, col.Name)
	}
	r := &rowWriter{w: w, con: con, t: t}
	r.renderAll()
	return t
}

// renderAll writes the feed's rows of what the world holds.
func (r *rowWriter) renderAll() {
	switch r.con.Feed {
	case c.FeedMovements:
		r.movements()
	case c.FeedPositions:
		r.positions()
	case c.FeedAvailability:
		r.availability()
	case c.FeedRefunds:
		r.refunds()
	case c.FeedDispositions:
		r.dispositions()
	case c.FeedCosts:
		r.costs()
	case c.FeedUOMConversions:
		r.conversions()
	case c.FeedLocations:
		r.locationRows()
	case c.FeedCycleCounts:
		r.cycleCounts()
	}
}

// rowWriter renders canonical facts into one source's columns.
type rowWriter struct {
	w      *World
	con    *c.Contract
	t      *Table
	seq    int
	missed map[*fault]int // rows each missing-rows fault has dropped so far
	tz     *time.Location // the feed's timezone, loaded on first use
}

// zone is a contract's timezone, UTC when it states none.
func zone(con *c.Contract) *time.Location {
	tz, err := time.LoadLocation(con.Semantics.Timezone)
	if err != nil || con.Semantics.Timezone == "" {
		return time.UTC
	}
	return tz
}

// fact is one row in canonical terms: role → value, plus the instant the row
// describes (for event_time and loaded_at) and its business date.
type fact struct {
	roles map[c.Role]string
	at    time.Time
	date  time.Time
	li    int
	delay time.Duration // how long after at the loader landed the row
	utc   bool          // event time stated in UTC whatever the contract says
}

func (r *rowWriter) emit(f fact) {
	row := make([]string, len(r.con.Columns))
	for i, col := range r.con.Columns {
		row[i] = r.value(col, f)
	}
	r.t.add(row)
	if f.delay == 0 {
		r.t.count(f.date, 1)
	}
}

func (r *rowWriter) value(col c.Column, f fact) string {
	switch col.Role {
	case c.RoleEventTime:
		if f.utc {
			return f.at.UTC().Format(timeLayout)
		}
		return r.eventTime(f.at, f.li)
	case c.RoleBusinessDate:
		return f.date.Format(dateLayout)
	case c.RoleLoadedAt:
		return f.at.Add(2*time.Minute + f.delay).UTC().Format(timeLayout)
	case "":
		return filler(col)
	}
	v, ok := f.roles[col.Role]
	if !ok {
		return ""
	}
	if col.Role.Coded() {
		return encode(col, v)
	}
	return v
}

const (
	dateLayout = "2006-01-02"
	timeLayout = "2006-01-02 15:04:05"
)

// eventTime states an instant as the contract says its producer does: wall
// time in the source timezone, or UTC.
func (r *rowWriter) eventTime(at time.Time, li int) string {
	if r.con.Basis() == c.BasisUTC {
		return at.UTC().Format(timeLayout)
	}
	if r.tz == nil {
		r.tz = zone(r.con)
	}
	return at.In(r.tz).Format(timeLayout)
}

// encode turns a canonical value into the producer's code: the first code,
// in sorted order, that the values map translates to it.
func encode(col c.Column, canonical string) string {
	code, found := "", false
	for k, v := range col.Values {
		if v == canonical && (!found || k < code) {
			code, found = k, true
		}
	}
	if found {
		return code
	}
	if len(col.Values) == 0 {
		return canonical
	}
	return "?" + canonical
}

// filler is a plausible value for a column without a role.
func filler(col c.Column) string {
	t, _ := c.ParseType(col.Type)
	switch t.Base {
	case "integer", "bigint", "decimal", "float":
		return "0"
	case "boolean":
		return "false"
	case "date":
		return "2026-01-01"
	case "timestamp":
		return "2026-01-01 00:00:00"
	}
	return "x"
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// quantity states eaches in the feed's unit: its constant uom, or per row
// the largest pack the quantity is a whole number of.
func (r *rowWriter) quantity(si int, eaches float64, roles map[c.Role]string) {
	s := r.w.skus[si]
	unit := r.con.UOM()
	if unit == "" {
		unit = c.UOMEaches
		if _, ok := r.con.Column(c.RoleUOM); ok && r.seq%3 == 0 {
			unit = r.wholePack(s, eaches)
		}
		roles[c.RoleUOM] = unit
	}
	roles[c.RoleQuantity] = num(eaches / s.packs[unit])
}

// wholePack picks a unit the uom column can state that divides eaches.
func (r *rowWriter) wholePack(s sku, eaches float64) string {
	col, _ := r.con.Column(c.RoleUOM)
	units := []string{"pallets", "cases", "inners"}
	for _, u := range units {
		p := s.packs[u]
		if p > 1 && eaches != 0 && int64(eaches)%int64(p) == 0 && encode(col, u)[0] != '?' {
			return u
		}
	}
	return c.UOMEaches
}

func (r *rowWriter) base(si, li int) map[c.Role]string {
	return map[c.Role]string{
		c.RoleSKU:        r.w.skus[si].id,
		c.RoleLocationID: r.w.locations[li].id,
	}
}

func (r *rowWriter) nextID(role c.Role, prefix string) string {
	r.seq++
	col, _ := r.con.Column(role)
	t, _ := c.ParseType(col.Type)
	if t.Base == "integer" || t.Base == "bigint" {
		return strconv.Itoa(100000 + r.seq)
	}
	return fmt.Sprintf("%s-%06d", prefix, r.seq)
}

func (r *rowWriter) movements() {
	feedLocs := map[int]bool{}
	for _, li := range r.w.coveredBy(r.con) {
		feedLocs[li] = true
	}
	if r.con.Semantics.MovementGrain == c.GrainDaySummary {
		r.daySummaries(feedLocs)
		return
	}
	young := r.w.youngConflict(r.con)
	for i, m := range r.w.movements {
		if !feedLocs[m.loc] {
			continue
		}
		if r.lost(i, m) {
			r.drop(m.date)
			continue
		}
		f := r.movementFact(m)
		f.utc = r.splitInUTC(m)
		r.emit(f)
		if m.replay {
			f.delay = 47 * time.Minute
			r.emit(f)
		}
		if r.doubled(i) {
			r.emit(r.movementFact(m))
		}
		if landed, ok := r.heldAgain(i, young); ok {
			r.emit(r.conflicting(f, m, landed))
		}
	}
}

// heldAgain reports whether movement i is delivered again under its key
// with another quantity, and when that copy landed: a conflicting
// duplicate aged past the quarantine SLA, or the clean history's held
// just short of it.
func (r *rowWriter) heldAgain(i, young int) (time.Time, bool) {
	if r.fault(FaultAgedQuarantine, func(f *fault) bool { return f.movement == i }) != nil {
		return r.w.slaCutoff().Add(-heldMargin), true
	}
	if i == young {
		return r.w.slaCutoff().Add(heldMargin), true
	}
	return time.Time{}, false
}

// lost reports whether an injected fault drops this movement from the feed.
// Missing rows are the first rows of their date but adjustments, which the
// adjustment monitors judge against their history (see movable).
func (r *rowWriter) lost(i int, m movement) bool {
	if r.fault(FaultLostMovement, func(f *fault) bool { return f.movement == i }) != nil {
		return true
	}
	f := r.fault(FaultMissingRows, func(f *fault) bool {
		return r.missed[f] < f.missing && m.date.Equal(f.date) && !m.replay &&
			m.kind != c.MoveAdjustment
	})
	if f == nil {
		return false
	}
	if r.missed == nil {
		r.missed = map[*fault]int{}
	}
	r.missed[f]++
	return true
}

// conflicting is a movement's row delivered again under the same key with
// a quantity one step larger, landing at landed (an hour after the first
// copy, where that is earlier).
func (r *rowWriter) conflicting(f fact, m movement, landed time.Time) fact {
	roles := map[c.Role]string{}
	for k, v := range f.roles {
		roles[k] = v
	}
	step := r.w.skus[m.sku].step
	r.quantity(m.sku, r.reported(m.kind, m.qty)+step, roles)
	delay := max(time.Hour, landed.Sub(f.at)-2*time.Minute)
	return fact{roles: roles, at: f.at, date: f.date, li: f.li, delay: delay}
}

func (r *rowWriter) doubled(i int) bool {
	return r.fault(FaultDoublePost, func(f *fault) bool { return f.movement == i }) != nil
}

// fault returns the fault of a kind injected into this writer's source at
// the place match accepts, or nil. While streaming, a fault planted in one
// SKU-location's history applies to that history only.
func (r *rowWriter) fault(kind Fault, match func(*fault) bool) *fault {
	for _, f := range r.w.faults {
		if f.kind == kind && f.source == r.con.Source && r.w.inChunk(f) && match(f) {
			return f
		}
	}
	return nil
}

// drop records a row the producer exported that never landed.
func (r *rowWriter) drop(date time.Time) { r.t.count(date, 1) }

func (r *rowWriter) movementFact(m movement) fact {
	roles := r.base(m.sku, m.loc)
	roles[c.RoleMovementType] = m.kind
	roles[c.RoleMovementID] = r.nextID(c.RoleMovementID, "M")
	r.quantity(m.sku, r.reported(m.kind, m.qty), roles)
	return fact{roles: roles, at: m.at, date: m.date, li: m.loc}
}

// splitInUTC reports whether a timezone split states this movement's time
// in UTC.
func (r *rowWriter) splitInUTC(m movement) bool {
	return r.fault(FaultTimezoneSplit, func(f *fault) bool {
		return r.w.movements[f.movement].at.Equal(m.at) &&
			r.w.movements[f.movement].sku == m.sku && r.w.movements[f.movement].loc == m.loc
	}) != nil
}

// reported is the quantity a producer writes for a movement with the given
// on-hand effect: directional types carry a magnitude, adjustments a sign.
func (r *rowWriter) reported(kind string, effect float64) float64 {
	if kind != c.MoveAdjustment {
		return abs(effect)
	}
	if r.con.Semantics.AdjustmentSign == c.SignInverted {
		return -effect
	}
	return effect
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// daySummaries nets each day's movements per SKU, location and type. A
// lost movement is left out of its summary, whose row is lost with it when
// nothing else is in it; a double-posted one comes again in a row of its
// own under a new id; a conflicting one, as its summary row again. A
// movement a pattern restated as another kind keeps a row of its own, as
// a producer that books it under another code still summarises it apart.
func (r *rowWriter) daySummaries(feedLocs map[int]bool) {
	type key struct {
		sku, loc  int
		kind, was string
		date      time.Time
	}
	sums := map[key]float64{}
	var order []key
	var doubled []movement
	conflicts := map[key]time.Time{}
	young := r.w.youngConflict(r.con)
	for i, m := range r.w.movements {
		k := key{m.sku, m.loc, m.kind, m.was, m.date}
		if !feedLocs[m.loc] {
			continue
		}
		if r.lost(i, m) {
			r.drop(m.date)
			continue
		}
		if _, seen := sums[k]; !seen {
			order = append(order, k)
		}
		sums[k] += m.qty
		if r.doubled(i) {
			doubled = append(doubled, m)
		}
		if landed, ok := r.heldAgain(i, young); ok {
			conflicts[k] = landed
		}
	}
	for _, k := range order {
		m := movement{sku: k.sku, loc: k.loc, kind: k.kind, qty: sums[k], date: k.date,
			at: localNoon(k.date, r.w.locations[k.loc].tz)}
		f := r.movementFact(m)
		r.emit(f)
		if landed, ok := conflicts[k]; ok {
			r.emit(r.conflicting(f, m, landed))
		}
	}
	for _, m := range doubled {
		m.at = localNoon(m.date, r.w.locations[m.loc].tz)
		r.emit(r.movementFact(m))
	}
}

func localNoon(day time.Time, tz *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, tz).UTC()
}

// positions writes end-of-day on-hand, or intraday ATP snapshots.
func (r *rowWriter) positions() {
	if r.con.QuantityField() == c.QuantityATP {
		r.atpRows()
		return
	}
	for _, k := range r.w.stocks() {
		loc := r.w.locations[k.loc]
		for _, day := range r.w.days {
			qty := r.onHand(k.sku, k.loc, day)
			roles := r.base(k.sku, k.loc)
			r.quantity(k.sku, qty, roles)
			at := time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, loc.tz)
			r.emit(fact{roles: roles, at: at.UTC(), date: day, li: k.loc})
		}
	}
}

// onHand is what a positions feed reports at the end of a day: the truth,
// with sub-unit noise where tolerances allow it (see noiseAt), or the
// injected fault.
func (r *rowWriter) onHand(si, li int, day time.Time) float64 {
	if r.con.QuantityField() == c.QuantityInTransit {
		return 0
	}
	qty := r.w.endOfDay(si, li, day)
	if f := r.fault(FaultFlatline, func(f *fault) bool {
		return f.sku == si && f.loc == li && !day.Before(f.date)
	}); f != nil {
		qty = r.w.endOfDay(si, li, f.date)
	}
	if f := r.fault(FaultDrift, func(f *fault) bool { return f.loc == li }); f != nil {
		qty += f.offset(si, day)
	}
	if r.fault(FaultCasesAsEaches, func(f *fault) bool {
		return f.sku == si && f.loc == li && f.date.Equal(day)
	}) != nil {
		return qty / r.w.skus[si].packs["cases"]
	}
	if r.con.HoldsFractions() {
		qty += r.w.noiseAt(si, li, day) + r.w.levelAt(r.con, si, li, day)
	}
	return qty
}

// grain is how many parts of a unit a feed's quantity column can state, up
// to a thousand: 1 for whole units.
func grain(con *c.Contract) float64 {
	col, _ := con.Column(c.RoleQuantity)
	t, _ := c.ParseType(col.Type)
	switch {
	case t.Base == "float":
		return 1000
	case t.Base == "decimal":
		return math.Pow10(min(t.Scale, 3))
	}
	return 1
}

// atpRows writes the ATP snapshots; a feed with business dates only keeps
// the day's lowest, which is what the storefront's promises stay under.
func (r *rowWriter) atpRows() {
	daily := !r.con.Has(c.RoleEventTime)
	for i, s := range r.w.snapshots {
		if daily && !s.first {
			continue
		}
		roles := r.base(s.sku, s.loc)
		qty := s.atp
		if daily {
			qty = s.dayLow
		}
		r.quantity(s.sku, qty, roles)
		at := s.at
		if r.fault(FaultStaleATP, func(f *fault) bool { return f.snapshot == i }) != nil {
			at = s.at.Add(10 * time.Minute)
		}
		date := localDate(at, r.w.locations[s.loc].tz)
		if daily {
			date = s.date
		}
		r.emit(fact{roles: roles, at: at, date: date, li: s.loc})
	}
}

func localDate(at time.Time, tz *time.Location) time.Time {
	l := at.In(tz)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// availability writes what the storefront showed. A feed by channel alone
// states each SKU once a showing, so it shows the first location's stock,
// as a storefront that ships from one warehouse does.
func (r *rowWriter) availability() {
	byChannel := !r.con.Has(c.RoleLocationID)
	for i, s := range r.w.snapshots {
		if byChannel && s.loc != 0 {
			continue
		}
		roles := r.base(s.sku, s.loc)
		roles[c.RoleChannel] = "web"
		shown := s.shown
		stale := r.fault(FaultStaleAvailability, func(f *fault) bool { return f.snapshot == i })
		if stale != nil {
			shown = stale.shown
		}
		r.quantity(s.sku, shown, roles)
		date := localDate(s.shownAt, r.w.locations[s.loc].tz)
		r.emit(fact{roles: roles, at: s.shownAt, date: date, li: s.loc})
	}
}

func (r *rowWriter) refunds() {
	for _, rf := range r.w.refunds {
		roles := r.base(rf.sku, rf.loc)
		roles[c.RoleRefundID] = rf.id
		roles[c.RoleChannel] = "web"
		r.quantity(rf.sku, rf.qty, roles)
		date := localDate(rf.at, r.w.locations[rf.loc].tz)
		r.emit(fact{roles: roles, at: rf.at, date: date, li: rf.loc})
	}
}

// dispositions writes the decisions taken before the window closes; later
// ones have not happened yet.
func (r *rowWriter) dispositions() {
	end := r.w.End()
	for _, rf := range r.w.refunds {
		if r.w.taken(FaultOpenRefund, func(f *fault) bool { return f.refund == rf.id }) {
			continue
		}
		for _, d := range rf.decisions {
			if !d.at.Before(end) {
				continue
			}
			roles := r.base(rf.sku, rf.loc)
			roles[c.RoleRefundID] = rf.id
			roles[c.RoleDisposition] = d.outcome
			r.quantity(rf.sku, d.qty, roles)
			date := localDate(d.at, r.w.locations[rf.loc].tz)
			r.emit(fact{roles: roles, at: d.at, date: date, li: rf.loc})
		}
	}
}

func (r *rowWriter) costs() {
	for _, s := range r.w.skus {
		costs := s.costs
		if !r.con.Has(c.RoleValidFrom) {
			costs = costs[:1]
		}
		for _, dc := range costs {
			roles := map[c.Role]string{c.RoleSKU: s.id, c.RoleUnitCost: num(dc.cost),
				c.RoleValidFrom: dc.from.Format(dateLayout)}
			r.emit(fact{roles: roles, at: dc.from, date: dc.from})
		}
	}
}

func (r *rowWriter) conversions() {
	col, _ := r.con.Column(c.RoleUOM)
	units := c.UOMs
	if len(col.Values) > 0 {
		units = nil
		for _, code := range col.Codes() {
			units = append(units, code.Value)
		}
		sort.Strings(units)
	}
	for _, s := range r.w.skus {
		for _, u := range units {
			roles := map[c.Role]string{c.RoleSKU: s.id, c.RoleUOM: u,
				c.RoleEachPerUOM: num(s.packs[u])}
			r.emit(fact{roles: roles, at: r.w.days[0], date: r.w.days[0]})
		}
	}
}

func (r *rowWriter) locationRows() {
	for li, l := range r.w.locations {
		if l.class == unlisted {
			continue
		}
		roles := map[c.Role]string{c.RoleLocationID: l.id, c.RoleLocationClass: l.class}
		r.emit(fact{roles: roles, at: r.w.days[0], date: r.w.days[0], li: li})
	}
}

// miscounted is how far an injected miscount puts a count off the record
// at the fault's locations: two steps, or as many more as it takes to be
// off by more than the tolerance and the noise in the record.
func (r *rowWriter) miscounted(si, li int, day time.Time) float64 {
	if r.fault(FaultMiscount, func(f *fault) bool { return f.loc == li }) == nil {
		return 0
	}
	step := r.w.skus[si].step
	t := r.w.estate.ToleranceAt(r.w.locations[li].class)
	need := t.Qty + t.Pct*r.w.endOfDay(si, li, day) + r.w.locations[li].noise
	if t.Pct < 1 {
		need /= 1 - t.Pct
	}
	return step * max(2, math.Floor(need/step)+1)
}

// cycleCounts counts each SKU-location about every fifth day, as many every
// day but the count team's days of rest (see countsRest), when the feed
// delivers nothing, and the count matches the record.
// No count is taken where a pattern has changed the counted system's record
// (frozen it, or made it drift): the proof of that pattern's own monitor
// must not trip record accuracy as well.
func (r *rowWriter) cycleCounts() {
	for _, k := range r.w.stocks() {
		si, li, loc := k.sku, k.loc, r.w.locations[k.loc]
		for d, day := range r.w.days {
			if !r.w.countedOn(si, li, d) || r.w.countsRest(d) ||
				r.w.recordChanged(r.con.System, si, li, day) {
				continue
			}
			roles := r.base(si, li)
			r.quantity(si, r.w.endOfDay(si, li, day)+r.miscounted(si, li, day), roles)
			at := time.Date(day.Year(), day.Month(), day.Day(), 7, 30, 0, 0, loc.tz)
			r.emit(fact{roles: roles, at: at.UTC(), date: day, li: li})
		}
	}
}

// recordChanged reports whether a flatline or a drift has changed what a
// system's on-hand says of a SKU-location on a day.
func (w *World) recordChanged(system string, si, li int, day time.Time) bool {
	for _, f := range w.faults {
		con := w.estate.Contract(f.source)
		if con == nil || con.System != system || !w.inChunk(f) || day.Before(f.date) {
			continue
		}
		switch {
		case f.kind == FaultFlatline && f.sku == si && f.loc == li:
			return true
		case f.kind == FaultDrift && f.loc == li && f.offset(si, day) != 0:
			return true
		}
	}
	return false
}

// countedOn reports whether a SKU-location is counted on the d-th day: the
// SKU-locations take turns, a fifth of them a day, so that the counts feed
// delivers as many rows every day.
func (w *World) countedOn(si, li, d int) bool {
	n := len(w.skus) * len(w.locations)
	perDay := (n + 4) / 5
	turn := si*len(w.locations) + li
	return ((turn-d*perDay)%n+n)%n < perDay
}
