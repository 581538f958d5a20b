package jinja

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

var errTooLarge = errors.New("value larger than the 4 MiB limit")

// toStr is Python's str(), which {{ }}, "~" and the string filter use.
func toStr(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	var p printer
	p.value(v, false)
	return p.b.String(), p.err
}

// printer writes values as Python prints them, stopping at maxSize.
type printer struct {
	b   strings.Builder
	err error
}

func (p *printer) value(v any, quoted bool) {
	if p.err == nil && p.b.Len() > maxSize {
		p.err = errTooLarge
	}
	if p.err != nil {
		return
	}
	switch x := v.(type) {
	case string:
		p.str(x, quoted)
	case nil:
		p.b.WriteString("None")
	case bool:
		p.b.WriteString(pyBool(x))
	case int64:
		p.b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		p.b.WriteString(pyFloat(x))
	case []any:
		p.list(x)
	case *Dict:
		p.dict(x)
	case *Namespace:
		p.namespace(x)
	case undefined:
		if quoted {
			p.b.WriteString("Undefined")
		}
	default:
		p.err = fmt.Errorf("cannot render a %s", typeName(v))
	}
}

func (p *printer) str(s string, quoted bool) {
	if quoted {
		p.b.WriteString(pyQuote(s))
	} else {
		p.b.WriteString(s)
	}
}

func (p *printer) list(l []any) {
	p.b.WriteByte('[')
	for i, v := range l {
		if i > 0 {
			p.b.WriteString(", ")
		}
		p.value(v, true)
	}
	p.b.WriteByte(']')
}

func (p *printer) dict(d *Dict) {
	p.b.WriteByte('{')
	for i, k := range d.keys {
		if i > 0 {
			p.b.WriteString(", ")
		}
		p.b.WriteString(pyQuote(k))
		p.b.WriteString(": ")
		p.value(d.vals[k], true)
	}
	p.b.WriteByte('}')
}

func (p *printer) namespace(n *Namespace) {
	if n.Text == "" {
		p.err = fmt.Errorf("cannot render namespace %q", n.Name)
		return
	}
	p.b.WriteString(n.Text)
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// pyFloat formats f like Python's repr: the shortest digits that round
// trip, in exponent form below 1e-4 and from 1e16 on.
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(s[strings.LastIndexByte(s, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return s
	}
	s = strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// pyQuote formats s like Python's repr of a string.
func pyQuote(s string) string {
	q := '\''
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteRune(q)
	for _, r := range s {
		switch {
		case r == q || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x100 && !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000 && !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		case !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteRune(q)
	return b.String()
}
