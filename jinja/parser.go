package jinja

import (
	"fmt"
	"slices"
)

// parser builds statements and expressions from tokens, following the
// structure of Jinja2's parser so that precedence and quirks match.
type parser struct {
	file  string
	toks  []token
	i     int
	depth int
}

// parse parses a whole template.
func parse(file, src string) ([]node, error) {
	toks, err := lex(file, normalizeNewlines(src))
	if err != nil {
		return nil, err
	}
	p := &parser{file: file, toks: toks}
	nodes, _, err := p.body()
	return nodes, err
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekAt(n int) token { return p.toks[min(p.i+n, len(p.toks)-1)] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) isOp(op string) bool {
	t := p.peek()
	return t.kind == tokOp && t.text == op
}

func (p *parser) isName(name string) bool {
	t := p.peek()
	return t.kind == tokName && t.text == name
}

func (p *parser) errorf(at pos, format string, args ...any) error {
	return &Error{File: p.file, Line: at.line, Col: at.col, Msg: fmt.Sprintf(format, args...)}
}

// describe names a token in an error message.
func describe(t token) string {
	switch t.kind {
	case tokVarEnd:
		return "end of print statement"
	case tokBlockEnd:
		return "end of statement block"
	case tokEOF:
		return "end of template"
	case tokText:
		return "template text"
	}
	return fmt.Sprintf("%q", t.text)
}

func (p *parser) expectOp(op string) error {
	if t := p.next(); t.kind != tokOp || t.text != op {
		return p.errorf(t.at, "expected %q, got %s", op, describe(t))
	}
	return nil
}

func (p *parser) blockEnd() error {
	if t := p.next(); t.kind != tokBlockEnd {
		return p.errorf(t.at, "expected end of statement block, got %s", describe(t))
	}
	return nil
}

// enter guards against input nested deeply enough to exhaust the stack.
func (p *parser) enter(at pos) error {
	p.depth++
	if p.depth > maxNesting {
		return p.errorf(at, "nested more than %d levels deep", maxNesting)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// body parses statements until a block tag named in ends, which it
// consumes and returns, or until the end of the template.
func (p *parser) body(ends ...string) ([]node, token, error) {
	defer p.leave()
	if err := p.enter(p.peek().at); err != nil {
		return nil, token{}, err
	}
	var nodes []node
	for {
		t := p.next()
		var n node
		var err error
		switch t.kind {
		case tokEOF:
			return nodes, t, nil
		case tokText:
			n = &textNode{text: t.text, at: t.at}
		case tokVarBegin:
			n, err = p.output(t)
		case tokBlockBegin:
			if name := p.peek(); name.kind == tokName && slices.Contains(ends, name.text) {
				return nodes, p.next(), nil
			}
			n, err = p.statement()
		default:
			err = p.errorf(t.at, "unexpected %s", describe(t))
		}
		if err != nil {
			return nil, t, err
		}
		nodes = append(nodes, n)
	}
}

// block is body for a statement that must be closed: the template
// ending first is an error at the opening tag.
func (p *parser) block(opener token, ends ...string) ([]node, token, error) {
	nodes, end, err := p.body(ends...)
	if err == nil && end.kind == tokEOF {
		err = p.errorf(opener.at, "unclosed %q: expected %q", opener.text, ends[len(ends)-1])
	}
	return nodes, end, err
}

func (p *parser) output(begin token) (node, error) {
	x, err := p.tuple(true)
	if err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tokVarEnd {
		return nil, p.errorf(t.at, "expected end of print statement, got %s", describe(t))
	}
	return &outputNode{x: x, at: begin.at}, nil
}

func (p *parser) statement() (node, error) {
	name := p.next()
	if name.kind != tokName {
		return nil, p.errorf(name.at, "expected a statement name, got %s", describe(name))
	}
	switch name.text {
	case "if":
		return p.ifStmt(name)
	case "for":
		return p.forStmt(name)
	case "set":
		return p.setStmt(name)
	case "macro":
		return p.macroStmt(name)
	case "elif", "else", "endif", "endfor", "endmacro":
		return nil, p.errorf(name.at, "unexpected %q", name.text)
	}
	return nil, p.errorf(name.at, "unsupported statement %q", name.text)
}

func (p *parser) ifStmt(tag token) (node, error) {
	n := &ifNode{}
	for {
		cond, err := p.tuple(false)
		if err == nil {
			err = p.blockEnd()
		}
		if err != nil {
			return nil, err
		}
		body, end, err := p.block(tag, "elif", "else", "endif")
		if err != nil {
			return nil, err
		}
		n.conds = append(n.conds, cond)
		n.bodies = append(n.bodies, body)
		switch end.text {
		case "else":
			return n, p.elseBranch(tag, n)
		case "endif":
			return n, p.blockEnd()
		}
	}
}

func (p *parser) elseBranch(tag token, n *ifNode) error {
	if err := p.blockEnd(); err != nil {
		return err
	}
	body, _, err := p.block(tag, "endif")
	if err != nil {
		return err
	}
	n.orElse = body
	return p.blockEnd()
}

func (p *parser) forStmt(tag token) (node, error) {
	targets, err := p.targets()
	if err != nil {
		return nil, err
	}
	if slices.Contains(targets, "loop") {
		return nil, p.errorf(tag.at, "cannot assign to the special loop variable")
	}
	if t := p.next(); t.kind != tokName || t.text != "in" {
		return nil, p.errorf(t.at, "expected \"in\", got %s", describe(t))
	}
	iter, err := p.tuple(false, "recursive")
	if err != nil {
		return nil, err
	}
	if err := p.forEnd(); err != nil {
		return nil, err
	}
	body, end, err := p.block(tag, "else", "endfor")
	if err != nil {
		return nil, err
	}
	if end.text == "else" {
		return nil, p.errorf(end.at, "else in a for loop is not supported")
	}
	return &forNode{targets: targets, iter: iter, body: body, at: tag.at}, p.blockEnd()
}

func (p *parser) forEnd() error {
	switch t := p.peek(); {
	case p.isName("if"):
		return p.errorf(t.at, "loop filters (for ... if) are not supported")
	case p.isName("recursive"):
		return p.errorf(t.at, "recursive loops are not supported")
	}
	return p.blockEnd()
}

// targets parses the names that a for or set statement assigns to.
func (p *parser) targets() ([]string, error) {
	var names []string
	for {
		t := p.next()
		if t.kind != tokName {
			return nil, p.errorf(t.at, "expected a name to assign to, got %s", describe(t))
		}
		if _, isConst := constant(t.text); isConst {
			return nil, p.errorf(t.at, "cannot assign to %q", t.text)
		}
		names = append(names, t.text)
		if !p.isOp(",") {
			return names, nil
		}
		p.next()
	}
}

func (p *parser) setStmt(tag token) (node, error) {
	targets, err := p.targets()
	if err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tokOp || t.text != "=" {
		if t.kind == tokBlockEnd || t.kind == tokOp && t.text == "|" {
			return nil, p.errorf(tag.at, "block set (set ... endset) is not supported")
		}
		return nil, p.errorf(t.at, "expected \"=\", got %s", describe(t))
	}
	x, err := p.tuple(true)
	if err != nil {
		return nil, err
	}
	return &setNode{targets: targets, x: x, at: tag.at}, p.blockEnd()
}

func (p *parser) macroStmt(tag token) (node, error) {
	name := p.next()
	if name.kind != tokName {
		return nil, p.errorf(name.at, "expected a macro name, got %s", describe(name))
	}
	m := &Macro{name: name.text, file: p.file, at: name.at}
	if err := p.params(m); err != nil {
		return nil, err
	}
	if err := p.blockEnd(); err != nil {
		return nil, err
	}
	body, _, err := p.block(tag, "endmacro")
	if err != nil {
		return nil, err
	}
	m.body = body
	return &macroNode{m: m}, p.blockEnd()
}

// params parses a macro signature: (a, b='default', ...).
func (p *parser) params(m *Macro) error {
	if err := p.expectOp("("); err != nil {
		return err
	}
	for !p.isOp(")") {
		if len(m.params) > 0 {
			if err := p.expectOp(","); err != nil {
				return err
			}
		}
		if err := p.param(m); err != nil {
			return err
		}
	}
	p.next()
	return nil
}

func (p *parser) param(m *Macro) error {
	t := p.next()
	if t.kind != tokName {
		return p.errorf(t.at, "expected a parameter name, got %s", describe(t))
	}
	if _, isConst := constant(t.text); isConst || slices.Contains(m.params, t.text) {
		return p.errorf(t.at, "invalid or duplicate parameter %q", t.text)
	}
	var def expr
	if p.isOp("=") {
		p.next()
		var err error
		if def, err = p.expression(true); err != nil {
			return err
		}
	} else if len(m.defaults) > 0 && m.defaults[len(m.defaults)-1] != nil {
		return p.errorf(t.at, "parameter %q without a default follows one with a default", t.text)
	}
	m.params = append(m.params, t.text)
	m.defaults = append(m.defaults, def)
	return nil
}
