package replay

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	pgq "github.com/pganalyze/pg_query_go/v5"

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
	// Origin, when set, is the source line that failed, for a script an
	// External ran.
	Origin *migrations.Origin
	// AtCommit: the COMMIT of the script's transaction failed (a deferred
	// constraint), reported at its last statement.
	AtCommit bool
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
	if e.AtCommit {
		msg = "at the COMMIT after the last statement: " + msg
	}
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

// Follower is Hooks whose After can be a query sent with the statement, in
// the same message, when the statement runs in a transaction block.
type Follower interface {
	Hooks
	// Follow is the query to send after st, "" to call After instead. A
	// fallback, when not "", is what to send instead should the query fail
	// (a prepared statement that a migration deallocated): the query then
	// goes in a savepoint, so that its failure costs the transaction
	// nothing.
	Follow(st *sqlparse.Statement) (query, fallback string)
	// Followed does what After does, with the rows of that query (text
	// values, nil for NULL), or of the fallback when fellBack.
	Followed(ctx context.Context, conn *pgx.Conn, st *sqlparse.Statement, rows [][][]byte, fellBack bool) error
}

// Starter is Hooks that reads what it needs before a script's first
// statement, outside any transaction, where a failed query of its own
// harms no transaction of the script's.
type Starter interface {
	Hooks
	Start(ctx context.Context, conn *pgx.Conn) error
}

// message is a statement sent as one simple query with what goes around
// it: BEGIN before it, the trace's query after it (in a savepoint when it
// has a fallback), COMMIT after that; one round trip where each part would
// have cost one.
type message struct {
	begin     bool   // BEGIN first
	statement string // the migration's statement
	follow    string // a query after it (the trace's), "" for none
	guarded   bool   // follow goes in the savepoint followSavepoint
	commit    bool   // COMMIT last
}

// followSavepoint holds a guarded follow query.
const followSavepoint = "schemagate_follow"

// The part of a message that failed.
type part int

const (
	partNone part = iota
	partStatement
	partFollow
	partCommit
)

// send runs m and returns the rows of its follow query. A failed part
// stops there, and failed says which. A failed statement's error position
// counts from the statement's start, as it would sent alone.
func (m message) send(ctx context.Context, pg *pgconn.PgConn) (rows [][][]byte, failed part, err error) {
	// A newline before each ";": a part may end in a -- comment.
	var texts []string
	var parts []part // each result's
	add := func(text string, p part) {
		texts = append(texts, text)
		parts = append(parts, p)
	}
	if m.begin {
		add("BEGIN", partStatement)
	}
	at := len(parts) // the statement's result
	if m.statement != "" {
		add(m.statement, partStatement)
	}
	followAt := -1
	if m.follow != "" {
		if m.guarded {
			add("SAVEPOINT "+followSavepoint, partFollow)
		}
		followAt = len(parts)
		add(m.follow, partFollow)
		if m.guarded {
			add("RELEASE SAVEPOINT "+followSavepoint, partFollow)
		}
	}
	if m.commit {
		add("COMMIT", partCommit)
	}
	const sep = "\n;\n"
	text := strings.Join(texts, sep)
	mrr := pg.Exec(ctx, text)
	i := 0 // the part running: an error may come before its result begins
	for ; mrr.NextResult(); i++ {
		rr := mrr.ResultReader()
		for rr.NextRow() {
			if i == followAt {
				row := make([][]byte, len(rr.Values()))
				for j, v := range rr.Values() {
					if v != nil {
						row[j] = append([]byte{}, v...)
					}
				}
				rows = append(rows, row)
			}
		}
		if _, err = rr.Close(); err != nil {
			mrr.Close()
			break
		}
	}
	if err == nil {
		err = mrr.Close()
	}
	if err != nil {
		var pe *pgconn.PgError
		if begin := int32(len("BEGIN" + sep)); i == at && m.begin && errors.As(err, &pe) && pe.Position > begin {
			pe.Position -= begin
		}
		return nil, parts[min(i, len(parts)-1)], err
	}
	return rows, partNone, nil
}

// fallBack follows up on a guarded follow query that failed: back to its
// savepoint, then the fallback query, whose rows it returns, then COMMIT
// when the message had it.
func fallBack(ctx context.Context, pg *pgconn.PgConn, fallback string, commit bool) (rows [][][]byte, failed part, err error) {
	if err := simple(ctx, pg, "ROLLBACK TO SAVEPOINT "+followSavepoint+";\nRELEASE SAVEPOINT "+followSavepoint); err != nil {
		return nil, partFollow, err
	}
	return message{follow: fallback, commit: commit}.send(ctx, pg)
}

// execScript runs a script the way its migration tool does: in one
// transaction (goose, dbmate, sql-migrate, Flyway, Diesel), as one
// multi-statement query (golang-migrate: an implicit transaction when it
// holds several statements), or statement by statement. Statements are sent
// one at a time even inside a transaction, so that an error names its own
// statement and the trace can look between them.
func execScript(ctx context.Context, conn *pgx.Conn, s *migrations.Script, ps *sqlparse.Script, hooks Hooks) error {
	return execStatements(ctx, conn, s, ps, hooks, true)
}

// execStatements is execScript; without batch, a script that nothing
// watches runs statement by statement too (it failed batched already).
func execStatements(ctx context.Context, conn *pgx.Conn, s *migrations.Script, ps *sqlparse.Script, hooks Hooks, batch bool) error {
	stmts := ps.Statements
	wrap := s.Tx == migrations.TxWrapped || (s.Tx == migrations.TxImplicit && len(stmts) > 1)
	if len(stmts) == 0 {
		return nil
	}
	pg := conn.PgConn()
	if hooks == nil && wrap && batch {
		if done, err := execBatch(ctx, pg, s, stmts); done {
			return err
		}
	}
	if st, ok := hooks.(Starter); ok && pg.TxStatus() == 'I' {
		if err := st.Start(ctx, conn); err != nil {
			return err
		}
	}
	// BEGIN goes with the first statement, COMMIT with the last one's
	// trace query.
	begin, committed := wrap, false
	version := 0
	if hooks != nil {
		version = serverVersion(pg)
	}
	for i, st := range stmts {
		if c := st.Node.GetCopyStmt(); c != nil && c.IsFrom && copiesWithClient(st) {
			// The server would wait for the rows until the run's timeout.
			return rollback(ctx, pg, &StatementError{Statement: st, Offset: st.Start, Err: errCopyFromStdin})
		}
		// A statement that runs outside any transaction releases its locks
		// before After could see them. When the trace watches, such a
		// statement runs in a BEGIN/COMMIT of its own if it is allowed in a
		// transaction block: it takes the same locks, only their release is
		// delayed until the trace's query has read them. Should the server
		// refuse it in a block after all (25001, 2D000), the block is rolled
		// back and the statement runs again alone, as the tool runs it.
		observe := hooks != nil && !begin && pg.TxStatus() == 'I' && wrappable(st, version)
		if hooks != nil {
			if err := hooks.Before(ctx, conn, st); err != nil {
				return rollback(ctx, pg, err)
			}
		}
		m := message{begin: begin || observe, statement: st.Text}
		begin = false
		// In a transaction block, the trace's query after the statement
		// goes in the same message, and so does the COMMIT that ends the
		// block after the last statement, or after a statement observed
		// alone.
		var fallback string
		if f, ok := hooks.(Follower); ok && (m.begin || pg.TxStatus() != 'I') {
			m.follow, fallback = f.Follow(st)
			m.guarded = fallback != ""
		}
		m.commit = m.follow != "" && (observe || (wrap && i == len(stmts)-1))
		rows, failed, err := m.send(ctx, pg)
		fellBack := false
		if err != nil && failed == partFollow && m.guarded {
			rows, failed, err = fallBack(ctx, pg, fallback, m.commit)
			fellBack = true
		}
		if err != nil && observe && failed == partStatement && refusedInBlock(err) {
			if err = rollback(ctx, pg, nil); err == nil {
				observe, m = false, message{statement: st.Text}
				_, failed, err = m.send(ctx, pg)
			}
		}
		commitFailed := failed == partCommit
		switch {
		case err != nil && failed == partFollow:
			return rollback(ctx, pg, err)
		case err != nil && commitFailed:
			return rollback(ctx, pg, commitError(st, observe, err))
		case err != nil:
			serr := &StatementError{Statement: st, Offset: errorOffset(st, err), Err: err}
			return rollback(ctx, pg, serr)
		}
		committed = committed || (m.commit && wrap)
		if hooks != nil {
			// (Should the statement have ended the transaction, its
			// rows are not the statement's: After reads what it can.)
			if m.follow != "" && (m.commit || pg.TxStatus() != 'I') {
				err = hooks.(Follower).Followed(ctx, conn, st, rows, fellBack)
			} else {
				err = hooks.After(ctx, conn, st)
			}
			if err != nil {
				return rollback(ctx, pg, err)
			}
			if observe && !m.commit {
				if err := simple(ctx, pg, "COMMIT"); err != nil {
					return rollback(ctx, pg, commitError(st, true, err))
				}
			}
			// A statement outside any transaction has committed already.
			if pg.TxStatus() == 'I' {
				if err := hooks.TxEnd(ctx, conn, true); err != nil {
					return err
				}
			}
		}
	}
	if wrap && !committed {
		if err := simple(ctx, pg, "COMMIT"); err != nil {
			return rollback(ctx, pg, commitError(stmts[len(stmts)-1], false, err))
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

// commitError is a failed COMMIT (a deferred constraint), reported at st:
// as st's own error when st ran alone in a transaction the replay gave it
// (it would have failed so without one), else as the COMMIT after the
// script's last statement, st.
func commitError(st *sqlparse.Statement, alone bool, err error) error {
	return &StatementError{Statement: st, Offset: st.Start, Err: err, AtCommit: !alone}
}

// execBatch runs a script that runs in one transaction, when nothing
// watches its statements, as one multi-statement query: one round trip
// instead of one per statement (the down and the second up of every
// migration, the fast pass). done is false when the script is not run
// this way, or when it failed: its transaction was rolled back, and
// execScript runs it again statement by statement, which names the
// statement that fails and where, as when nothing is batched.
func execBatch(ctx context.Context, pg *pgconn.PgConn, s *migrations.Script, stmts []*sqlparse.Statement) (done bool, err error) {
	texts := batch(pg, s, stmts)
	if texts == nil {
		return false, nil
	}
	// A newline before each ";": a statement may end in a -- comment.
	if err := simple(ctx, pg, strings.Join(texts, "\n;\n")); err != nil {
		if err := rollback(ctx, pg, nil); err != nil {
			return true, err
		}
		if ctx.Err() != nil {
			return true, ctx.Err()
		}
		return false, nil
	}
	if pg.TxStatus() != 'I' {
		// Cannot happen without transaction control; run it again the
		// usual way rather than guess.
		if err := rollback(ctx, pg, nil); err != nil {
			return true, err
		}
		return false, nil
	}
	return true, nil
}

// batch gives the texts to send for a script that runs all or nothing,
// in one go: its statements, between BEGIN and COMMIT when its tool runs
// it in a transaction (an implicit one would do, but say it as the tool
// does), alone otherwise (one statement, or the implicit transaction of a
// multi-statement query). It gives nil for a script that does not run all
// or nothing, or not in one go: statements that commit one by one, a script
// with transaction control of its own, a statement that did not parse or
// that PostgreSQL refuses in a transaction block. Only for PostgreSQL 13
// and later, which applies statement_timeout to each statement of a
// multi-statement query rather than to the whole.
func batch(pg *pgconn.PgConn, s *migrations.Script, stmts []*sqlparse.Statement) []string {
	allOrNothing := s.Tx == migrations.TxWrapped || s.Tx == migrations.TxImplicit || len(stmts) == 1
	if len(stmts) == 0 || !allOrNothing || pg.TxStatus() != 'I' || serverVersion(pg) < 13 {
		return nil
	}
	var texts []string
	if s.Tx == migrations.TxWrapped {
		texts = append(texts, "BEGIN")
	}
	for _, st := range stmts {
		if st.Node == nil || !wrappable(st, 13) || st.Node.GetTransactionStmt() != nil || st.Node.GetVariableSetStmt().GetName() == "TRANSACTION" ||
			copiesWithClient(st) {
			return nil
		}
		texts = append(texts, st.Text)
	}
	if s.Tx == migrations.TxWrapped {
		texts = append(texts, "COMMIT")
	}
	return texts
}

// copiesWithClient: COPY to or from the client (STDOUT, STDIN), whose
// rows a pipeline cannot take.
func copiesWithClient(st *sqlparse.Statement) bool {
	c := st.Node.GetCopyStmt()
	return c != nil && c.Filename == "" && !c.IsProgram
}

// errCopyFromStdin: a COPY FROM STDIN, which would wait for rows that a
// migration file cannot give (psql reads them from the lines after it).
var errCopyFromStdin = errors.New("COPY FROM STDIN reads its rows from the client, and the replay has none to send: load them with INSERT, or COPY FROM a file the server can read")

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

// wrappable reports whether st, sent outside any transaction, may run in a
// transaction block of its own with the same effect: not a statement that
// PostgreSQL refuses in a block (CONCURRENTLY, VACUUM, databases,
// tablespaces, ALTER SYSTEM, ALTER TYPE ... ADD VALUE before 12), nor one
// that behaves differently in a block (transaction control, LOCK TABLE and
// DECLARE, which fail outside one; CALL and DO blocks that may commit).
func wrappable(st *sqlparse.Statement, version int) bool {
	switch n := st.Node.GetNode().(type) {
	case nil:
		return false
	case *pgq.Node_TransactionStmt, *pgq.Node_LockStmt, *pgq.Node_DeclareCursorStmt, *pgq.Node_CallStmt,
		*pgq.Node_CreatedbStmt, *pgq.Node_DropdbStmt, *pgq.Node_AlterDatabaseStmt, *pgq.Node_AlterSystemStmt,
		*pgq.Node_CreateTableSpaceStmt, *pgq.Node_DropTableSpaceStmt,
		*pgq.Node_CreateSubscriptionStmt, *pgq.Node_AlterSubscriptionStmt, *pgq.Node_DropSubscriptionStmt:
		return false
	case *pgq.Node_IndexStmt:
		return !n.IndexStmt.Concurrent
	case *pgq.Node_DropStmt:
		return !n.DropStmt.Concurrent
	case *pgq.Node_ReindexStmt:
		r := n.ReindexStmt
		if r.Kind != pgq.ReindexObjectType_REINDEX_OBJECT_INDEX && r.Kind != pgq.ReindexObjectType_REINDEX_OBJECT_TABLE {
			return false // SCHEMA, SYSTEM and DATABASE commit per table
		}
		for _, p := range r.Params {
			if strings.EqualFold(p.GetDefElem().GetDefname(), "concurrently") {
				return false
			}
		}
	case *pgq.Node_VacuumStmt:
		return !n.VacuumStmt.IsVacuumcmd // ANALYZE may run in a block
	case *pgq.Node_ClusterStmt:
		return n.ClusterStmt.Relation != nil
	case *pgq.Node_AlterTableStmt:
		for _, c := range n.AlterTableStmt.Cmds {
			if c.GetAlterTableCmd().GetDef().GetPartitionCmd().GetConcurrent() {
				return false
			}
		}
	case *pgq.Node_AlterEnumStmt:
		return version >= 12 || n.AlterEnumStmt.NewVal == "" || n.AlterEnumStmt.OldVal != ""
	case *pgq.Node_DiscardStmt:
		return n.DiscardStmt.Target != pgq.DiscardMode_DISCARD_ALL
	case *pgq.Node_DoStmt:
		return !commitWord.MatchString(st.Text)
	}
	return true
}

// commitWord finds transaction control in a DO block, which PostgreSQL
// refuses when the block runs inside a transaction.
var commitWord = regexp.MustCompile(`(?i)\b(COMMIT|ROLLBACK)\b`)

// refusedInBlock: the server refused a statement because it ran in a
// transaction block (25001) or tried to end it (2D000).
func refusedInBlock(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "25001" || pe.Code == "2D000")
}

// serverVersion is the major version the server announced, 0 if unknown.
func serverVersion(pg *pgconn.PgConn) int {
	v := pg.ParameterStatus("server_version")
	major, _, _ := strings.Cut(strings.TrimSpace(v), ".")
	major, _, _ = strings.Cut(major, " ")
	n, _ := strconv.Atoi(major)
	return n
}
