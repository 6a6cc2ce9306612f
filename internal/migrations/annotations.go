package migrations

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/schemagate/schemagate/internal/sqlparse"
)

// This file holds the annotation parser that goose and sql-migrate share:
// both keep the up and the down migration in one file, separated by
// comment lines ("-- +goose Up", "-- +migrate Down"), and both mark
// statements that contain semicolons (function bodies) with StatementBegin
// and StatementEnd. The parser only finds the two sections and checks that
// the annotations are well formed; splitting statements is pg_query's job,
// and annotation lines left inside a section are SQL comments to it.

// annotation is the kind of an annotation line.
type annotation int

const (
	annNone           annotation = iota // not an annotation: SQL or an ordinary comment
	annUp                               // start of the up section
	annDown                             // start of the down section
	annStatementBegin                   // start of a statement that contains semicolons
	annStatementEnd                     // its end
	annNoTransaction                    // run both sections outside a transaction
	annIgnored                          // accepted and of no consequence here (goose ENVSUB ON/OFF)
)

// annotationSyntax is how one tool spells its annotations.
type annotationSyntax struct {
	tool string // "goose", for messages
	// spell is how annotation a is written: "-- +goose Up".
	spell func(a annotation) string
	// read recognises an annotation line (without its line ending) and
	// returns its options: the words after it on the line. It returns
	// annNone for other lines and an error for a malformed annotation.
	read func(line string) (annotation, []string, error)
	// noTxOption is the option of an Up or Down line that runs that section
	// outside a transaction ("notransaction"); empty when there is none.
	noTxOption string
}

// parseState is where the parser is in a file.
type parseState int

const (
	stateStart     parseState = iota // before the Up annotation
	stateUp                          // in the up section
	stateUpBlock                     // in a StatementBegin block of the up section
	stateDown                        // in the down section
	stateDownBlock                   // in a StatementBegin block of the down section
)

// sections are the regions of a file that hold the up and the down
// migration. A region starts at the line after its annotation and ends
// where the next section's annotation line starts, or at the end of file.
type sections struct {
	upStart, upEnd     int
	hasDown            bool
	downStart, downEnd int
	upNoTx, downNoTx   bool
}

// scripts turns the sections into the migration's scripts, given the
// transaction mode of a section that does not opt out (tx) and of one that
// does (noTx: TxNone where the tool runs statement by statement, TxImplicit
// where it sends the section as one query).
func (s *sections) scripts(f *sqlparse.File, tx, noTx TxMode) (up, down *Script) {
	mode := func(opted bool) TxMode {
		if opted {
			return noTx
		}
		return tx
	}
	up = &Script{File: f, Start: s.upStart, End: s.upEnd, Tx: mode(s.upNoTx)}
	if s.hasDown {
		down = &Script{File: f, Start: s.downStart, End: s.downEnd, Tx: mode(s.downNoTx)}
	}
	return up, down
}

// parse finds the sections of f. Its errors are FileErrors at the line of
// the offending annotation.
func (syn *annotationSyntax) parse(f *sqlparse.File) (*sections, *FileError) {
	var (
		s         sections
		st        = stateStart
		upLine    int // line of the Up annotation
		downLine  int // line of the Down annotation
		blockLine int // line of the open StatementBegin
		preamble  int // first line of SQL before the Up annotation
		quote     dollarQuote
	)
	fail := func(line int, format string, args ...any) (*sections, *FileError) {
		return nil, &FileError{Path: f.Path, Line: line, Err: fmt.Errorf(format, args...)}
	}
	up, down := syn.spell(annUp), syn.spell(annDown)
	begin, end := syn.spell(annStatementBegin), syn.spell(annStatementEnd)

	for n := 1; n <= f.Lines(); n++ {
		line := f.LineText(n)
		a, opts, err := syn.read(line)
		if err != nil {
			return nil, &FileError{Path: f.Path, Line: n, Err: err}
		}
		switch {
		case a == annNone && st == stateStart:
			// Reported once the Up annotation shows that the file is a
			// migration; without one, that is the error to report.
			if preamble == 0 && isStatementLine(line) {
				preamble = n
			}
		case a == annNone && (st == stateUp || st == stateDown):
			// SQL or an ordinary comment: part of the current section,
			// which the tool splits at every line that ends in ";".
			if quote.scan(line, n) {
				return fail(n, "%s splits a statement at every line that ends in \";\", and this one is inside the quoted text (a string or a $-quoted body) opened on line %d, "+
					"which would end there: put %q before the statement and %q after it", syn.tool, quote.line, begin, end)
			}
		case a == annNone:
			// SQL or an ordinary comment inside a StatementBegin block.

		case a == annNoTransaction:
			s.upNoTx, s.downNoTx = true, true
		case a == annIgnored:

		case a == annUp && st == stateStart && preamble > 0:
			return fail(preamble, "statement before %q: %s runs only what follows its annotations; move it below %q", up, syn.tool, up)
		case a == annUp && st == stateStart:
			st, upLine = stateUp, n
			s.upStart = f.LineStart(n + 1)
			s.upNoTx = s.upNoTx || syn.noTx(opts)
		case a == annUp:
			return fail(n, "second %q annotation (the first is on line %d): keep one up section per file", up, upLine)

		case a == annDown && st == stateUp:
			st, downLine = stateDown, n
			s.upEnd = f.LineStart(n)
			s.hasDown = true
			s.downStart = f.LineStart(n + 1)
			s.downNoTx = s.downNoTx || syn.noTx(opts)
		case a == annDown && st == stateStart:
			return fail(n, "%q before %q: expected %q first; put the up section before the down section", down, up, up)
		case a == annDown && st == stateUpBlock:
			return fail(n, "%q inside the block opened on line %d: expected %q first", down, blockLine, end)
		case a == annDown:
			return fail(n, "second %q annotation (the first is on line %d): keep one down section per file", down, downLine)

		case a == annStatementBegin && st == stateUp:
			st, blockLine, quote = stateUpBlock, n, dollarQuote{}
		case a == annStatementBegin && st == stateDown:
			st, blockLine, quote = stateDownBlock, n, dollarQuote{}
		case a == annStatementBegin && st == stateStart:
			return fail(n, "%q before %q: expected %q first", begin, up, up)
		case a == annStatementBegin:
			return fail(n, "%q inside the block opened on line %d: expected %q first", begin, blockLine, end)

		case a == annStatementEnd && st == stateUpBlock:
			st = stateUp
		case a == annStatementEnd && st == stateDownBlock:
			st = stateDown
		case a == annStatementEnd:
			return fail(n, "%q without an open %q: expected %q before the statement, or remove this line", end, begin, begin)
		}
	}

	switch st {
	case stateStart:
		return fail(0, "missing %q annotation: %s needs it to find the up migration", up, syn.tool)
	case stateUpBlock, stateDownBlock:
		return fail(blockLine, "%q is never closed: expected %q after the statement", begin, end)
	case stateUp:
		s.upEnd = len(f.Text)
	case stateDown:
		s.downEnd = len(f.Text)
	}
	return &s, nil
}

// dollarQuote follows $-quoted strings ($$ ... $$, $body$ ... $body$: the
// bodies of functions and DO blocks), and '...' strings, from line to line.
type dollarQuote struct {
	tag    string // the open $-quote's delimiter, "" when none is open
	line   int    // where it opened
	string bool   // a '...' string is open
}

// dollarTag matches a $-quote delimiter at the start of its text.
var dollarTag = regexp.MustCompile(`^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$`)

// scan reads line n and reports whether a $-quoted or '...' string is open
// at its end while the tool sees the line end a statement
// (endsWithSemicolon): the tool would cut the text in two.
// Outside quotes, "--" comments are skipped.
func (q *dollarQuote) scan(line string, n int) bool {
	for i := 0; i < len(line); {
		switch {
		case q.string:
			j := strings.IndexByte(line[i:], '\'')
			if j < 0 {
				i = len(line)
				continue
			}
			i += j + 1
			q.string = false
		case q.tag != "":
			j := strings.Index(line[i:], q.tag)
			if j < 0 {
				i = len(line)
				continue
			}
			i += j + len(q.tag)
			q.tag = ""
		case strings.HasPrefix(line[i:], "--"):
			i = len(line)
		case line[i] == '\'':
			q.string, q.line = true, n
			i++
		case line[i] == '$':
			if m := dollarTag.FindString(line[i:]); m != "" && (i == 0 || !identByte(line[i-1])) {
				q.tag, q.line = m, n
				i += len(m)
				continue
			}
			i++
		default:
			i++
		}
	}
	return (q.tag != "" || q.string) && endsWithSemicolon(line)
}

// endsWithSemicolon is goose's and sql-migrate's test of a line, which
// knows no quotes: its last word before one that starts with "--" ends in
// ";".
func endsWithSemicolon(line string) bool {
	prev := ""
	for _, w := range strings.Fields(line) {
		if strings.HasPrefix(w, "--") {
			break
		}
		prev = w
	}
	return strings.HasSuffix(prev, ";")
}

func identByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// noTx reports whether opts turn the transaction off.
func (syn *annotationSyntax) noTx(opts []string) bool {
	return syn.noTxOption != "" && slices.Contains(opts, syn.noTxOption)
}

// isStatementLine reports whether line holds more than blanks and a
// "--" comment.
func isStatementLine(line string) bool {
	line = strings.TrimSpace(line)
	return line != "" && !strings.HasPrefix(line, "--")
}

// gooseSyntax reads goose's annotations: a line that starts with "--",
// then "+goose" and a case-insensitive command.
var gooseSyntax = &annotationSyntax{
	tool: "goose",
	spell: func(a annotation) string {
		return "-- +goose " + map[annotation]string{
			annUp:             "Up",
			annDown:           "Down",
			annStatementBegin: "StatementBegin",
			annStatementEnd:   "StatementEnd",
			annNoTransaction:  "NO TRANSACTION",
		}[a]
	},
	read: readGooseAnnotation,
}

var gooseCommands = map[string]annotation{
	"up":             annUp,
	"down":           annDown,
	"statementbegin": annStatementBegin,
	"statementend":   annStatementEnd,
	"no transaction": annNoTransaction,
	"envsub on":      annIgnored,
	"envsub off":     annIgnored,
}

func readGooseAnnotation(line string) (annotation, []string, error) {
	const marker = "+goose"
	rest, ok := strings.CutPrefix(line, "--")
	if !ok {
		return annNone, nil, nil
	}
	rest = strings.TrimSpace(rest)
	if len(rest) < len(marker) || !strings.EqualFold(rest[:len(marker)], marker) {
		return annNone, nil, nil
	}
	cmd := strings.Join(strings.Fields(rest[len(marker):]), " ")
	if a, ok := gooseCommands[strings.ToLower(cmd)]; ok {
		return a, nil, nil
	}
	return annNone, nil, fmt.Errorf("unknown annotation %q: goose accepts Up, Down, StatementBegin, StatementEnd, NO TRANSACTION, ENVSUB ON and ENVSUB OFF", strings.TrimSpace(line))
}

// sqlMigrateSyntax reads sql-migrate's annotations: "-- +migrate " exactly,
// then a case-sensitive command and options.
var sqlMigrateSyntax = &annotationSyntax{
	tool: "sql-migrate",
	spell: func(a annotation) string {
		return "-- +migrate " + map[annotation]string{
			annUp:             "Up",
			annDown:           "Down",
			annStatementBegin: "StatementBegin",
			annStatementEnd:   "StatementEnd",
		}[a]
	},
	read:       readSQLMigrateAnnotation,
	noTxOption: "notransaction",
}

var sqlMigrateCommands = map[string]annotation{
	"Up":             annUp,
	"Down":           annDown,
	"StatementBegin": annStatementBegin,
	"StatementEnd":   annStatementEnd,
}

func readSQLMigrateAnnotation(line string) (annotation, []string, error) {
	const prefix = "-- +migrate "
	rest, ok := strings.CutPrefix(line, prefix)
	if !ok {
		if strings.TrimSpace(line) == strings.TrimSpace(prefix) {
			return annNone, nil, errors.New(`"-- +migrate" without a command: sql-migrate accepts Up, Down, StatementBegin and StatementEnd`)
		}
		return annNone, nil, nil
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return annNone, nil, errors.New(`"-- +migrate" without a command: sql-migrate accepts Up, Down, StatementBegin and StatementEnd`)
	}
	if a, ok := sqlMigrateCommands[fields[0]]; ok {
		return a, fields[1:], nil
	}
	return annNone, nil, fmt.Errorf("unknown annotation %q: sql-migrate accepts Up, Down, StatementBegin and StatementEnd, spelled exactly so", strings.TrimSpace(line))
}
