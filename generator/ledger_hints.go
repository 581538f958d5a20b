package generator

import (
	"slices"
	"strings"

	c "github.com/invgen/invgen/contracts"
)

// conservation hints, in order: uom drift (an on-hand a pack size away
// from what movements explain), sync death (a flatline on the book at that
// SKU-location), timezone split, retry double-post and partial extract;
// else a lost or unbooked movement. A break the
// on-hand is to blame for (uom drift, sync death) goes to the owner of the
// positions feed; any other to the owner of the movement feed that books at
// the SKU-location, or of the positions feed where none does.
func (o *observer) conservation() block {
	position, tail := o.positionOwner(o.ch.conservation, "breaks.system", "position_owners")
	movement, joins := o.movementOwner(position)
	tail = append(tail, joins...)
	o.booked(len(joins) > 0)

	var hints []hint
	if o.misstated() {
		hints = append(hints, hint{[]string{"misstated_on_hand.sku is not null"},
			"'uom drift'", position})
		tail = append(tail, "left join misstated_on_hand")
		tail = append(tail, joinOn("misstated_on_hand", "breaks", stockKey)...)
	}
	if o.frozen {
		hints = append(hints, hint{[]string{"frozen.sku is not null"}, "'sync death'",
			position})
		tail = append(tail, frozenJoin("frozen", "breaks.system")...)
	}
	if o.timezoneSplits() {
		hints = append(hints, hint{[]string{"timezone_splits.sku is not null"},
			"'timezone split'", movement})
		tail = append(append(tail, "left join timezone_splits"),
			joinOn("timezone_splits", "breaks", stockKey)...)
	}
	hints = append(hints, hint{[]string{"doubled.sku is not null or held.sku is not null"},
		"'retry double-post'", movement})
	tail = append(tail,
		"left join doubled",
		"    on doubled.system = breaks.system and doubled.sku = breaks.sku",
		"    and doubled.location_id = breaks.location_id",
		"    and doubled.business_date = breaks.business_date",
		"    and doubled.break_qty = breaks.break_qty",
		"left join (select distinct * from held_duplicates) as held",
		"    on held.system = breaks.system and held.sku = breaks.sku",
		"    and held.location_id = breaks.location_id",
		"    and held.business_date = breaks.business_date")
	if o.controlShortfalls() {
		hints = append(hints, hint{[]string{"shortfall.sku is not null"},
			"'partial extract'", movement})
		tail = append(append(tail, "left join shortfall"),
			joinOn("shortfall", "breaks", stockKey)...)
	}
	key := breakKey(CheckConservation, "breaks", stockKey...)
	return block{Select: hinted(CheckConservation, key, hints,
		hint{cause: "'lost or unbooked movement'", owner: movement}), Tail: tail}
}

// stockKey is what a conservation break is a break of.
var stockKey = []string{"system", "sku", "location_id", "business_date"}

// booked adds every movement conservation reads, by system and feed, and
// which feeds book at each SKU-location; then the movements booked twice
// under different ids and the duplicates held in quarantine. With owners
// it also adds who owns the feeds that book at each SKU-location.
func (o *observer) booked(owners bool) {
	var moves, held []block
	for _, sf := range o.ch.conservation {
		for _, mv := range sf.movements {
			sel := []string{sqlString(sf.system) + " as system,",
				sqlString(mv.Source) + " as source_name,", "movement_type,", "sku,",
				"location_id,", "business_date,", "on_hand_effect"}
			if owners {
				sel = append(sel[:len(sel)-1], "on_hand_effect,", sqlString(mv.Owner)+" as owner")
			}
			moves = append(moves, block{Select: sel, From: ref(stgName(mv.Source))})
			held = append(held, block{Select: []string{sqlString(sf.system) + " as system,",
				"sku,", "location_id,", "business_date"},
				From: ref(baseName(mv.Source)),
				Tail: []string{"where violation is null and occurrence > 1",
					"    and payload_occurrence = 1"}})
		}
	}
	o.v.add("booked", moves...)
	bookings := []string{"system,", "source_name,", "sku,", "location_id"}
	if owners {
		bookings = append(bookings[:len(bookings)-1], "location_id,", "owner")
	}
	bookings[0] = "distinct " + bookings[0]
	o.v.addNoted("bookings", []string{"the movement feeds that book at each SKU-location"},
		block{Select: bookings, From: "booked"})
	if owners {
		o.v.addNoted("movement_owners", []string{"who owns the movement feeds that book " +
			"at each SKU-location; the first", "by name where several do"}, block{
			Select: []string{"system,", "sku,", "location_id,", "min(owner) as owner"},
			From:   "bookings",
			Tail:   []string{"group by system, sku, location_id"},
		})
	}
	o.v.addNoted("doubled", []string{"movements booked twice under different ids"}, block{
		Select: []string{"distinct system, sku, location_id, business_date, " +
			"-on_hand_effect as break_qty"},
		From: "booked",
		Tail: []string{"group by system, movement_type, sku, location_id, business_date, " +
			"on_hand_effect", "having count(*) > 1"},
	})
	o.v.add("held_duplicates", held...)
}

// misstated finds the conservation breaks of an on-hand stated in another
// unit, when the estate states pack sizes: the day's on-hand a pack size
// away from what yesterday's and the movements explain, or yesterday's,
// which the day's on-hand then corrects. Two adjacent breaks that net to
// zero, like a timezone split's, told apart by the pack size.
func (o *observer) misstated() bool {
	if !o.packs() {
		return false
	}
	o.v.addNoted("misstated_on_hand", []string{"conservation breaks of an on-hand stated " +
		"in another unit"}, block{
		Select: []string{"distinct " + strings.Join(prefixAll("stock.", stockKey), ", ")},
		From:   CheckConservation + "_breaks as stock",
		Tail: []string{"inner join packs on packs.sku = stock.sku",
			"where abs(stock.actual_qty * packs.each_per_uom - stock.expected_qty) < 0.0001",
			"    or abs(stock.actual_qty - stock.expected_qty * packs.each_per_uom) < 0.0001",
			"    or abs(stock.previous_on_hand * packs.each_per_uom + stock.movements_since",
			"        - stock.actual_qty) < 0.0001",
			"    or abs(stock.previous_on_hand",
			"        - (stock.actual_qty - stock.movements_since) * packs.each_per_uom) < 0.0001"},
	})
	return true
}

// packs adds the SKUs' pack sizes, once, when the estate states them.
func (o *observer) packs() bool {
	convs := o.estate.ByFeed(c.FeedUOMConversions)
	if len(convs) == 0 {
		return false
	}
	o.once("packs", func() {
		o.v.add("packs", block{Select: []string{"distinct sku, each_per_uom"},
			From: ref(stgName(convs[0].Source)), Tail: []string{"where each_per_uom > 1"}})
	})
	return true
}

// timezoneSplits finds the conservation breaks a timezone split explains:
// two on adjacent dates that net to zero, where one of the dates booked a
// movement near local midnight equal to minus its break. Near is within the
// feed's UTC offset of midnight: the movements a clock read in the wrong
// timezone moves to the neighbouring date. Feeds that state business dates
// alone have no clock to misread.
func (o *observer) timezoneSplits() bool {
	var clocks []block
	for _, sf := range o.ch.conservation {
		for _, mv := range sf.movements {
			if !mv.Has(c.RoleEventTime) {
				continue
			}
			clocks = append(clocks, block{Select: []string{
				sqlString(sf.system) + " as system,", "sku,", "location_id,", "business_date,",
				"on_hand_effect,",
				"{{ dbt.datediff(",
				"    'cast(business_date as ' ~ dbt.type_timestamp() ~ ')',",
				"    'event_time', 'minute'",
				") }} as minutes_into_day,",
				"{{ dbt.datediff('event_time_utc', 'event_time', 'minute') }} as utc_offset"},
				From: ref(stgName(mv.Source))})
		}
	}
	if len(clocks) == 0 {
		return false
	}
	o.v.add("clocked", clocks...)
	o.v.addNoted("midnight_movements", []string{"movements a clock read in the wrong " +
		"timezone moves to another date"}, block{
		Select: []string{"system,", "sku,", "location_id,", "business_date,", "on_hand_effect"},
		From:   "clocked",
		Tail: []string{"where minutes_into_day < abs(utc_offset)",
			"    or minutes_into_day >= 1440 - abs(utc_offset)"},
	})
	from := CheckConservation + "_breaks"
	o.v.addNoted("split_pairs", []string{"breaks on adjacent dates that net to zero, " +
		"one of the dates booking", "a movement near midnight equal to minus its break"}, block{
		Select: []string{"earlier.system,", "earlier.sku,", "earlier.location_id,",
			"earlier.business_date as earlier_date,", "later.business_date as later_date"},
		From: from + " as earlier",
		Tail: []string{"inner join " + from + " as later",
			"    on later.system = earlier.system and later.sku = earlier.sku",
			"    and later.location_id = earlier.location_id",
			"    and later.business_date = {{ dbt.dateadd('day', 1, 'earlier.business_date') }}",
			"    and later.break_qty = -earlier.break_qty",
			"inner join midnight_movements as moved",
			"    on moved.system = earlier.system and moved.sku = earlier.sku",
			"    and moved.location_id = earlier.location_id",
			"where (",
			"    moved.business_date = earlier.business_date",
			"    and moved.on_hand_effect = -earlier.break_qty",
			") or (",
			"    moved.business_date = later.business_date",
			"    and moved.on_hand_effect = -later.break_qty",
			")"},
	})
	o.v.addUnion("timezone_splits", nil, block{
		Select: []string{"system,", "sku,", "location_id,", "earlier_date as business_date"},
		From:   "split_pairs",
	}, block{
		Select: []string{"system,", "sku,", "location_id,", "later_date as business_date"},
		From:   "split_pairs",
	})
	return true
}

// controlShortfalls finds the SKU-locations a movement feed books, on the
// dates it fell short of its control total: breaks there are likely a
// partial extract.
func (o *observer) controlShortfalls() bool {
	controlled := false
	for _, p := range o.ch.control {
		for _, sf := range o.ch.conservation {
			controlled = controlled || slices.Contains(sf.movements, p.checked)
		}
	}
	if !controlled {
		return false
	}
	o.v.add("shortfall", block{
		Select: []string{"distinct bookings.system,", "bookings.sku,", "bookings.location_id,",
			"controls.business_date"},
		From: ref("int_rows_against_control_totals") + " as controls",
		Tail: []string{"inner join bookings on bookings.source_name = controls.source_name",
			"where controls.actual_qty < controls.expected_qty * controls.min_ratio"},
	})
	return true
}

// frozenJoin finds the flatline alert on a book at the break's
// SKU-location.
func frozenJoin(alias, book string) []string {
	from := "left join frozen as " + alias
	if alias == "frozen" {
		from = "left join frozen"
	}
	return []string{from,
		"    on " + alias + ".system = " + book,
		"    and " + alias + ".sku = breaks.sku" +
			" and " + alias + ".location_id = breaks.location_id"}
}

// parity hints uom drift (a ratio equal to the SKU's pack size), then sync
// death (a flatline on either side); else a sync lag. uom drift goes to the
// owner of the side whose quantity is the smaller: a count in cases read as
// eaches. Sync death goes to the frozen side's owner, and a lag to the
// ERP side's, whose on-hand the WMS's bookings sync into.
func (o *observer) parity() block {
	keys := parityKeys(o.ch)
	placed := append(slices.Clip(keys), "sku", "location_id", "business_date")
	erpBook, wmsBook := sqlString(o.ch.parity[0].erp.system), sqlString(o.ch.parity[0].wms.system)
	if len(keys) > 0 {
		erpBook, wmsBook = "breaks.erp_system", "breaks.wms_system"
	}
	var erps, wmss []*systemFeeds
	for _, p := range o.ch.parity {
		erps, wmss = append(erps, p.erp), append(wmss, p.wms)
	}
	erp, tail := o.positionOwner(erps, erpBook, "erp_owners")
	wms, more := o.positionOwner(wmss, wmsBook, "wms_owners")
	tail = append(tail, more...)

	var hints []hint
	if o.packRatios(placed) {
		hints = append(hints,
			hint{cond: []string{"pack_ratios.wms_drifted = 1"}, owner: wms},
			hint{[]string{"pack_ratios.sku is not null"}, "'uom drift'", erp})
		tail = append(append(tail, "left join pack_ratios"),
			joinOn("pack_ratios", "breaks", placed)...)
	}
	if o.frozen {
		hints = append(hints,
			hint{cond: []string{"frozen_wms.sku is not null"}, owner: wms},
			hint{[]string{"frozen_erp.sku is not null or frozen_wms.sku is not null"},
				"'sync death'", erp})
		tail = append(tail, frozenJoin("frozen_erp", erpBook)...)
		tail = append(tail, frozenJoin("frozen_wms", wmsBook)...)
	}
	return block{Select: hinted(CheckParity, breakKey(CheckParity, "breaks", placed...),
		hints, hint{cause: "'sync lag'", owner: erp}), Tail: tail}
}

// packRatios finds the parity breaks whose ratio is the SKU's pack size,
// when the estate states pack sizes: a unit of measure drift, on the WMS's
// side when its quantity is the smaller. placed are the columns that say
// which comparison a break is.
func (o *observer) packRatios(placed []string) bool {
	if !o.packs() {
		return false
	}
	o.v.addNoted("pack_ratios", []string{"parity breaks whose ratio is a pack size"}, block{
		Select: []string{"distinct " + strings.Join(prefixAll("parity.", placed), ", ") + ",",
			"case when parity.wms_to_erp_ratio < 1 then 1 else 0 end as wms_drifted"},
		From: CheckParity + "_breaks as parity",
		Tail: []string{"inner join packs on packs.sku = parity.sku",
			"where abs(parity.wms_to_erp_ratio - packs.each_per_uom) < 0.0001",
			"    or abs(parity.wms_to_erp_ratio * packs.each_per_uom - 1) < 0.0001"},
	})
	return true
}

// honesty hints a stale cache when the storefront showed what an ATP
// promised longer ago than the availability feed's freshness SLA, within
// two days, and not the latest ATP: a cache served past its life. It hints
// a late ATP when the latest ATP itself was older than that SLA, and
// otherwise an oversell. A late ATP goes to the ATP feed's owner, anything
// else to the availability feed's. With several pairs the key names the
// ATP feed too, since one showing is held to each.
func (o *observer) honesty() block {
	avail, atp := o.honestyOwners()
	var hints []hint
	var tail []string
	if slas := availabilitySLAs(o.ch); len(slas) > 0 {
		o.staleShowings(slas)
		hints = append(hints, hint{[]string{"stale_showings.sku is not null"},
			"'stale cache'", avail})
		tail = append([]string{"left join stale_showings"}, joinOn("stale_showings", "breaks",
			[]string{"availability_source", "atp_source", "sku", "location_id", "shown_at"})...)
		for _, av := range slas {
			hints = append(hints, hint{cond: []string{
				"breaks.availability_source = " + sqlString(av.source),
				"and {{ dbt.datediff('breaks.atp_at', 'breaks.shown_at', 'minute') }} > " +
					fmtInt(av.minutes)}, cause: "'late ATP'", owner: atp})
		}
	}
	cols := []string{"availability_source", "sku", "location_id", "shown_at"}
	if len(o.ch.honesty) > 1 {
		cols = []string{"availability_source", "atp_source", "sku", "location_id", "shown_at"}
	}
	return block{Select: hinted(CheckHonesty, breakKey(CheckHonesty, "breaks", cols...),
		hints, hint{cause: "'oversell'", owner: avail}), Tail: tail}
}

// staleShowings adds every ATP each availability feed could have shown
// from a cache, and the showings that equal one promised longer ago than
// the feed's SLA and at most two days before.
func (o *observer) staleShowings(slas []availabilitySLA) {
	minutes := map[string]int{}
	for _, av := range slas {
		minutes[av.source] = av.minutes
	}
	var promised []block
	for _, p := range o.ch.honesty {
		sla, ok := minutes[p.availability.Source]
		if !ok {
			continue
		}
		_, at := timeColumns(p)
		promised = append(promised, block{Select: []string{
			sqlString(p.availability.Source) + " as availability_source,",
			sqlString(p.atp.Source) + " as atp_source,", "sku,", "location_id,",
			at + " as promised_at,", "quantity as promised_qty,",
			fmtInt(sla) + " as sla_minutes"},
			From: ref(stgName(p.atp.Source))})
	}
	o.v.addNoted("promised", []string{"every ATP a storefront could show from a cache"},
		promised...)
	keys := []string{"availability_source", "atp_source", "sku", "location_id", "shown_at"}
	o.v.addNoted("stale_showings", []string{"showings of what an ATP promised longer ago " +
		"than the SLA"}, block{
		Select: selectLines([][]string{{"distinct shown." + keys[0]},
			{"shown." + keys[1]}, {"shown." + keys[2]}, {"shown." + keys[3]},
			{"shown." + keys[4]}}),
		From: CheckHonesty + "_breaks as shown",
		Tail: []string{"inner join promised",
			"    on promised.availability_source = shown.availability_source",
			"    and promised.atp_source = shown.atp_source",
			"    and promised.sku = shown.sku and promised.location_id = shown.location_id",
			"    and promised.promised_qty = shown.actual_qty",
			"where promised.promised_at >= {{ dbt.dateadd('day', -2, 'shown.shown_at') }}",
			"    and {{ dbt.datediff('promised.promised_at', 'shown.shown_at', 'minute') }}",
			"        > promised.sla_minutes"},
	})
}

// availabilitySLA is an availability feed's freshness SLA in minutes.
type availabilitySLA struct {
	source  string
	minutes int
}

// availabilitySLAs lists, once each, the availability feeds honesty holds
// to an ATP and that state a freshness SLA.
func availabilitySLAs(ch *checks) []availabilitySLA {
	var out []availabilitySLA
	seen := map[string]bool{}
	for _, p := range ch.honesty {
		sla, err := c.ParseSLA(p.availability.Delivery.FreshnessSLA)
		if err != nil || seen[p.availability.Source] {
			continue
		}
		seen[p.availability.Source] = true
		out = append(out, availabilitySLA{p.availability.Source, sla.Minutes})
	}
	return out
}
