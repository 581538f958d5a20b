package contracts

import "sort"

// ClassifiesLocations reports whether a locations feed gives each location
// its class. Without one a generated project cannot tell a kit build from a
// store, and only the default tolerance applies.
func (e *Estate) ClassifiesLocations() bool {
	return len(e.ByFeed(FeedLocations)) > 0
}

// ToleranceAt returns the tolerance a generated project applies at a
// location of a class: the class's own where a locations feed classifies
// locations, else the default.
func (e *Estate) ToleranceAt(class string) Tolerance {
	if !e.ClassifiesLocations() {
		return e.Project.Tolerances[DefaultTolerance]
	}
	return e.Project.ToleranceFor(class)
}

// ClassTolerances lists, sorted, the location classes invgen.yml sets a
// tolerance of their own for.
func (e *Estate) ClassTolerances() []string {
	var out []string
	for class := range e.Project.Tolerances {
		if class != DefaultTolerance {
			out = append(out, class)
		}
	}
	sort.Strings(out)
	return out
}

// AbsoluteToleranceApplies reports whether a generated project applies an
// absolute tolerance above zero at some location: the default's, or a
// class's own where the locations feed can name that class.
func (e *Estate) AbsoluteToleranceApplies() bool {
	return e.Project.Tolerances[DefaultTolerance].Qty > 0 ||
		len(e.AbsoluteToleranceClasses()) > 0
}

// AbsoluteToleranceClasses lists, sorted, the location classes that take an
// absolute tolerance (qty) above zero of their own: those invgen.yml sets one
// for and the locations feed can name. Without a locations feed there are
// none, as every location then takes the default.
func (e *Estate) AbsoluteToleranceClasses() []string {
	if !e.ClassifiesLocations() {
		return nil
	}
	var out []string
	for _, class := range e.ClassTolerances() {
		if e.Project.Tolerances[class].Qty > 0 && e.namesClass(class) {
			out = append(out, class)
		}
	}
	return out
}

// DefaultToleranceTaken reports whether some location can take the default
// tolerance: every location does without a locations feed; with one, a
// location of a class it names, or passes through unmapped, that has no
// tolerance of its own.
func (e *Estate) DefaultToleranceTaken() bool {
	if !e.ClassifiesLocations() {
		return true
	}
	for _, con := range e.ByFeed(FeedLocations) {
		col, _ := con.Column(RoleLocationClass)
		if len(col.Values) == 0 {
			return true
		}
		for _, class := range col.Values {
			if _, own := e.Project.Tolerances[class]; !own {
				return true
			}
		}
	}
	return false
}

// namesClass reports whether the locations feed can state a class: it maps
// a code to it, or passes classes through unmapped.
func (e *Estate) namesClass(class string) bool {
	for _, con := range e.ByFeed(FeedLocations) {
		col, _ := con.Column(RoleLocationClass)
		if len(col.Values) == 0 {
			return true
		}
		for _, v := range col.Values {
			if v == class {
				return true
			}
		}
	}
	return false
}
