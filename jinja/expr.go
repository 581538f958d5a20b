package jinja

import "slices"

// constant reports the value of the names Jinja2 treats as literals.
func constant(name string) (any, bool) {
	switch name {
	case "true", "True":
		return true, true
	case "false", "False":
		return false, true
	case "none", "None":
		return nil, true
	}
	return nil, false
}

// tuple parses comma-separated expressions; more than one, or a trailing
// comma, makes a tuple. extraEnd names end a tuple besides a tag's end.
func (p *parser) tuple(withCond bool, extraEnd ...string) (expr, error) {
	at := p.peek().at
	var items []expr
	isTuple := false
	for {
		if len(items) > 0 {
			if err := p.expectOp(","); err != nil {
				return nil, err
			}
		}
		if p.tupleEnd(extraEnd) {
			break
		}
		x, err := p.expression(withCond)
		if err != nil {
			return nil, err
		}
		items = append(items, x)
		if !p.isOp(",") {
			break
		}
		isTuple = true
	}
	if isTuple {
		return &listExpr{items: items, at: at}, nil
	}
	if len(items) == 0 {
		return nil, p.errorf(p.peek().at, "expected an expression, got %s", describe(p.peek()))
	}
	return items[0], nil
}

func (p *parser) tupleEnd(extraEnd []string) bool {
	t := p.peek()
	return t.kind == tokVarEnd || t.kind == tokBlockEnd || p.isOp(")") ||
		t.kind == tokName && slices.Contains(extraEnd, t.text)
}

func (p *parser) expression(withCond bool) (expr, error) {
	if withCond {
		return p.condExpr()
	}
	return p.or()
}

// The loops below that build a chain such as a ~ b ~ c or x|f|g nest the
// tree one level deeper per link, so each link counts against maxNesting
// until the function returns.

func (p *parser) condExpr() (expr, error) {
	x, err := p.or()
	for err == nil && p.isName("if") {
		defer p.leave()
		if err = p.enter(p.peek().at); err != nil {
			break
		}
		c := &condExpr{yes: x, at: p.next().at}
		if c.cond, err = p.or(); err == nil && p.isName("else") {
			p.next()
			c.no, err = p.condExpr()
		}
		x = c
	}
	return x, err
}

// leftAssoc parses operand (op operand)* into a left-leaning tree.
func (p *parser) leftAssoc(operand func() (expr, error), ops ...string) (expr, error) {
	x, err := operand()
	for err == nil {
		t := p.peek()
		if t.kind != tokOp && t.kind != tokName || !slices.Contains(ops, t.text) {
			break
		}
		defer p.leave()
		if err = p.enter(t.at); err != nil {
			break
		}
		p.next()
		var y expr
		y, err = operand()
		x = &binaryExpr{op: t.text, l: x, r: y, at: t.at}
	}
	return x, err
}

func (p *parser) or() (expr, error) { return p.leftAssoc(p.and, "or") }

func (p *parser) and() (expr, error) { return p.leftAssoc(p.not, "and") }

func (p *parser) not() (expr, error) {
	if !p.isName("not") {
		return p.compare()
	}
	t := p.next()
	defer p.leave()
	if err := p.enter(t.at); err != nil {
		return nil, err
	}
	x, err := p.not()
	return &unaryExpr{op: "not", x: x, at: t.at}, err
}

func (p *parser) compare() (expr, error) {
	x, err := p.math1()
	if err != nil {
		return nil, err
	}
	c := &compareExpr{first: x}
	for {
		t := p.peek()
		op := p.compareOp()
		if op == "" {
			break
		}
		y, err := p.math1()
		if err != nil {
			return nil, err
		}
		c.ops, c.rest, c.ats = append(c.ops, op), append(c.rest, y), append(c.ats, t.at)
	}
	if len(c.ops) == 0 {
		return x, nil
	}
	return c, nil
}

// compareOp consumes and returns a comparison operator, or returns "".
func (p *parser) compareOp() string {
	t := p.peek()
	switch {
	case t.kind == tokOp && slices.Contains([]string{"==", "!=", "<", "<=", ">", ">="}, t.text):
		p.next()
		return t.text
	case p.isName("in"):
		p.next()
		return "in"
	case p.isName("not") && p.peekAt(1).kind == tokName && p.peekAt(1).text == "in":
		p.next()
		p.next()
		return "not in"
	}
	return ""
}

// Jinja2 binds "~" tighter than "+" and "-", looser than "*" and "/".
func (p *parser) math1() (expr, error) { return p.leftAssoc(p.concat, "+", "-") }

func (p *parser) concat() (expr, error) { return p.leftAssoc(p.math2, "~") }

func (p *parser) math2() (expr, error) { return p.leftAssoc(p.pow, "*", "/", "//", "%") }

func (p *parser) pow() (expr, error) {
	x, err := p.unary(true)
	if err == nil && p.isOp("**") {
		return nil, p.errorf(p.peek().at, "the ** operator is not supported")
	}
	return x, err
}

// unary parses a signed primary with its postfixes. Filters and tests
// bind tighter than any binary operator but looser than a unary minus.
func (p *parser) unary(withFilter bool) (expr, error) {
	t := p.peek()
	defer p.leave()
	if err := p.enter(t.at); err != nil {
		return nil, err
	}
	var x expr
	var err error
	if t.kind == tokOp && (t.text == "-" || t.text == "+") {
		p.next()
		var y expr
		y, err = p.unary(false)
		x = &unaryExpr{op: t.text, x: y, at: t.at}
	} else {
		x, err = p.primary()
	}
	if err == nil {
		x, err = p.postfix(x)
	}
	if err == nil && withFilter {
		x, err = p.filters(x)
	}
	return x, err
}

func (p *parser) primary() (expr, error) {
	t := p.next()
	switch t.kind {
	case tokName:
		if v, ok := constant(t.text); ok {
			return &constExpr{val: v, at: t.at}, nil
		}
		return &nameExpr{name: t.text, at: t.at}, nil
	case tokString:
		s := t.val.(string)
		for p.peek().kind == tokString {
			s += p.next().val.(string)
		}
		return &constExpr{val: s, at: t.at}, nil
	case tokInt, tokFloat:
		return &constExpr{val: t.val, at: t.at}, nil
	case tokOp:
		switch t.text {
		case "(":
			return p.paren(t)
		case "[":
			return p.list(t)
		case "{":
			return p.dict(t)
		}
	}
	return nil, p.errorf(t.at, "unexpected %s", describe(t))
}

func (p *parser) paren(open token) (expr, error) {
	if p.isOp(")") {
		p.next()
		return &listExpr{at: open.at}, nil
	}
	x, err := p.tuple(true)
	if err != nil {
		return nil, err
	}
	return x, p.expectOp(")")
}

func (p *parser) list(open token) (expr, error) {
	l := &listExpr{at: open.at}
	for !p.isOp("]") {
		if len(l.items) > 0 {
			if err := p.expectOp(","); err != nil {
				return nil, err
			}
			if p.isOp("]") {
				break
			}
		}
		x, err := p.expression(true)
		if err != nil {
			return nil, err
		}
		l.items = append(l.items, x)
	}
	p.next()
	return l, nil
}

func (p *parser) dict(open token) (expr, error) {
	d := &dictExpr{at: open.at}
	for !p.isOp("}") {
		if len(d.keys) > 0 {
			if err := p.expectOp(","); err != nil {
				return nil, err
			}
			if p.isOp("}") {
				break
			}
		}
		k, err := p.expression(true)
		if err == nil {
			err = p.expectOp(":")
		}
		if err != nil {
			return nil, err
		}
		v, err := p.expression(true)
		if err != nil {
			return nil, err
		}
		d.keys, d.vals = append(d.keys, k), append(d.vals, v)
	}
	p.next()
	return d, nil
}

func (p *parser) postfix(x expr) (expr, error) {
	for p.isOp(".") || p.isOp("[") || p.isOp("(") {
		defer p.leave()
		err := p.enter(p.peek().at)
		switch {
		case err != nil:
		case p.isOp("."):
			x, err = p.attr(x)
		case p.isOp("["):
			x, err = p.subscript(x)
		default:
			x, err = p.call(x)
		}
		if err != nil {
			return nil, err
		}
	}
	return x, nil
}

func (p *parser) attr(obj expr) (expr, error) {
	p.next()
	t := p.next()
	switch t.kind {
	case tokName:
		return &attrExpr{obj: obj, name: t.text, at: t.at}, nil
	case tokInt:
		return &itemExpr{obj: obj, key: &constExpr{val: t.val, at: t.at}, at: t.at}, nil
	}
	return nil, p.errorf(t.at, "expected an attribute name or number, got %s", describe(t))
}

func (p *parser) subscript(obj expr) (expr, error) {
	open := p.next()
	if p.isOp(":") {
		return nil, p.errorf(p.peek().at, "slices are not supported")
	}
	key, err := p.expression(true)
	if err != nil {
		return nil, err
	}
	if p.isOp(":") {
		return nil, p.errorf(p.peek().at, "slices are not supported")
	}
	return &itemExpr{obj: obj, key: key, at: open.at}, p.expectOp("]")
}

func (p *parser) call(fn expr) (expr, error) {
	args, err := p.callArgs()
	if err != nil {
		return nil, err
	}
	return &callExpr{fn: fn, args: args}, nil
}

func (p *parser) callArgs() (callArgs, error) {
	var a callArgs
	p.next()
	for !p.isOp(")") {
		if len(a.pos)+len(a.kw) > 0 {
			if err := p.expectOp(","); err != nil {
				return a, err
			}
			if p.isOp(")") {
				break
			}
		}
		if err := p.callArg(&a); err != nil {
			return a, err
		}
	}
	p.next()
	return a, nil
}

func (p *parser) callArg(a *callArgs) error {
	t := p.peek()
	if p.isOp("*") || p.isOp("**") {
		return p.errorf(t.at, "*args and **kwargs are not supported")
	}
	isKeyword := t.kind == tokName && p.peekAt(1).kind == tokOp && p.peekAt(1).text == "="
	if isKeyword {
		p.next()
		p.next()
		if slices.Contains(a.names, t.text) {
			return p.errorf(t.at, "keyword argument %q repeated", t.text)
		}
	} else if len(a.kw) > 0 {
		return p.errorf(t.at, "positional argument follows keyword argument")
	}
	x, err := p.expression(true)
	if err != nil {
		return err
	}
	if isKeyword {
		a.names, a.kw = append(a.names, t.text), append(a.kw, x)
	} else {
		a.pos = append(a.pos, x)
	}
	return nil
}

// filters parses the filters, tests and calls that follow a unary.
func (p *parser) filters(x expr) (expr, error) {
	for p.isOp("|") || p.isName("is") || p.isOp("(") {
		defer p.leave()
		err := p.enter(p.peek().at)
		switch {
		case err != nil:
		case p.isOp("|"):
			x, err = p.filter(x)
		case p.isName("is"):
			x, err = p.test(x)
		default:
			x, err = p.call(x)
		}
		if err != nil {
			return nil, err
		}
	}
	return x, nil
}

func (p *parser) filter(arg expr) (expr, error) {
	p.next()
	t := p.next()
	if t.kind != tokName {
		return nil, p.errorf(t.at, "expected a filter name, got %s", describe(t))
	}
	if !knownFilter(t.text) {
		return nil, p.errorf(t.at, "unknown filter %q", t.text)
	}
	f := &filterExpr{arg: arg, name: t.text, at: t.at}
	if p.isOp("(") {
		var err error
		if f.args, err = p.callArgs(); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (p *parser) test(arg expr) (expr, error) {
	p.next()
	neg := p.isName("not")
	if neg {
		p.next()
	}
	t := p.next()
	if t.kind != tokName {
		return nil, p.errorf(t.at, "expected a test name, got %s", describe(t))
	}
	if !slices.Contains([]string{"none", "defined", "string", "number"}, t.text) {
		return nil, p.errorf(t.at, "unknown test %q", t.text)
	}
	if p.testArgument() {
		return nil, p.errorf(p.peek().at, "test %q takes no argument", t.text)
	}
	return &testExpr{arg: arg, name: t.text, neg: neg, at: t.at}, nil
}

// testArgument reports whether Jinja2 would read the next token as the
// argument of a test, as in "x is divisibleby 3".
func (p *parser) testArgument() bool {
	t := p.peek()
	switch t.kind {
	case tokString, tokInt, tokFloat:
		return true
	case tokName:
		return !slices.Contains([]string{"else", "or", "and"}, t.text)
	case tokOp:
		return t.text == "(" || t.text == "[" || t.text == "{"
	}
	return false
}
