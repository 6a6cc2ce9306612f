package replay

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// StatementError is a statement of a script that the server rejected.
type StatementError struct {
	Statement *sqlparse.Statement
	// Offset is where in the file the error is: the position PostgreSQL
	// gives inside the statement, or the statement's start.
	Offset int
	Err    error
}

func (e *StatementError) Error() string { return e.Err.Error() }
func (e *StatementError) Unwrap() error { return e.Err }

// Timeout reports whether the statement ran into statement_timeout.
func (e *StatementError) Timeout() bool {
	var pe *pgconn.PgError
	return errors.As(e.Err, &pe) && pe.Code == "57014" && strings.Contains(pe.Message, "statement timeout")
}

// Message is PostgreSQL's message with its detail and hint.
func (e *StatementError) Message() string {
	var pe *pgconn.PgError
	if !errors.As(e.Err, &pe) {
		return e.Err.Error()
	}
	msg := pe.Message
	if pe.Detail != "" {
		msg += " (" + strings.TrimSuffix(pe.Detail, ".") + ")"
	}
	if pe.Hint != "" {
		msg += "; hint: " + strings.TrimSuffix(pe.Hint, ".")
	}
	return msg
}

// errOpenTransaction: a script that begins a transaction and never ends it.
var errOpenTransaction = errors.New("the script leaves a transaction open (BEGIN without COMMIT): the migration tool's connection closes and PostgreSQL rolls it back")

// Hooks let the trace watch each statement of an up script as it runs.
type Hooks interface {
	// Before is called before each statement, inside its transaction.
	Before(ctx context.Context, conn *pgx.Conn, st *sqlparse.Statement) error
	// After is called after each statement that succeeded, still inside
	// its transaction.
	After(ctx context.Context, conn *pgx.Conn, st *sqlparse.Statement) error
	// TxEnd is called when the transaction of the statements seen since
	// the last TxEnd has ended (or after a statement that ran alone).
	TxEnd(ctx context.Context, conn *pgx.Conn, committed bool) error
}

// execScript runs a script the way its migration tool does: in one
// transaction (goose, dbmate, sql-migrate, Flyway, Diesel), as one
// multi-statement query (golang-migrate: an implicit transaction when it
// holds several statements), or statement by statement. Statements are sent
// one at a time even inside a transaction, so that an error names its own
// statement and the trace can look between them.
func execScript(ctx context.Context, conn *pgx.Conn, s *migrations.Script, ps *sqlparse.Script, hooks Hooks) error {
	stmts := ps.Statements
	wrap := s.Tx == migrations.TxWrapped || (s.Tx == migrations.TxImplicit && len(stmts) > 1)
	if len(stmts) == 0 {
		return nil
	}
	pg := conn.PgConn()
	if wrap {
		if err := simple(ctx, pg, "BEGIN"); err != nil {
			return err
		}
	}
	for _, st := range stmts {
		if hooks != nil {
			if err := hooks.Before(ctx, conn, st); err != nil {
				return rollback(ctx, pg, err)
			}
		}
		if err := simple(ctx, pg, st.Text); err != nil {
			serr := &StatementError{Statement: st, Offset: errorOffset(st, err), Err: err}
			return rollback(ctx, pg, serr)
		}
		if hooks != nil {
			if err := hooks.After(ctx, conn, st); err != nil {
				return rollback(ctx, pg, err)
			}
			// A statement outside any transaction has committed already.
			if pg.TxStatus() == 'I' {
				if err := hooks.TxEnd(ctx, conn, true); err != nil {
					return err
				}
			}
		}
	}
	if wrap {
		if err := simple(ctx, pg, "COMMIT"); err != nil {
			return rollback(ctx, pg, err)
		}
		if hooks != nil {
			if err := hooks.TxEnd(ctx, conn, true); err != nil {
				return err
			}
		}
	}
	if pg.TxStatus() != 'I' {
		last := stmts[len(stmts)-1]
		return rollback(ctx, pg, &StatementError{Statement: last, Offset: last.Start, Err: errOpenTransaction})
	}
	return nil
}

// rollback ends a failed transaction so that the connection can go on,
// and returns err.
func rollback(ctx context.Context, pg *pgconn.PgConn, err error) error {
	if pg.TxStatus() != 'I' {
		if rerr := simple(context.WithoutCancel(ctx), pg, "ROLLBACK"); rerr != nil {
			return errors.Join(err, fmt.Errorf("roll back: %w", rerr))
		}
	}
	return err
}

// simple sends sql with the simple query protocol, as psql and the
// migration tools do: no prepared statement, several statements allowed.
func simple(ctx context.Context, pg *pgconn.PgConn, sql string) error {
	_, err := pg.Exec(ctx, sql).ReadAll()
	return err
}

// errorOffset maps PostgreSQL's error position (characters from 1 in the
// statement text) to a file offset.
func errorOffset(st *sqlparse.Statement, err error) int {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Position <= 0 {
		return st.Start
	}
	n := int(pe.Position) - 1
	i := 0
	for n > 0 && i < len(st.Text) {
		_, size := utf8.DecodeRuneInString(st.Text[i:])
		i += size
		n--
	}
	return st.Start + i
}
