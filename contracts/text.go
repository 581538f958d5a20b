package contracts

import (
	"fmt"
	"strings"
	"unicode"
)

// Free text from a contract reaches the generated project: descriptions
// and owners in model YAML, owners and codes in SQL, file names in every
// header comment. dbt renders all of it as Jinja (descriptions when it
// processes docs, the rest when it reads the YAML or compiles the SQL), so
// text that opens a Jinja tag would break `dbt parse` or, worse, run.
// Refusing it, with the reason, is simpler and clearer than escaping it:
// Jinja has no escape that reads naturally in a description.

// jinjaOpeners are the delimiters that start a Jinja tag in dbt.
var jinjaOpeners = []string{"{{", "{%", "{#"}

// jinjaProblem says why s cannot reach a generated file, or "".
func jinjaProblem(s string) string {
	for _, o := range jinjaOpeners {
		if strings.Contains(s, o) {
			return fmt.Sprintf("%q starts a Jinja tag, and dbt renders this text in the "+
				"generated project: write it without %s", o, orQuoted(jinjaOpeners))
		}
	}
	return ""
}

// lineProblem says why s cannot stand on one line of generated SQL or
// YAML, such as a header comment a line break would end early, or "". A
// tab is white space like any other.
func lineProblem(s string) string {
	for _, r := range s {
		if r != '\t' && unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return fmt.Sprintf("it holds the control character %U, which has no place in "+
				"a line of generated SQL or YAML", r)
		}
	}
	return ""
}

// TextProblem says why a path or name that invgen writes into the
// generated project as it is cannot go there, or "". The CLI asks it of
// the path from the project to its contracts, which no contract states.
func TextProblem(s string) string {
	if p := jinjaProblem(s); p != "" {
		return p
	}
	return lineProblem(s)
}

// codeProblem says why a producer code cannot be a key of a values map,
// or "". Codes are written as SQL string literals, which must mean the
// same on every target: Spark and BigQuery read a backslash as an escape.
func codeProblem(code string) string {
	if p := TextProblem(code); p != "" {
		return p
	}
	if strings.Contains(code, `\`) {
		return "a backslash starts an escape in a Spark or BigQuery string literal, so " +
			"no SQL literal means this code on every target"
	}
	return ""
}

// checkText refuses free text, at path in a contract, that would break the
// generated project; oneLine also refuses line breaks and control
// characters, for text written into SQL.
func checkText(c *Contract, path, s string, oneLine bool, rep *reporter) {
	p := jinjaProblem(s)
	if p == "" && oneLine {
		p = lineProblem(s)
	}
	if p != "" {
		rep.add(c.Pos(path), "%s: %s", path, p)
	}
}

// checkFreeText checks every free-text field of a contract that reaches a
// generated file.
func checkFreeText(c *Contract, rep *reporter) {
	checkText(c, "description", c.Description, false, rep)
	checkText(c, "owner", c.Owner, true, rep)
	if strings.Contains(c.Owner, `\`) {
		rep.add(c.Pos("owner"), "owner: a backslash starts an escape in a Spark or BigQuery "+
			"string literal, where the owner is written")
	}
	for i, col := range c.Columns {
		checkText(c, fmt.Sprintf("columns[%d].description", i), col.Description, false, rep)
	}
	for i, n := range c.OnViolation.Notify {
		checkText(c, fmt.Sprintf("on_violation.notify[%d]", i), n, true, rep)
	}
}

func orQuoted(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
