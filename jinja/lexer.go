package jinja

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokText
	tokVarBegin
	tokVarEnd
	tokBlockBegin
	tokBlockEnd
	tokName
	tokString
	tokInt
	tokFloat
	tokOp
)

// token is one lexeme; val holds the decoded value of a literal.
type token struct {
	kind tokenKind
	text string
	val  any
	at   pos
}

// lexer splits a template into text and tag tokens the way Jinja2's lexer
// does, applying whitespace control as it goes.
type lexer struct {
	file  string
	src   string
	off   int
	lines []int  // byte offset at which each line starts
	open  []byte // closing brackets expected inside a tag, innermost last
	toks  []token
}

// normalizeNewlines turns every newline into "\n" and drops one trailing newline,
// as Jinja2 does with keep_trailing_newline=False.
func normalizeNewlines(src string) string {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	return strings.TrimSuffix(src, "\n")
}

// lex tokenizes a normalized template.
func lex(file, src string) ([]token, error) {
	lx := &lexer{file: file, src: src, lines: []int{0}}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			lx.lines = append(lx.lines, i+1)
		}
	}
	if err := lx.run(); err != nil {
		return nil, err
	}
	lx.emit(tokEOF, "end of template", nil, len(src))
	return lx.toks, nil
}

func (lx *lexer) pos(off int) pos {
	i := sort.Search(len(lx.lines), func(i int) bool { return lx.lines[i] > off }) - 1
	return pos{line: i + 1, col: utf8.RuneCountInString(lx.src[lx.lines[i]:off]) + 1}
}

func (lx *lexer) emit(kind tokenKind, text string, val any, off int) {
	lx.toks = append(lx.toks, token{kind: kind, text: text, val: val, at: lx.pos(off)})
}

func (lx *lexer) errorf(off int, format string, args ...any) error {
	return positioned(lx.file, lx.pos(off), format, args...)
}

// isSpace reports whether Python counts r as whitespace.
func isSpace(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) }

func (lx *lexer) skipSpace() {
	rest := lx.src[lx.off:]
	lx.off += len(rest) - len(strings.TrimLeftFunc(rest, isSpace))
}

// nextTag returns the offset of the next "{{", "{%" or "{#", or -1.
func nextTag(src string, from int) int {
	for i := from; ; i++ {
		k := strings.IndexByte(src[i:], '{')
		if k < 0 || i+k+1 >= len(src) {
			return -1
		}
		i += k
		if c := src[i+1]; c == '{' || c == '%' || c == '#' {
			return i
		}
	}
}

func (lx *lexer) run() error {
	for lx.off < len(lx.src) {
		start := lx.off
		j := nextTag(lx.src, start)
		if j < 0 {
			lx.emit(tokText, lx.src[start:], nil, start)
			return nil
		}
		text := lx.src[start:j]
		lx.off = j + 2
		if lx.off < len(lx.src) && (lx.src[lx.off] == '-' || lx.src[lx.off] == '+') {
			if lx.src[lx.off] == '-' {
				text = strings.TrimRightFunc(text, isSpace)
			}
			lx.off++
		}
		if text != "" {
			lx.emit(tokText, text, nil, start)
		}
		if err := lx.tag(lx.src[j+1], j); err != nil {
			return err
		}
	}
	return nil
}

func (lx *lexer) tag(kind byte, start int) error {
	switch kind {
	case '#':
		return lx.comment(start)
	case '{':
		lx.emit(tokVarBegin, "{{", nil, start)
		return lx.inside("}}", tokVarEnd, start)
	}
	lx.emit(tokBlockBegin, "{%", nil, start)
	return lx.inside("%}", tokBlockEnd, start)
}

func (lx *lexer) comment(start int) error {
	body := lx.off
	k := strings.Index(lx.src[body:], "#}")
	if k < 0 {
		return lx.errorf(start, "missing end of comment tag")
	}
	lx.off = body + k + 2
	if k > 0 && lx.src[body+k-1] == '-' {
		lx.skipSpace()
	}
	return nil
}

// inside lexes the expression tokens of a tag up to its end marker. As in
// Jinja2, the end marker only counts while brackets are balanced.
func (lx *lexer) inside(end string, kind tokenKind, start int) error {
	for lx.off < len(lx.src) {
		if len(lx.open) == 0 && lx.tagEnd(end, kind) {
			return nil
		}
		if err := lx.token(); err != nil {
			return err
		}
	}
	return lx.errorf(start, "unclosed %q tag", lx.src[start:start+2])
}

func (lx *lexer) tagEnd(end string, kind tokenKind) bool {
	rest := lx.src[lx.off:]
	switch {
	case strings.HasPrefix(rest, "-"+end):
		lx.emit(kind, end, nil, lx.off)
		lx.off += 3
		lx.skipSpace()
	case kind == tokBlockEnd && strings.HasPrefix(rest, "+"+end):
		lx.emit(kind, end, nil, lx.off)
		lx.off += 3
	case strings.HasPrefix(rest, end):
		lx.emit(kind, end, nil, lx.off)
		lx.off += 2
	default:
		return false
	}
	return true
}

func (lx *lexer) token() error {
	r, size := utf8.DecodeRuneInString(lx.src[lx.off:])
	switch {
	case isSpace(r):
		lx.off += size
		return nil
	case r >= '0' && r <= '9':
		return lx.number()
	case r == '_' || unicode.IsLetter(r):
		lx.name()
		return nil
	case r == '\'' || r == '"':
		return lx.str()
	}
	return lx.operator()
}

func (lx *lexer) name() {
	start := lx.off
	for lx.off < len(lx.src) {
		r, size := utf8.DecodeRuneInString(lx.src[lx.off:])
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		lx.off += size
	}
	lx.emit(tokName, lx.src[start:lx.off], nil, start)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (lx *lexer) at(i int) byte {
	if i < len(lx.src) {
		return lx.src[i]
	}
	return 0
}

func (lx *lexer) digits() {
	for isDigit(lx.at(lx.off)) || lx.at(lx.off) == '_' {
		lx.off++
	}
}

// number lexes an integer or a float. Like Jinja2, a number right after
// a dot ("x.0.1") has no fraction, so that it can be an item index.
func (lx *lexer) number() error {
	start := lx.off
	lx.digits()
	isFloat := false
	afterDot := start > 0 && lx.src[start-1] == '.'
	if lx.at(lx.off) == '.' && isDigit(lx.at(lx.off+1)) && !afterDot {
		lx.off++
		lx.digits()
		isFloat = true
	}
	if c := lx.at(lx.off); c == 'e' || c == 'E' {
		k := lx.off + 1
		if c := lx.at(k); c == '+' || c == '-' {
			k++
		}
		if isDigit(lx.at(k)) {
			lx.off = k
			lx.digits()
			isFloat = true
		}
	}
	return lx.numberValue(start, lx.src[start:lx.off], isFloat)
}

func (lx *lexer) numberValue(start int, text string, isFloat bool) error {
	clean, ok := stripUnderscores(text)
	if !ok || (!isFloat && len(clean) > 1 && clean[0] == '0' && strings.Trim(clean, "0") != "") {
		return lx.errorf(start, "invalid number literal %q", text)
	}
	if isFloat {
		f, err := strconv.ParseFloat(clean, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return lx.errorf(start, "invalid number literal %q", text)
		}
		lx.emit(tokFloat, text, f, start)
		return nil
	}
	i, err := strconv.ParseInt(clean, 10, 64)
	if err != nil {
		return lx.errorf(start, "integer literal %s is out of range", text)
	}
	lx.emit(tokInt, text, i, start)
	return nil
}

// stripUnderscores removes digit separators, which must sit between digits.
func stripUnderscores(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && (i == 0 || i == len(s)-1 || !isDigit(s[i-1]) || !isDigit(s[i+1])) {
			return "", false
		}
	}
	return strings.ReplaceAll(s, "_", ""), true
}

func (lx *lexer) str() error {
	start := lx.off
	q := lx.src[start]
	i := start + 1
	for i < len(lx.src) && lx.src[i] != q {
		if lx.src[i] == '\\' {
			i++
		}
		i++
	}
	if i >= len(lx.src) {
		return lx.errorf(start, "unterminated string")
	}
	val, err := unescape(lx.src[start+1 : i])
	if err != nil {
		return lx.errorf(start, "%w", err)
	}
	lx.off = i + 1
	lx.emit(tokString, lx.src[start:lx.off], val, start)
	return nil
}

func (lx *lexer) operator() error {
	rest := lx.src[lx.off:]
	for _, op := range [...]string{"//", "**", "==", "!=", ">=", "<="} {
		if strings.HasPrefix(rest, op) {
			lx.emit(tokOp, op, nil, lx.off)
			lx.off += 2
			return nil
		}
	}
	c := rest[0]
	if c >= utf8.RuneSelf || !strings.ContainsRune("+-/*%~[](){}><=.:|,;", rune(c)) {
		r, _ := utf8.DecodeRuneInString(rest)
		return lx.errorf(lx.off, "unexpected character %q", r)
	}
	if err := lx.balance(c); err != nil {
		return err
	}
	lx.emit(tokOp, rest[:1], nil, lx.off)
	lx.off++
	return nil
}

func (lx *lexer) balance(c byte) error {
	switch c {
	case '(':
		lx.open = append(lx.open, ')')
	case '[':
		lx.open = append(lx.open, ']')
	case '{':
		lx.open = append(lx.open, '}')
	case ')', ']', '}':
		if len(lx.open) == 0 {
			return lx.errorf(lx.off, "unexpected %q", string(c))
		}
		if want := lx.open[len(lx.open)-1]; want != c {
			return lx.errorf(lx.off, "unexpected %q, expected %q", string(c), string(want))
		}
		lx.open = lx.open[:len(lx.open)-1]
	}
	return nil
}
