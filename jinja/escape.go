package jinja

import (
	"errors"
	"strconv"
	"strings"
)

// unescape decodes the Python escapes of a string literal the way Jinja2
// does; an unknown escape such as "\d" stays as written.
func unescape(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		n, err := escape(&b, s[i+1:])
		if err != nil {
			return "", err
		}
		i += n
	}
	return b.String(), nil
}

// escape writes the character that the escape at the start of rest (just
// after the backslash) stands for and returns how many bytes it used.
func escape(b *strings.Builder, rest string) (int, error) {
	switch c := rest[0]; c {
	case '\n':
		return 1, nil
	case '\\', '\'', '"':
		b.WriteByte(c)
		return 1, nil
	case 'a', 'b', 'f', 'n', 'r', 't', 'v':
		b.WriteByte("\a\b\f\n\r\t\v"[strings.IndexByte("abfnrtv", c)])
		return 1, nil
	case 'x':
		return hexEscape(b, rest, 2)
	case 'u':
		return hexEscape(b, rest, 4)
	case 'U':
		return hexEscape(b, rest, 8)
	case 'N':
		return 0, errors.New(`\N{...} escapes are not supported`)
	}
	if n := octalDigits(rest); n > 0 {
		v, _ := strconv.ParseUint(rest[:n], 8, 32)
		b.WriteRune(rune(v))
		return n, nil
	}
	b.WriteByte('\\')
	return 0, nil
}

func octalDigits(s string) int {
	n := 0
	for n < 3 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
		n++
	}
	return n
}

func hexEscape(b *strings.Builder, rest string, n int) (int, error) {
	if len(rest) < n+1 {
		return 0, errors.New(`truncated \` + rest[:1] + ` escape`)
	}
	v, err := strconv.ParseUint(rest[1:n+1], 16, 32)
	if err != nil {
		return 0, errors.New(`truncated \` + rest[:1] + ` escape`)
	}
	if v > 0x10FFFF {
		return 0, errors.New("illegal Unicode character in escape")
	}
	b.WriteRune(rune(v))
	return n + 1, nil
}
