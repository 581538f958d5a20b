package generator

import "strings"

// itemWidth is the longest a select item's line may be: generated files
// stay within 100 columns, and a CTE indents its select list by eight.
const itemWidth = 92

// when is one branch of a case expression. cond holds the condition's
// lines: the first follows the when, the rest (each starting with its
// and, or or operator) continue it.
type when struct {
	cond []string
	then string
}

// caseLines lays a case expression out as people write it: case, each
// when on a line of its own (its condition continued on indented lines
// when it does not fit, then on its own line), else, and end with the alias.
func caseLines(whens []when, otherwise, alias string) []string {
	out := []string{"case"}
	for _, w := range whens {
		one := "    when " + strings.Join(w.cond, " ") + " then " + w.then
		if len(one) <= itemWidth {
			out = append(out, one)
			continue
		}
		out = append(out, "    when "+w.cond[0])
		for _, more := range w.cond[1:] {
			out = append(out, "        "+more)
		}
		out = append(out, "        then "+w.then)
	}
	if otherwise != "" {
		out = append(out, "    else "+otherwise)
	}
	end := "end"
	if alias != "" {
		end += " as " + alias
	}
	return append(out, end)
}

// summed is a sum over a case expression: the daily total of one kind of
// row, laid out over lines so that sums side by side read alike.
func summed(cond, then, alias string) []string {
	inner := caseLines([]when{{cond: []string{cond}, then: then}}, "0", "")
	return append(append([]string{"sum("}, indent(inner)...), ") as "+alias)
}

// windowed is a window function over a partition, with the partition on a
// line of its own when it does not fit beside the function.
func windowed(fn, over, alias string) []string {
	one := fn + " over (" + over + ") as " + alias
	if len(one) <= itemWidth {
		return []string{one}
	}
	return []string{fn + " over (", "    " + over, ") as " + alias}
}

// tolerance is the tolerance that applies to a comparison: the larger of
// the absolute and the relative tolerance of the location's class.
func tolerance(qty, pct, base string) []string {
	relative := []string{"    " + pct + " * abs(" + base + ")"}
	if len(relative[0]) > 80 {
		relative = []string{"    " + pct, "        * abs(" + base + ")"}
	}
	lines := append([]string{"greatest(", "    " + qty + ","}, relative...)
	return append(lines, ") as tolerance_qty")
}

// listClause is a window's partition by or order by: on one line when it
// fits, else the keyword and then the columns wrapped beneath it.
func listClause(keyword string, cols []string) []string {
	list := strings.Join(cols, ", ")
	if len(keyword)+1+len(list) <= itemWidth-4 {
		return []string{keyword + " " + list}
	}
	return append([]string{keyword}, indent(wrap(list, itemWidth-12))...)
}

// indent moves lines four columns right.
func indent(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = "    " + l
	}
	return out
}

// jinjaCall renders a Jinja expression tag, wrapped inside its braces when
// the line it ends would be too long.
func jinjaCall(prefix, expr, suffix string) []string {
	one := prefix + "{{ " + expr + " }}" + suffix
	if len(one) <= itemWidth {
		return []string{one}
	}
	return []string{prefix + "{{", "    " + expr, "}}" + suffix}
}

// commaAfter ends an item's last line with a comma: an item that is not the
// last of its select list.
func commaAfter(item []string) []string {
	out := append([]string{}, item...)
	out[len(out)-1] += ","
	return out
}
