// Package trace watches the replay's first up of every fully replayed
// migration on the live server: for each statement, the locks it took on
// relations that existed before the migration (pg_locks of the replay's own
// backend), whether it rewrote one of them (a changed relfilenode), the
// lock_timeout in effect, and how long its locks were held. The facts become
// the findings of the trace phase (table-rewrite, blocking-lock) and confirm
// or clear the static findings on the same statement (Merge).
//
// The cost is one query per statement after it runs, one per migration
// before its first statement, and one more before a statement when an
// earlier one may have changed lock_timeout.
package trace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/lockmode"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/replay"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// StatementTrace is what the server did for one statement of an up script.
type StatementTrace struct {
	Migration string
	// File, Line, Column and EndLine place the statement as findings are
	// placed (for Alembic, at the op. line of the revision).
	File         string
	Line, Column int
	EndLine      int
	// Statement is its first line, trimmed.
	Statement string
	// Locks are the locks it took, strongest first.
	Locks []Lock
	// Rewrites are the tables, materialized views and indexes it rewrote,
	// tables first.
	Rewrites []string
	// LockTimeout is lock_timeout as the statement saw it ("0": none).
	LockTimeout string
	// Held is how long its locks were held in the replay: from the
	// statement's start to the end of its transaction.
	Held time.Duration
	// LocksObserved is false when the statement had to run outside a
	// transaction (CONCURRENTLY, VACUUM): its locks were gone before they
	// could be read, but a rewrite still shows.
	LocksObserved bool

	endCol   int // the column just past the statement on EndLine
	excerpt  string
	rewrites []rel // the relations of Rewrites
}

// Blocking reports whether the statement took a lock that blocks reads or
// writes (SHARE or stronger) on a relation that existed before.
func (s *StatementTrace) Blocking() bool {
	for _, l := range s.Locks {
		if lockmode.Parse(l.Mode).Blocking() {
			return true
		}
	}
	return false
}

// Lock is a table-level lock a statement took on a relation that existed
// before its migration and that no earlier statement of its transaction
// held in a mode blocking as much.
type Lock struct {
	Relation string // schema-qualified, quoted where PostgreSQL quotes: public.users
	Mode     string // ACCESS EXCLUSIVE, SHARE, ...
	Blocks   string // "reads and writes", "writes", "writes and SELECT ... FOR UPDATE", or "" (nothing but schema changes and maintenance)
}

// Tracer collects the trace of one replay. Give its Hooks to
// replay.Options.Hooks; after the replay, Statements, Findings and Merge
// give what it saw. A Tracer is not safe for concurrent replays.
type Tracer struct {
	parsed  func(*migrations.Script) *sqlparse.Script
	version int
	stmts   []StatementTrace
	rels    relations
}

// notUser is the relkind relationsSQL gives a relation whose new row puts
// it outside the user's schemas.
const notUser = '-'

// relations are the user relations as the last read saw them, kept from
// one migration to the next: each read after the first lists only the
// relations whose pg_class row (or pg_index row) is new since the previous
// read, instead of every relation, which costs a millisecond per migration
// in a schema of a thousand relations. A relation that is gone stays in the
// map, harmlessly: nothing locks it again (a new relation that reuses its
// OID has a new row, and replaces it).
type relations struct {
	conn     *pgconn.PgConn // the connection they were read on
	byOID    map[uint32]*rel
	prepared bool // relationsSQL is prepared on conn, as relationsStatement
	// locksSQL is prepared on conn, as locksStatement, unless a migration
	// deallocated it since
	locksPrepared bool
	horizon       string // pg_snapshot_xmin at the last read: rows changed since are at or after it
	quoteAll      string // quote_all_identifiers at the last read: the names depend on it
}

// New returns a Tracer that reads statements with parsed (the replay's
// Options.Parsed).
func New(parsed func(*migrations.Script) *sqlparse.Script) *Tracer {
	return &Tracer{parsed: parsed}
}

// Fork returns a Tracer for a part of the replay that runs at the same
// time as this one's, on another connection (replay.Parallel); Adopt
// takes its statements after this one's.
func (t *Tracer) Fork() *Tracer { return &Tracer{parsed: t.parsed} }

// Adopt appends what a Tracer made by Fork saw.
func (t *Tracer) Adopt(c *Tracer) {
	t.stmts = append(t.stmts, c.stmts...)
	if t.version == 0 {
		t.version = c.version
	}
}

// Parallel gives the replay's second part its own Tracer, adopted when
// the replay keeps what that part found.
func (t *Tracer) Parallel() (func(m *migrations.Migration) replay.Hooks, func()) {
	c := t.Fork()
	return c.Hooks, func() { t.Adopt(c) }
}

// Version is the PostgreSQL major version of the traced server, 0 before
// any statement was traced.
func (t *Tracer) Version() int { return t.version }

// Statements lists the traced statements of the migrations whose up script
// ran to its end, in replay order. Statements of a migration that failed,
// or that the replay only applied in its fast pass, are not there: nothing
// is known about them.
func (t *Tracer) Statements() []StatementTrace { return t.stmts }

// Hooks watches m's up script; it fits replay.Options.Hooks.
func (t *Tracer) Hooks(m *migrations.Migration) replay.Hooks {
	h := &hooks{t: t, m: m}
	if ps := t.parsed(m.Up); ps != nil {
		h.n = len(ps.Statements)
	}
	return h
}

// rel is a relation that existed before the migration.
type rel struct {
	oid   uint32
	name  string
	kind  byte   // pg_class.relkind
	file  uint32 // its relfilenode now, 0 for none (views, partitioned tables)
	table uint32 // an index's table
}

// kindName names a relkind for messages.
func kindName(k byte) string {
	switch k {
	case 'i', 'I':
		return "index"
	case 'm':
		return "materialized view"
	}
	return "table"
}

func (r rel) isIndex() bool { return r.kind == 'i' || r.kind == 'I' }

// hooks is the trace of one migration's up script.
type hooks struct {
	t *Tracer
	m *migrations.Migration
	n int // statements in the script

	pre map[uint32]*rel // nil until the first statement that needs it

	timeout        string // lock_timeout now, when timeoutKnown
	timeoutKnown   bool
	txTimeout      string // lock_timeout when the transaction began, when txTimeoutKnown
	txTimeoutKnown bool
	txChanged      bool // a statement of the transaction may have changed lock_timeout

	held   map[uint32]lockmode.Set // modes held in the open transaction
	inTx   []int                   // statements of the open transaction
	stmts  []StatementTrace
	starts []time.Time // when each statement began
	alone  bool        // the last statement ran outside a transaction
	after  int         // statements that completed
}

// rollsBack: transaction control that may undo what the transaction (or
// part of it) did, or leave it to be undone later.
func rollsBack(st *sqlparse.Statement) bool {
	ts := st.Node.GetTransactionStmt()
	if ts == nil {
		return false
	}
	switch ts.Kind {
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK, pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO,
		pg.TransactionStmtKind_TRANS_STMT_PREPARE, pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
		return true
	}
	return false
}

// quiet: statements that take no lock and must not be preceded by a query
// in their transaction (SET TRANSACTION must come first), or that end it.
func quiet(st *sqlparse.Statement) bool {
	switch n := st.Node.GetNode().(type) {
	case *pg.Node_TransactionStmt:
		return true
	case *pg.Node_VariableSetStmt:
		return strings.HasPrefix(n.VariableSetStmt.Name, "TRANSACTION")
	}
	return false
}

const (
	// firstUserOID is FirstNormalObjectId: every relation a user creates
	// has an oid at least this, every system catalog one below.
	firstUserOID = "16384"

	// relationsSQL lists the user relations (not in pg_catalog, pg_toast,
	// temporary schemas or information_schema; no composite types) as one
	// text of "oid relkind relfilenode length name" records (length: the
	// characters of the quoted, qualified name that follows), the indexes'
	// tables as "index table" pairs, lock_timeout, quote_all_identifiers,
	// and the horizon of the next read. Aggregating on the server makes
	// this three times faster than a row per relation.
	//
	// With %[1]s the previous read's horizon, it lists only the relations
	// whose rows are new since then (at or after the horizon: an UPDATE
	// writes a new row version with its transaction's xid, and every
	// transaction that was still running at the previous read has an xid at
	// or after the horizon), unless a schema's row is new (renamed: every
	// name in it may have changed): then, and with NULL, all of them ("all"
	// is true). A new row outside the user's schemas (a TOAST table, a
	// relation moved into information_schema) comes with the kind "-".
	relationsSQL = `WITH h AS MATERIALIZED (
  SELECT h.k, h.k = 2147483647 OR EXISTS (SELECT FROM pg_catalog.pg_namespace n WHERE pg_catalog.age(n.xmin) <= h.k) AS "all"
  FROM (SELECT coalesce(pg_catalog.age(pg_catalog.xid(%[1]s::pg_catalog.xid8)), 2147483647) AS k) h
)
SELECT pg_catalog.current_setting('lock_timeout'),
       (SELECT pg_catalog.string_agg(c.oid::text || ' ' || CASE WHEN x.mine THEN c.relkind::text ELSE '-' END || ' ' ||
                                     c.relfilenode::text || ' ' || pg_catalog.char_length(x.name)::text || ' ' || x.name, '')
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace,
        LATERAL (SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS name,
                        n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%%' AS mine) x
        WHERE c.oid >= ` + firstUserOID + ` AND c.relkind <> 'c'
          -- the age test apart, so that it filters the scan of pg_class
          -- before the join (a CASE of both could only filter after it)
          AND (h."all" OR pg_catalog.age(c.xmin) <= h.k) AND (NOT h."all" OR x.mine)),
       (SELECT pg_catalog.string_agg(i.indexrelid::text || ' ' || i.indrelid::text, ' ')
        FROM pg_catalog.pg_index i WHERE i.indexrelid >= ` + firstUserOID + ` AND (h."all" OR pg_catalog.age(i.xmin) <= h.k)),
       h."all", pg_catalog.current_setting('quote_all_identifiers'),
       LEAST(pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot()), pg_catalog.pg_current_xact_id_if_assigned())::text
FROM h`

	// locksSQL lists the relation locks of this backend on user relations
	// with their relfilenode now, and lock_timeout.
	locksSQL = `SELECT pg_catalog.current_setting('lock_timeout'), l.relation, l.mode, pg_catalog.pg_relation_filenode(l.relation)
FROM (SELECT) AS one
LEFT JOIN pg_catalog.pg_locks l
       ON l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted
      AND l.relation >= ` + firstUserOID

	// filesSQL gives the relfilenode of every user relation, for a
	// statement that ran outside a transaction.
	filesSQL = `SELECT pg_catalog.current_setting('lock_timeout'), c.oid, pg_catalog.pg_relation_filenode(c.oid)
FROM (SELECT) AS one
LEFT JOIN pg_catalog.pg_class c ON c.oid >= ` + firstUserOID

	timeoutSQL = `SELECT pg_catalog.current_setting('lock_timeout')`
)

// query runs sql with the simple protocol: nothing prepared, so that a
// migration's DISCARD ALL or DEALLOCATE cannot break the trace.
func query(ctx context.Context, conn *pgx.Conn, sql string, row func(pgx.Rows) error) error {
	rows, err := conn.Query(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// fail wraps a failed trace query, naming the statement it watched.
func (h *hooks) fail(st *sqlparse.Statement, what string, err error) error {
	pos := h.m.Up.File.Position(st.Start)
	return fmt.Errorf("trace %s:%d: %s: %w", h.m.Up.Path(), pos.Line, what, err)
}

// Before remembers the relations that exist before the migration's first
// statement and the lock_timeout the statement runs with.
func (h *hooks) Before(ctx context.Context, conn *pgx.Conn, st *sqlparse.Statement) error {
	if h.t.version == 0 {
		h.t.version = serverVersion(conn)
	}
	if len(h.inTx) == 0 {
		// A transaction begins (or a statement runs alone).
		h.txTimeoutKnown, h.txChanged = false, false
	}
	if !quiet(st) {
		switch {
		case h.pre == nil:
			if err := h.readRelations(ctx, conn, false); err != nil {
				return h.fail(st, "list relations", err)
			}
		case !h.timeoutKnown:
			if err := query(ctx, conn, timeoutSQL, func(r pgx.Rows) error { return r.Scan(&h.timeout) }); err != nil {
				return h.fail(st, "read lock_timeout", err)
			}
			h.timeoutKnown = true
		}
	}
	if !h.txTimeoutKnown && h.timeoutKnown {
		h.txTimeout, h.txTimeoutKnown = h.timeout, true
	}
	loc, excerpt := checks.Locate(h.m.Up, st.Start, st)
	tr := StatementTrace{
		Migration: h.m.ID, File: loc.File, Line: loc.Line, Column: loc.Column, EndLine: loc.EndLine,
		Statement: firstLine(st.Text), excerpt: excerpt, endCol: 1 << 30,
	}
	if h.timeoutKnown {
		tr.LockTimeout = h.timeout
	}
	if len(h.m.Up.Origins) == 0 {
		tr.endCol = h.m.Up.File.Position(st.End).Col
	}
	h.stmts = append(h.stmts, tr)
	h.starts = append(h.starts, time.Now())
	return nil
}

// Start reads the relations before the script's first statement, outside
// its transaction, with relationsSQL prepared once per connection: planning
// it costs more than running it. Should the script before have removed
// the prepared statement (DEALLOCATE, DISCARD, even from a DO block), the
// read is tried again after preparing it anew; inside a transaction, that
// failure would have aborted the migration's.
func (h *hooks) Start(ctx context.Context, conn *pgx.Conn) error {
	if h.pre != nil {
		return nil
	}
	if err := h.readRelations(ctx, conn, true); err != nil {
		return fmt.Errorf("trace %s: list relations: %w", h.m.Up.Path(), err)
	}
	if c := &h.t.rels; !c.locksPrepared {
		if err := prepare(ctx, conn, locksStatement, locksSQL); err != nil {
			return fmt.Errorf("trace %s: prepare the locks' query: %w", h.m.Up.Path(), err)
		}
		c.locksPrepared = true
	}
	return nil
}

// prepare prepares sql on conn under name (with its parameters' types);
// a statement by that name already there is taken for this one.
func prepare(ctx context.Context, conn *pgx.Conn, name, sql string) error {
	if err := conn.PgConn().Exec(ctx, "PREPARE "+name+" AS "+sql).Close(); err != nil && !pgCode(err, "42P05") {
		return err
	}
	return nil
}

// The names relationsSQL and locksSQL are prepared under; the replay's
// comparison of databases leaves out prepared statements named
// schemagate_*.
const (
	relationsStatement = "schemagate_trace_relations"
	locksStatement     = "schemagate_trace_locks"
)

// readRelations reads the relations with relationsSQL: prepared only
// outside a transaction (see Start).
func (h *hooks) readRelations(ctx context.Context, conn *pgx.Conn, prepared bool) error {
	c := &h.t.rels
	if c.conn != conn.PgConn() {
		*c = relations{conn: conn.PgConn()}
	}
	var res *pgconn.Result
	if !prepared || conn.PgConn().TxStatus() != 'I' {
		horizon := "NULL"
		if c.horizon != "" {
			horizon = "'" + c.horizon + "'"
		}
		results, err := conn.PgConn().Exec(ctx, fmt.Sprintf(relationsSQL, horizon)).ReadAll()
		if err != nil {
			return err
		}
		res = results[len(results)-1]
	} else {
		// Bound through the extended protocol, not sent as an EXECUTE
		// statement to parse, whose result description the server would
		// look up again; no horizon is NULL.
		var horizon []byte
		if c.horizon != "" {
			horizon = []byte(c.horizon)
		}
		for attempt := 0; ; attempt++ {
			if !c.prepared {
				if err := prepare(ctx, conn, relationsStatement+" (text)", fmt.Sprintf(relationsSQL, "$1")); err != nil {
					return err
				}
				c.prepared = true
			}
			res = conn.PgConn().ExecPrepared(ctx, relationsStatement, [][]byte{horizon}, nil, nil).Read()
			if res.Err == nil {
				break
			}
			if attempt > 0 || !pgCode(res.Err, "26000") {
				return res.Err
			}
			c.prepared = false // deallocated by a migration
		}
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 6 || res.Rows[0][0] == nil || res.Rows[0][3] == nil || res.Rows[0][4] == nil || res.Rows[0][5] == nil {
		return fmt.Errorf("unexpected answer: %d rows", len(res.Rows))
	}
	row := res.Rows[0]
	rels, indexes := string(row[1]), string(row[2]) // NULL: none
	all, quoteAll, next := string(row[3]) == "t", string(row[4]), string(row[5])
	h.timeout = string(row[0])
	h.timeoutKnown = true
	if quoteAll != c.quoteAll && !all {
		// The names read before are quoted differently: read them all.
		c.horizon = ""
		return h.readRelations(ctx, conn, prepared)
	}
	fresh, err := parseRelations(rels, indexes)
	if err != nil {
		c.horizon = ""
		return err
	}
	if all || c.byOID == nil {
		c.byOID = fresh
	} else {
		for oid, r := range fresh {
			if r.kind == notUser {
				// Moved out of the user's schemas (into
				// information_schema), or a new TOAST table.
				delete(c.byOID, oid)
				continue
			}
			if old := c.byOID[oid]; old != nil {
				// A new pg_class row of an index whose pg_index row is
				// not new (REINDEX): it keeps its table.
				if r.table == 0 {
					r.table = old.table
				}
				*old = *r
			} else {
				c.byOID[oid] = r
			}
		}
		// A new pg_index row of an index whose pg_class row is not new.
		pairs, err := parseIndexes(indexes)
		if err != nil {
			c.horizon = ""
			return err
		}
		setTables(c.byOID, pairs)
	}
	c.horizon, c.quoteAll = next, quoteAll
	h.pre = c.byOID
	return nil
}

// parseRelations reads the records of relationsSQL.
func parseRelations(rels, indexes string) (map[uint32]*rel, error) {
	pre := map[uint32]*rel{}
	bad := func() (map[uint32]*rel, error) {
		return nil, fmt.Errorf("unexpected relation list %.40q", rels)
	}
	for rels != "" {
		var f [4]string
		for i := range f {
			var ok bool
			if f[i], rels, ok = strings.Cut(rels, " "); !ok {
				return bad()
			}
		}
		oid, err1 := strconv.ParseUint(f[0], 10, 32)
		file, err2 := strconv.ParseUint(f[2], 10, 32)
		n, err3 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil || err3 != nil || f[1] == "" {
			return bad()
		}
		end := 0
		for ; n > 0 && end < len(rels); n-- {
			_, size := utf8.DecodeRuneInString(rels[end:])
			end += size
		}
		if n > 0 {
			return bad()
		}
		pre[uint32(oid)] = &rel{oid: uint32(oid), kind: f[1][0], file: uint32(file), name: rels[:end]}
		rels = rels[end:]
	}
	pairs, err := parseIndexes(indexes)
	if err != nil {
		return nil, err
	}
	setTables(pre, pairs)
	return pre, nil
}

// parseIndexes reads the "index table" pairs of relationsSQL.
func parseIndexes(indexes string) ([][2]uint32, error) {
	fs := strings.Fields(indexes)
	pairs := make([][2]uint32, 0, len(fs)/2)
	for i := 0; i+1 < len(fs); i += 2 {
		index, err1 := strconv.ParseUint(fs[i], 10, 32)
		table, err2 := strconv.ParseUint(fs[i+1], 10, 32)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("unexpected index list %.40q", indexes)
		}
		pairs = append(pairs, [2]uint32{uint32(index), uint32(table)})
	}
	return pairs, nil
}

// setTables gives the indexes among rels their tables.
func setTables(rels map[uint32]*rel, pairs [][2]uint32) {
	for _, p := range pairs {
		if x := rels[p[0]]; x != nil {
			x.table = p[1]
		}
	}
}

// After reads the locks the backend holds and the relfilenodes of the
// relations it locked: new modes are the statement's locks, a changed
// relfilenode its rewrite.
func (h *hooks) After(ctx context.Context, conn *pgx.Conn, st *sqlparse.Statement) error {
	h.after++
	tr := &h.stmts[len(h.stmts)-1]
	tr.LocksObserved = true
	inTx := conn.PgConn().TxStatus() != 'I'
	if inTx {
		h.inTx = append(h.inTx, len(h.stmts)-1)
	}
	h.alone = !inTx
	if h.pre == nil {
		return nil // only quiet statements so far: nothing existed that they touched
	}
	if quiet(st) {
		if rollsBack(st) {
			// What the transaction rewrote is undone: the relfilenodes
			// kept for the next migration are no longer right.
			h.t.rels.horizon = ""
		}
		// ROLLBACK TO SAVEPOINT gave locks back: learn which remain.
		if ts := st.Node.GetTransactionStmt(); ts != nil && ts.Kind == pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO && inTx {
			h.held = map[uint32]lockmode.Set{}
			return h.readLocks(ctx, conn, st, nil)
		}
		return nil
	}
	if !inTx {
		tr.LocksObserved = false
		if err := h.readFiles(ctx, conn, tr); err != nil {
			return h.fail(st, "read relfilenodes", err)
		}
		return nil
	}
	return h.readLocks(ctx, conn, st, tr)
}

// lockRow is a row of locksSQL.
type lockRow struct {
	timeout   string
	oid, file *uint32
	mode      *string
}

func (h *hooks) readLocks(ctx context.Context, conn *pgx.Conn, st *sqlparse.Statement, tr *StatementTrace) error {
	var rows []lockRow
	err := query(ctx, conn, locksSQL, func(r pgx.Rows) error {
		var l lockRow
		if err := r.Scan(&l.timeout, &l.oid, &l.mode, &l.file); err != nil {
			return err
		}
		rows = append(rows, l)
		return nil
	})
	if err != nil {
		return h.fail(st, "read pg_locks", err)
	}
	return h.sawLocks(st, tr, rows)
}

// Follow sends locksSQL with a statement that After would follow with it:
// prepared once per connection (by Start), with locksSQL itself to fall
// back on should a migration have deallocated it.
func (h *hooks) Follow(st *sqlparse.Statement) (query, fallback string) {
	if h.pre == nil || quiet(st) {
		return "", ""
	}
	if h.t.rels.locksPrepared {
		return "EXECUTE " + locksStatement, locksSQL
	}
	return locksSQL, ""
}

// Followed is After for a statement sent with locksSQL, in a transaction.
func (h *hooks) Followed(ctx context.Context, conn *pgx.Conn, st *sqlparse.Statement, raw [][][]byte, fellBack bool) error {
	if fellBack {
		h.t.rels.locksPrepared = false // Start prepares it again
	}
	h.after++
	tr := &h.stmts[len(h.stmts)-1]
	tr.LocksObserved = true
	h.inTx = append(h.inTx, len(h.stmts)-1)
	h.alone = false
	rows := make([]lockRow, 0, len(raw))
	for _, r := range raw {
		if len(r) != 4 || r[0] == nil {
			return h.fail(st, "read pg_locks", fmt.Errorf("unexpected row %q", r))
		}
		l := lockRow{timeout: string(r[0])}
		var err error
		if l.oid, err = oidOf(r[1]); err == nil {
			l.file, err = oidOf(r[3])
		}
		if err != nil {
			return h.fail(st, "read pg_locks", err)
		}
		if r[2] != nil {
			m := string(r[2])
			l.mode = &m
		}
		rows = append(rows, l)
	}
	return h.sawLocks(st, tr, rows)
}

// oidOf reads an oid in text form; NULL is nil.
func oidOf(b []byte) (*uint32, error) {
	if b == nil {
		return nil, nil
	}
	n, err := strconv.ParseUint(string(b), 10, 32)
	if err != nil {
		return nil, fmt.Errorf("bad oid %q", b)
	}
	v := uint32(n)
	return &v, nil
}

// sawLocks takes in what locksSQL returned after st.
func (h *hooks) sawLocks(st *sqlparse.Statement, tr *StatementTrace, rows []lockRow) error {
	now := map[uint32]lockmode.Set{}
	var timeout string
	for _, l := range rows {
		timeout = l.timeout
		if l.oid == nil {
			continue
		}
		x := h.pre[*l.oid]
		if x == nil {
			continue // created by the migration, or not a user relation
		}
		if m := lockmode.FromPGLocks(*l.mode); m != lockmode.None {
			now[*l.oid] |= 1 << m
		}
		if l.file != nil && x.file != 0 && *l.file != x.file {
			x.file = *l.file
			name := x.name // an index is truncated with its table
			if t := h.pre[x.table]; x.kind == 'i' && t != nil {
				name = t.name
			}
			if tr != nil && !truncates(st, name) && x.kind != 'S' {
				tr.rewrites = append(tr.rewrites, *x)
			}
		}
	}
	h.sawTimeout(timeout)
	if h.held == nil {
		h.held = map[uint32]lockmode.Set{}
	}
	fresh := make(map[uint32]lockmode.Set, len(now))
	for oid, ms := range now {
		held := h.held[oid]
		var f lockmode.Set
		for _, m := range lockmode.All {
			if ms.Has(m) && !lockmode.Covered(m, held) {
				f |= 1 << m
			}
		}
		// Of the new modes, keep those no stronger new one covers.
		for _, m := range lockmode.All {
			if f.Has(m) && lockmode.Covered(m, f&^(1<<m)) {
				f &^= 1 << m
			}
		}
		h.held[oid] = held | ms
		fresh[oid] = f
	}
	if tr == nil {
		return nil
	}
	for oid, f := range fresh {
		x := h.pre[oid]
		for _, m := range slices.Backward(lockmode.All) {
			if !f.Has(m) {
				continue
			}
			// A lock on an index blocks nothing that the lock on its
			// table does not block already (ALTER TABLE locks them all);
			// REINDEX INDEX shows, as its table is locked only SHARE.
			if x.isIndex() && lockmode.Covered(m, h.held[x.table]) {
				continue
			}
			tr.Locks = append(tr.Locks, Lock{Relation: x.name, Mode: m.String(), Blocks: blocks(m)})
		}
	}
	h.finishFacts(tr)
	return nil
}

// readFiles compares every relfilenode after a statement that ran outside
// a transaction: its locks are gone, but a rewrite still shows.
func (h *hooks) readFiles(ctx context.Context, conn *pgx.Conn, tr *StatementTrace) error {
	var timeout string
	sql := filesSQL
	if h := h.t.rels.horizon; h != "" {
		// Only the rows written since the relations were read: a new
		// relfilenode is a new pg_class row.
		sql += " AND pg_catalog.age(c.xmin) <= pg_catalog.age(pg_catalog.xid('" + h + "'::pg_catalog.xid8))"
	}
	err := query(ctx, conn, sql, func(r pgx.Rows) error {
		var oid, file *uint32
		if err := r.Scan(&timeout, &oid, &file); err != nil {
			return err
		}
		if oid == nil {
			return nil
		}
		if x := h.pre[*oid]; x != nil && file != nil && x.file != 0 && *file != x.file {
			x.file = *file
			if x.kind != 'S' {
				tr.rewrites = append(tr.rewrites, *x)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	h.sawTimeout(timeout)
	h.finishFacts(tr)
	return nil
}

// sawTimeout records lock_timeout as a statement left it.
func (h *hooks) sawTimeout(v string) {
	if !h.txTimeoutKnown || v != h.txTimeout {
		h.txChanged = true
	}
	h.timeout, h.timeoutKnown = v, true
}

// finishFacts sorts a statement's facts: strongest lock first, then by
// name; tables before their indexes.
func (h *hooks) finishFacts(tr *StatementTrace) {
	sort.Slice(tr.Locks, func(i, j int) bool {
		a, b := lockmode.Parse(tr.Locks[i].Mode), lockmode.Parse(tr.Locks[j].Mode)
		if a != b {
			return a > b
		}
		return tr.Locks[i].Relation < tr.Locks[j].Relation
	})
	sort.SliceStable(tr.rewrites, func(i, j int) bool {
		a, b := tr.rewrites[i], tr.rewrites[j]
		if a.isIndex() != b.isIndex() {
			return !a.isIndex()
		}
		return a.name < b.name
	})
	tr.Rewrites = nil
	for _, r := range tr.rewrites {
		tr.Rewrites = append(tr.Rewrites, r.name)
	}
}

// TxEnd gives the statements of the transaction that ended how long their
// locks were held, and publishes the migration's trace once its last
// statement is done.
func (h *hooks) TxEnd(ctx context.Context, conn *pgx.Conn, committed bool) error {
	end := time.Now()
	if !committed {
		h.t.rels.horizon = "" // as after a ROLLBACK: read all relations next time
	}
	if h.alone && len(h.stmts) > 0 {
		// A statement that ran alone: it held its locks while it ran.
		i := len(h.stmts) - 1
		h.stmts[i].Held = end.Sub(h.starts[i])
	}
	h.alone = false
	for _, i := range h.inTx {
		h.stmts[i].Held = end.Sub(h.starts[i])
	}
	h.inTx, h.held = nil, nil
	// A rollback undoes every SET of the transaction; a commit keeps a
	// session SET but not a SET LOCAL: unless lock_timeout never changed
	// in the transaction, ask again before the next statement.
	switch {
	case !committed && h.txTimeoutKnown:
		h.timeout, h.timeoutKnown = h.txTimeout, true
	case !committed || h.txChanged:
		h.timeoutKnown = false
	}
	h.txTimeoutKnown = false
	if h.after == h.n && h.n > 0 {
		h.t.stmts = append(h.t.stmts, h.stmts...)
		h.stmts, h.starts = nil, nil
		h.n = -1 // published
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}

// truncates: TRUNCATE gives a table a new, empty file; that is not a copy
// of its rows.
// truncates: st is a TRUNCATE, or a DO block or CALL whose text truncates
// the relation name (schema-qualified): its new file is empty, no copy.
func truncates(st *sqlparse.Statement, name string) bool {
	if st.Node.GetTruncateStmt() != nil {
		return true
	}
	if st.Node.GetDoStmt() == nil && st.Node.GetCallStmt() == nil {
		return false
	}
	_, table, _ := strings.Cut(name, ".")
	if table = strings.ToLower(strings.Trim(table, `"`)); table == "" {
		return false
	}
	// Each TRUNCATE of the text, to its semicolon, naming the table.
	for text := strings.ToLower(st.Text); ; {
		i := strings.Index(text, "truncate")
		if i < 0 {
			return false
		}
		text = text[i+len("truncate"):]
		cmd, _, _ := strings.Cut(text, ";")
		if slices.Contains(strings.FieldsFunc(cmd, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '$' }), table) {
			return true
		}
	}
}

// serverVersion is the major version the server announced.
func serverVersion(conn *pgx.Conn) int {
	v := conn.PgConn().ParameterStatus("server_version")
	major, _, _ := strings.Cut(strings.TrimSpace(v), ".")
	major, _, _ = strings.Cut(major, " ")
	n, _ := strconv.Atoi(major)
	return n
}

var _ replay.Follower = (*hooks)(nil)

// location is where findings about tr go.
func (tr *StatementTrace) location() finding.Location {
	return finding.Location{File: tr.File, Line: tr.Line, Column: tr.Column, EndLine: tr.EndLine}
}

// blocks says what a lock seen on the server blocks, "" for the modes
// that block neither reads nor writes.
func blocks(m lockmode.Mode) string {
	if !m.Blocking() {
		return ""
	}
	return m.Blocked()
}

// pgCode reports whether err is a PostgreSQL error with the given code.
func pgCode(err error, code string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == code
}
