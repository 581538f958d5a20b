package generator

import "slices"

// Who answers for a break follows the data: the owner of the feed its
// signature blames, at its SKU-location. Where one person owns every feed
// a check could blame, the owner is that person's literal and no lookup
// is generated.

// positionOwner is who owns the on-hand a break's book reports at its
// SKU-location: the owner of the book's positions feeds, or, when the books
// a check reads have several, a lookup of the feed that reports there.
// book is the SQL naming the break's book; alias names the lookup.
func (o *observer) positionOwner(books []*systemFeeds, book, alias string) (string, []string) {
	var owners []string
	for _, b := range books {
		for _, con := range b.positions {
			owners = appendNew(owners, con.Owner)
		}
	}
	if len(owners) == 1 {
		return sqlString(owners[0]), nil
	}
	o.positionOwners()
	join := "left join position_owners as " + alias
	if alias == "position_owners" {
		join = "left join position_owners"
	}
	return alias + ".owner", []string{join,
		"    on " + alias + ".system = " + book,
		"    and " + alias + ".sku = breaks.sku" +
			" and " + alias + ".location_id = breaks.location_id"}
}

// positionOwners adds, once, the owner of the on-hand each book reports at
// each SKU-location; the first by name where several feeds report there.
func (o *observer) positionOwners() {
	o.once("position_owners", func() {
		var reported []block
		seen := map[string]bool{}
		for _, b := range o.ch.books() {
			if seen[b.system] {
				continue
			}
			seen[b.system] = true
			for _, con := range b.positions {
				reported = append(reported, block{Select: []string{
					"distinct " + sqlString(b.system) + " as system,", "sku,", "location_id,",
					sqlString(con.Owner) + " as owner"}, From: ref(stgName(con.Source))})
			}
		}
		o.v.add("reported_positions", reported...)
		o.v.add("position_owners", block{
			Select: []string{"system,", "sku,", "location_id,", "min(owner) as owner"},
			From:   "reported_positions",
			Tail:   []string{"group by system, sku, location_id"},
		})
	})
}

// movementOwner is who owns the movement feed that books at a conservation
// break's SKU-location, else position: a literal when one person owns every
// feed conservation reads, else a lookup of the movements booked.
func (o *observer) movementOwner(position string) (string, []string) {
	var owners []string
	for _, sf := range o.ch.conservation {
		for _, con := range append(slices.Clip(sf.positions), sf.movements...) {
			owners = appendNew(owners, con.Owner)
		}
	}
	if len(owners) == 1 {
		return position, nil
	}
	return "coalesce(movement_owners.owner, " + position + ")",
		append([]string{"left join movement_owners"},
			joinOn("movement_owners", "breaks", []string{"system", "sku", "location_id"})...)
}

// honestyOwners are who owns the availability and the ATP a showing was
// held to: literals, or the columns honestyOwnerColumns adds to the breaks
// when the pairs have several.
func (o *observer) honestyOwners() (avail, atp string) {
	avails, atps := o.honestyOwnerSets()
	avail, atp = "breaks.availability_owner", "breaks.atp_owner"
	if len(avails) == 1 {
		avail = sqlString(avails[0])
	}
	if len(atps) == 1 {
		atp = sqlString(atps[0])
	}
	return avail, atp
}

func (o *observer) honestyOwnerSets() (avails, atps []string) {
	for _, p := range o.ch.honesty {
		avails = appendNew(avails, p.availability.Owner)
		atps = appendNew(atps, p.atp.Owner)
	}
	return avails, atps
}

// honestyOwnerColumns selects the honesty breaks with the owners of each
// pair's feeds beside them, where the pairs have several.
func (o *observer) honestyOwnerColumns() []string {
	avails, atps := o.honestyOwnerSets()
	if len(avails) == 1 && len(atps) == 1 {
		return []string{"*"}
	}
	sel := []string{"*"}
	add := func(column, alias string, owner func(honestyPair) string) {
		var whens []when
		seen := map[string]bool{}
		for _, p := range o.ch.honesty {
			name := p.availability.Source
			if column == "atp_source" {
				name = p.atp.Source
			}
			if !seen[name] {
				seen[name] = true
				whens = append(whens, when{[]string{column + " = " + sqlString(name)},
					sqlString(owner(p))})
			}
		}
		sel[len(sel)-1] += ","
		sel = append(sel, caseLines(whens, "", alias)...)
	}
	if len(avails) > 1 {
		add("availability_source", "availability_owner",
			func(p honestyPair) string { return p.availability.Owner })
	}
	if len(atps) > 1 {
		add("atp_source", "atp_owner", func(p honestyPair) string { return p.atp.Owner })
	}
	return sel
}
