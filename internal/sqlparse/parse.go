package sqlparse

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v5"
	pgparser "github.com/pganalyze/pg_query_go/v5/parser"
)

// Statement is one SQL statement of a script.
type Statement struct {
	// Index is the statement's position in its script, from 0.
	Index int
	// Start and End are byte offsets in the file: Start is the statement's
	// first token (after any leading comments), End is just past its last
	// token, before the semicolon.
	Start, End int
	// Text is File.Text[Start:End].
	Text string
	// Node is the parse tree, nil when the statement has a syntax error.
	Node *pg.Node
	// Base is the file offset that the Location fields of Node count from.
	Base int
	// Err is set when the statement does not parse.
	Err *SyntaxError
}

// SyntaxError is PostgreSQL's own message for a statement that does not
// parse, and where in the file the parser stopped.
type SyntaxError struct {
	Offset  int
	Message string
}

func (e *SyntaxError) Error() string { return e.Message }

// Comment is an SQL comment of a script: "-- ..." or "/* ... */".
type Comment struct {
	Start int // byte offset in the file
	Text  string
}

// Script is the result of parsing one region of a file.
type Script struct {
	File       *File
	Statements []*Statement
	Comments   []Comment
}

// Parse splits and parses File.Text[start:end]. A statement that does not
// parse gets a SyntaxError and the others are still parsed; Parse itself
// never fails.
func Parse(f *File, start, end int) *Script {
	if start == 0 && strings.HasPrefix(f.Text, BOM) {
		start = len(BOM)
	}
	if end < start {
		end = start
	}
	src := f.Text[start:end]
	s := &Script{File: f}

	scan, err := pg.Scan(src)
	if err != nil {
		// The lexer could not tokenize the text (an unterminated quote or
		// comment): nothing after the error can be split reliably, but the
		// statements before it can.
		serr := syntaxError(f, start, src, err)
		if cut := lastSemicolon(src[:serr.Offset-start]); cut > 0 {
			s = Parse(f, start, start+cut)
		}
		s.Statements = append(s.Statements, &Statement{
			Index: len(s.Statements), Start: serr.Offset, End: end, Text: f.Text[serr.Offset:end], Err: serr,
		})
		return s
	}
	toks := scan.GetTokens()
	code := make([]*pg.ScanToken, 0, len(toks))
	for _, t := range toks {
		if t.Token == pg.Token_SQL_COMMENT || t.Token == pg.Token_C_COMMENT {
			s.Comments = append(s.Comments, Comment{Start: start + int(t.Start), Text: src[t.Start:t.End]})
			continue
		}
		if t.Token == pg.Token_SCONST {
			s.Comments = append(s.Comments, bodyComments(src, start, t)...)
		}
		code = append(code, t)
	}

	tree, err := pg.Parse(src)
	if err == nil {
		for _, raw := range tree.GetStmts() {
			lo := int(raw.StmtLocation)
			hi := len(src)
			if raw.StmtLen > 0 {
				hi = lo + int(raw.StmtLen)
			}
			s.add(f, start, code, lo, hi, raw.Stmt, 0, nil)
		}
		return s
	}

	// Some statement does not parse. Split at top-level semicolons using the
	// real lexer's tokens, and parse each piece on its own so that the rest
	// of the file is still linted.
	for _, piece := range splitTokens(code, len(src)) {
		text := src[piece.lo:piece.hi]
		tree, err := pg.Parse(text)
		switch {
		case err != nil:
			s.add(f, start, code, piece.lo, piece.hi, nil, 0, syntaxError(f, start+piece.lo, text, err))
		case len(tree.GetStmts()) == 1:
			s.add(f, start, code, piece.lo, piece.hi, tree.Stmts[0].Stmt, piece.lo, nil)
		default:
			// A piece the parser splits further (BEGIN ATOMIC bodies): keep
			// the parser's own boundaries.
			for _, raw := range tree.GetStmts() {
				lo := piece.lo + int(raw.StmtLocation)
				hi := piece.hi
				if raw.StmtLen > 0 {
					hi = lo + int(raw.StmtLen)
				}
				s.add(f, start, code, lo, hi, raw.Stmt, piece.lo, nil)
			}
		}
	}
	return s
}

// add appends the statement covering src[lo:hi] (offsets relative to the
// parsed region, which starts at regionStart in the file), trimmed to its
// first and last tokens. An empty piece (only comments) is skipped.
func (s *Script) add(f *File, regionStart int, code []*pg.ScanToken, lo, hi int, node *pg.Node, base int, serr *SyntaxError) {
	first, last := -1, -1
	for i := lowerBound(code, lo); i < len(code) && int(code[i].Start) < hi; i++ {
		if code[i].Token == pg.Token_ASCII_59 { // ';'
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
	}
	if first < 0 && serr == nil {
		return
	}
	st := &Statement{Index: len(s.Statements), Node: node, Base: regionStart + base, Err: serr}
	if first >= 0 {
		st.Start = regionStart + int(code[first].Start)
		st.End = regionStart + int(code[last].End)
	} else {
		st.Start, st.End = regionStart+lo, regionStart+hi
	}
	st.Text = f.Text[st.Start:st.End]
	s.Statements = append(s.Statements, st)
}

type span struct{ lo, hi int }

// splitTokens cuts at semicolons outside parentheses and BEGIN ... END
// blocks, the same boundaries psql uses.
func splitTokens(code []*pg.ScanToken, n int) []span {
	var out []span
	lo, depth, block := 0, 0, 0
	for i, t := range code {
		switch t.Token {
		case pg.Token_ASCII_40: // (
			depth++
		case pg.Token_ASCII_41: // )
			if depth > 0 {
				depth--
			}
		case pg.Token_BEGIN_P:
			// BEGIN ATOMIC opens a SQL-standard function body; a bare BEGIN
			// starts a transaction and is a statement of its own.
			if i+1 < len(code) && code[i+1].Token == pg.Token_ATOMIC {
				block++
			}
		case pg.Token_CASE:
			if block > 0 {
				block++
			}
		case pg.Token_END_P:
			if block > 0 {
				block--
			}
		case pg.Token_ASCII_59: // ;
			if depth == 0 && block == 0 {
				out = append(out, span{lo, int(t.End)})
				lo = int(t.End)
			}
		}
	}
	if lo < n {
		out = append(out, span{lo, n})
	}
	return out
}

func lowerBound(code []*pg.ScanToken, off int) int {
	lo, hi := 0, len(code)
	for lo < hi {
		m := (lo + hi) / 2
		if int(code[m].Start) < off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// bodyComments returns the suppression comments inside a dollar-quoted
// string: the body of a DO block or a function, where a statement found
// inside is reported at its own line and may be suppressed there.
func bodyComments(src string, regionStart int, t *pg.ScanToken) []Comment {
	lit := src[t.Start:t.End]
	if !strings.HasPrefix(lit, "$") || !strings.Contains(lit, "schemagate:") {
		return nil
	}
	tag := lit[:strings.IndexByte(lit[1:], '$')+2]
	if len(lit) < 2*len(tag) {
		return nil
	}
	body := lit[len(tag) : len(lit)-len(tag)]
	scan, err := pg.Scan(body)
	if err != nil {
		return nil
	}
	var out []Comment
	for _, c := range scan.GetTokens() {
		if c.Token == pg.Token_SQL_COMMENT || c.Token == pg.Token_C_COMMENT {
			off := regionStart + int(t.Start) + len(tag) + int(c.Start)
			out = append(out, Comment{Start: off, Text: body[c.Start:c.End]})
		}
	}
	return out
}

// lastSemicolon returns the offset just past the last statement-ending
// semicolon of text, or 0 when text does not scan or has none.
func lastSemicolon(text string) int {
	scan, err := pg.Scan(text)
	if err != nil {
		return 0
	}
	cut := 0
	for _, t := range scan.GetTokens() {
		if t.Token == pg.Token_ASCII_59 {
			cut = int(t.End)
		}
	}
	return cut
}

// syntaxError converts pg_query's error, whose cursor position counts
// characters from 1 within text, into a file offset.
func syntaxError(f *File, textStart int, text string, err error) *SyntaxError {
	msg := err.Error()
	off := textStart
	var perr *pgparser.Error
	if errors.As(err, &perr) {
		msg = perr.Message
		// "at or near" quotes the rest of the text after an unterminated
		// literal: keep the message to one line.
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = strings.TrimRight(msg[:i], "\r") + `..."`
		}
		if perr.Cursorpos > 0 {
			off = textStart + runeOffset(text, perr.Cursorpos-1)
		}
	}
	// Point at the first token of the statement when the parser gives no
	// position, rather than at the whitespace before it.
	if off == textStart {
		trimmed := strings.TrimLeft(text, " \t\r\n")
		off += len(text) - len(trimmed)
	}
	return &SyntaxError{Offset: off, Message: msg}
}

// runeOffset returns the byte offset of the n-th character (from 0) of s.
func runeOffset(s string, n int) int {
	i := 0
	for n > 0 && i < len(s) {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n--
	}
	return i
}

// ParserVersion names the PostgreSQL parser that pg_query embeds.
func ParserVersion() string {
	return fmt.Sprintf("PostgreSQL %s parser (pg_query_go v5)", pgVersion)
}
