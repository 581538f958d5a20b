package engine

import "strings"

// Statement is one SQL statement of a script and the 1-based line of the
// script its first token is on.
type Statement struct {
	SQL  string
	Line int
}

// Split cuts a SQL script into statements at semicolons outside string
// literals, quoted identifiers and comments. Statements that hold only
// whitespace and comments are dropped. duckdb-go runs a multi-statement
// string through one prepare, which executes every statement but the last
// before the caller sees an error, so invgen runs statements one by one.
func Split(script string) []Statement {
	var out []Statement
	s := splitter{src: script, line: 1}
	start, startLine := 0, 1
	for s.pos < len(s.src) {
		if s.src[s.pos] == ';' {
			out = appendStatement(out, script[start:s.pos], startLine)
			s.pos++
			start, startLine = s.pos, s.line
			continue
		}
		s.skip()
	}
	return appendStatement(out, script[start:], startLine)
}

type splitter struct {
	src  string
	pos  int
	line int
}

// skip advances over one token that may contain a semicolon, or one byte.
func (s *splitter) skip() {
	rest := s.src[s.pos:]
	switch {
	case strings.HasPrefix(rest, "--"):
		s.until("\n", 0)
	case strings.HasPrefix(rest, "/*"):
		s.until("*/", 2)
	case rest[0] == '\'' || rest[0] == '"':
		s.quoted(rest[0])
	default:
		s.advance(1)
	}
}

// until advances past the next occurrence of end (or to the end).
func (s *splitter) until(end string, skipFirst int) {
	i := strings.Index(s.src[s.pos+skipFirst:], end)
	if i < 0 {
		s.advance(len(s.src) - s.pos)
		return
	}
	s.advance(skipFirst + i + len(end))
}

// quoted advances past a literal or identifier; a doubled quote escapes.
func (s *splitter) quoted(q byte) {
	s.advance(1)
	for s.pos < len(s.src) {
		if s.src[s.pos] != q {
			s.advance(1)
			continue
		}
		if s.pos+1 < len(s.src) && s.src[s.pos+1] == q {
			s.advance(2)
			continue
		}
		s.advance(1)
		return
	}
}

func (s *splitter) advance(n int) {
	s.line += strings.Count(s.src[s.pos:s.pos+n], "\n")
	s.pos += n
}

func appendStatement(out []Statement, sql string, line int) []Statement {
	lead, blank := leadingBlank(sql)
	if blank {
		return out
	}
	return append(out, Statement{SQL: sql, Line: line + lead})
}

// leadingBlank counts the lines of whitespace and comments that open sql,
// and reports whether that is all sql holds.
func leadingBlank(sql string) (int, bool) {
	s := splitter{src: sql}
	for s.pos < len(s.src) {
		rest := s.src[s.pos:]
		switch {
		case strings.HasPrefix(rest, "--") || strings.HasPrefix(rest, "/*"):
			s.skip()
		case strings.ContainsRune(" \t\r\n", rune(rest[0])):
			s.advance(1)
		default:
			return s.line, false
		}
	}
	return s.line, true
}
