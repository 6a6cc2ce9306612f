package replay

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	pgq "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// setTimeout sets the session's statement_timeout to --statement-timeout.
func setTimeout(ctx context.Context, conn *pgx.Conn, d time.Duration) error {
	if _, err := conn.Exec(ctx, fmt.Sprintf("SET statement_timeout = %d", d.Milliseconds())); err != nil {
		return fmt.Errorf("set statement_timeout: %w", err)
	}
	return nil
}

// keepTimeout runs before each script: --statement-timeout is set once per
// session, and a migration's SET statement_timeout = 0 (common before
// CREATE INDEX CONCURRENTLY), RESET ALL or DISCARD ALL would otherwise
// lift it for every later migration. After a script that may have changed
// it (changesTimeout), it is set again before the next one, outside a
// transaction (a SET in one that is rolled back would not last).
func (r *runner) keepTimeout(ctx context.Context, s *migrations.Script) error {
	if r.opts.StatementTimeout <= 0 {
		return nil
	}
	if r.timeoutLost && r.conn.PgConn().TxStatus() == 'I' {
		if err := setTimeout(ctx, r.conn, r.opts.StatementTimeout); err != nil {
			return err
		}
		r.timeoutLost = false
	}
	if changesTimeout(r.opts.Parsed(s)) {
		r.timeoutLost = true
	}
	return nil
}

// changesTimeout: a script that may change the session's statement_timeout:
// SET or RESET it, RESET ALL, DISCARD ALL, or a statement that names it (a
// DO block, a function that calls set_config). A SET LOCAL lasts only for
// its transaction; counting it costs a SET at most.
func changesTimeout(ps *sqlparse.Script) bool {
	if ps == nil {
		return false
	}
	if setsOwnTimeout(ps) {
		return true
	}
	for _, st := range ps.Statements {
		switch n := st.Node.GetNode().(type) {
		case *pgq.Node_VariableSetStmt:
			if n.VariableSetStmt.Kind == pgq.VariableSetKind_VAR_RESET_ALL {
				return true
			}
		case *pgq.Node_DiscardStmt:
			if n.DiscardStmt.Target == pgq.DiscardMode_DISCARD_ALL {
				return true
			}
		}
	}
	return false
}

// setsOwnTimeout: a script that sets a statement_timeout of its own, which
// may be the one that cancelled its statement rather than
// --statement-timeout.
func setsOwnTimeout(ps *sqlparse.Script) bool {
	if ps == nil {
		return false
	}
	for _, st := range ps.Statements {
		if strings.Contains(strings.ToLower(st.Text), "statement_timeout") {
			return true
		}
	}
	return false
}
