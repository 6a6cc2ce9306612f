package checks

import (
	"github.com/schemagate/schemagate/internal/finding"
)

// SyntaxError reports statements that PostgreSQL's parser rejects.
var SyntaxError = &Rule{
	ID:       "syntax-error",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Statement does not parse",
		Text: `The statement is not valid PostgreSQL: the parser that PostgreSQL itself uses
(pg_query) rejects it, and the message is PostgreSQL's own. The migration would
fail when applied. The rest of the file is still checked: schemagate splits the
file at the semicolons the PostgreSQL lexer sees and parses each statement on its
own. A file the migration tool cannot read at all (a goose file without
"-- +goose Up", an unterminated StatementBegin) is reported by this rule too.`,
		Bad:  "CREATE TABEL users (id bigint);",
		Good: "CREATE TABLE users (id bigint);",
		Help: "fix the statement; `psql` reports the same error",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			if st.Err != nil {
				p.Report(Diagnostic{Pos: st.Err.Offset, Message: st.Err.Message, Statement: st.Statement})
			}
		}
		return nil
	},
}
