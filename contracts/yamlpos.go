package contracts

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yaml.v3 reports a syntax error as "yaml: line N: message" and nothing
// more: no column, and a line that is not always the problem's. It prints
// the line of the error's context mark when that is past the first line,
// else the problem mark's, else none; and for parser errors (unlike scanner
// errors) it prints that line counted from 0. So "line 5: did not find
// expected ',' or '}'" means the flow mapping opened on line 6, and a tab
// on line 3 that breaks a plain scalar begun on line 2 reads "line 2".
//
// syntaxPos therefore finds the line itself: the first line at which the
// file, cut after it, fails with the same message. That is the line of the
// offending token, or of the opening bracket or quote that is never closed,
// which is where a reader has to look. The column then comes from the line's
// text, per message, as described at each case below.

// syntaxSearchLines bounds the search: each step parses a prefix of the
// file, and a contract is some tens of lines. A longer file gets the line
// yaml.v3 printed, read as described above.
const syntaxSearchLines = 400

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxPos turns a YAML parser error into a position.
func syntaxPos(file string, data []byte, err error) Pos {
	msg := syntaxMessage(err)
	lines := strings.Split(string(data), "\n")

	line := failingLine(data, lines, msg)
	if line == 0 {
		line = printedLine(err)
	}
	if line > len(lines) {
		line = len(lines)
	}

	return Pos{File: file, Line: line, Col: syntaxCol(lines[line-1], msg)}
}

// failingLine is the first line at which the file cut after it fails with
// msg, or 0 if no cut does (or the file is too long to search).
func failingLine(data []byte, lines []string, msg string) int {
	if len(lines) > syntaxSearchLines {
		return 0
	}

	for n := 1; n <= len(lines); n++ {
		prefix := strings.Join(lines[:n], "\n") + "\n"
		if n == len(lines) {
			prefix = string(data)
		}

		var doc yaml.Node
		dec := yaml.NewDecoder(bytes.NewReader([]byte(prefix)))
		if err := dec.Decode(&doc); err != nil && syntaxMessage(err) == msg {
			return n
		}
	}

	return 0
}

// printedLine reads the line yaml.v3 printed, made 1-based for parser
// errors; without one, the error is on the first line.
func printedLine(err error) int {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 1
	}

	n, _ := strconv.Atoi(m[1])
	if parserError(syntaxMessage(err)) {
		n++
	}

	return max(n, 1)
}

// parserError reports whether yaml.v3 raised msg in its parser, which
// prints lines from 0, rather than its scanner, which prints them from 1.
func parserError(msg string) bool {
	for _, p := range []string{"did not find expected", "found undefined tag handle",
		"found duplicate %", "found incompatible YAML document"} {
		if strings.Contains(msg, p) && !strings.Contains(msg, "did not find expected '>'") {
			return true
		}
	}

	return false
}

// syntaxCol is the column, 1-based, a message points at in its line:
//   - an unclosed flow collection: its opening bracket, the last one on the
//     line left open, or else the first of its kind;
//   - an unclosed quoted scalar: its opening quote, likewise;
//   - a tab: the first tab of the line;
//   - a character that cannot start a token: the first tab, @ or backquote;
//   - a colon where no mapping value may be: the line's last ": ". A colon
//     inside a quoted scalar can mislead this one, and then the column is
//     that colon's;
//   - anything else: the line's first non-blank character, where the
//     offending token starts in the cases yaml.v3 words vaguely ("did not
//     find expected key").
func syntaxCol(text, msg string) int {
	var col int
	switch {
	case strings.Contains(msg, "expected ',' or '}'"):
		col = openerCol(text, '{')
	case strings.Contains(msg, "expected ',' or ']'"):
		col = openerCol(text, '[')
	case strings.Contains(msg, "quoted scalar"), strings.Contains(msg, "end of stream"):
		col = openQuoteCol(text)
	case strings.Contains(msg, "tab character"):
		col = strings.IndexByte(text, '\t') + 1
	case strings.Contains(msg, "cannot start any token"):
		col = strings.IndexAny(text, "\t@`") + 1
	case strings.Contains(msg, "mapping values are not allowed"):
		col = colonCol(text)
	}
	if col > 0 {
		return col
	}

	return len(text) - len(strings.TrimLeft(text, " \t")) + 1
}

// openerCol finds the bracket open that the line leaves open, or the first.
func openerCol(text string, open byte) int {
	var stack []int
	inQuote := byte(0)
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case inQuote != 0:
			if c == inQuote {
				inQuote = 0
			}
		case c == '"' || c == '\'':
			inQuote = c
		case c == '#' && (i == 0 || text[i-1] == ' '):
			i = len(text) // a comment runs to the end of the line
		case c == '{' || c == '[':
			stack = append(stack, i)
		case (c == '}' || c == ']') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
	}

	for i := len(stack) - 1; i >= 0; i-- {
		if text[stack[i]] == open {
			return stack[i] + 1
		}
	}

	return strings.IndexByte(text, open) + 1
}

// openQuoteCol finds the quote a value opens on the line and never closes.
func openQuoteCol(text string) int {
	open := -1
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case open >= 0 && c == text[open]:
			open = -1
		case open < 0 && (c == '"' || c == '\'') && startsValue(text, i):
			open = i
		}
	}

	return open + 1
}

// startsValue reports whether a quote at i opens a quoted scalar: it comes
// first on the line or after a space, a dash or a flow indicator.
func startsValue(text string, i int) bool {
	if i == 0 {
		return true
	}

	return strings.IndexByte(" -[{,:", text[i-1]) >= 0
}

// colonCol finds the last colon on the line that is followed by a space or
// ends it: the one yaml.v3 refuses when a line holds two.
func colonCol(text string) int {
	trimmed := strings.TrimRight(text, " \t")
	if strings.HasSuffix(trimmed, ":") {
		return len(trimmed)
	}

	return strings.LastIndex(text, ": ") + 1
}
