package replay

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	pgq "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/catalog"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Parallel lets a long replay use a second core: while the first part of
// the history is replayed up, down and up in the database of Run, a second
// database gets the first part in one fast pass (plain ups) and the rest
// replayed up, down and up. The second part's findings are kept only when
// both databases were found in the same state where the parts meet: the
// same schema, the same rows in every table and sequence, the same session
// settings. Otherwise the first database replays the rest as usual (the
// second part's work is lost, not its correctness).
type Parallel struct {
	// Database makes a second empty database on the same server and
	// returns its URL.
	Database func(ctx context.Context) (string, error)
	// Hooks gives the hooks for the second part's migrations, and keep,
	// which is called (after the first part's statements were seen) when
	// the second part's results are used.
	Hooks func() (hooks func(m *migrations.Migration) Hooks, keep func())
	// At, when positive, is where the second part begins (tests); else it
	// is chosen so that both parts take about as long.
	At int
}

// minParallel is the shortest history worth a second database: a few
// hundred milliseconds of replay.
const minParallel = 40

// split is where the second part begins, 0 for a replay in one part.
// logged: the snapshots come from the change log (catalog.Logged).
func (o *Options) split(ms []migrations.Migration, logged bool) int {
	p := o.Parallel
	if p == nil || o.External != nil || o.FullFrom > 0 || runtime.NumCPU() < 2 {
		return 0
	}
	// Not for a history that may touch what databases share (roles,
	// databases, tablespaces, files, the server's settings): the two
	// replays would see each other. (With the change log, Run found none
	// already: unlogged includes them.)
	if !logged && o.any(ms, reachesOut) {
		return 0
	}
	if p.At > 0 {
		if p.At < len(ms) {
			return p.At
		}
		return 0
	}
	if len(ms) < minParallel {
		return 0
	}
	// Rough costs, in statements, fitted on bench/replay.sh so that both
	// parts end together: a snapshot about 7; a script of the fast pass its
	// statements and 1 (it is sent in one message); making the second
	// database, about 80. A snapshot from the change log costs about the
	// same at any size of schema; the Snapshotter's grows with it (twice as
	// dear by the end of a long history). Full: three runs and three
	// snapshots; fast: one run.
	growth := 0.0
	if !logged {
		growth = 1
	}
	n := len(ms)
	full, fast := make([]float64, n+1), make([]float64, n+1)
	for i := range ms {
		st := float64(o.statements(ms[i].Up))
		back := float64(o.statements(ms[i].Down))
		full[i+1] = full[i] + 2*st + back + 21*(1+growth*float64(i)/float64(n))
		fast[i+1] = fast[i] + st + 1
	}
	// The second part also makes its database first.
	const second = 80
	best, at := full[n], 0
	for k := 1; k < n; k++ {
		if c := max(full[k], second+fast[k]+full[n]-full[k]); c < best {
			best, at = c, k
		}
	}
	return at
}

// reachesOut reports whether st may change or read what the databases of
// a server share, where two replays at once would see each other: roles,
// databases, tablespaces, subscriptions, the server's settings, files,
// other backends. Code that runs later or builds its SQL (a function's
// body, a DO block) is judged by its words.
func reachesOut(st *sqlparse.Statement) bool {
	switch n := st.Node.GetNode().(type) {
	case nil:
		return true
	case *pgq.Node_CreateRoleStmt, *pgq.Node_AlterRoleStmt, *pgq.Node_AlterRoleSetStmt, *pgq.Node_DropRoleStmt,
		*pgq.Node_GrantRoleStmt, *pgq.Node_CreatedbStmt, *pgq.Node_AlterDatabaseStmt, *pgq.Node_AlterDatabaseSetStmt,
		*pgq.Node_AlterDatabaseRefreshCollStmt, *pgq.Node_DropdbStmt, *pgq.Node_CreateTableSpaceStmt,
		*pgq.Node_DropTableSpaceStmt, *pgq.Node_AlterTableSpaceOptionsStmt, *pgq.Node_AlterTableMoveAllStmt,
		*pgq.Node_AlterSystemStmt, *pgq.Node_CreateSubscriptionStmt, *pgq.Node_AlterSubscriptionStmt,
		*pgq.Node_DropSubscriptionStmt, *pgq.Node_SecLabelStmt:
		return true
	case *pgq.Node_CommentStmt:
		return sharedKind(n.CommentStmt.Objtype)
	case *pgq.Node_RenameStmt:
		return sharedKind(n.RenameStmt.RenameType)
	case *pgq.Node_AlterOwnerStmt:
		return sharedKind(n.AlterOwnerStmt.ObjectType)
	case *pgq.Node_GrantStmt:
		return sharedKind(n.GrantStmt.Objtype)
	case *pgq.Node_CopyStmt:
		if n.CopyStmt.Filename != "" || n.CopyStmt.IsProgram {
			return true
		}
	case *pgq.Node_DoStmt, *pgq.Node_CreateFunctionStmt:
		if sharedWords.MatchString(st.Text) {
			return true
		}
	}
	return serverFunctions.MatchString(st.Text)
}

// any reports whether a statement of ms is one that f reports, or may be
// (a script that did not parse).
func (o *Options) any(ms []migrations.Migration, f func(*sqlparse.Statement) bool) bool {
	for i := range ms {
		for _, s := range []*migrations.Script{ms[i].Up, ms[i].Down} {
			if s == nil {
				continue
			}
			ps := o.Parsed(s)
			if ps == nil {
				return true
			}
			for _, st := range ps.Statements {
				if f(st) {
					return true
				}
			}
		}
	}
	return false
}

// unlogged reports whether a statement of ms may change the schema with
// no event trigger seeing it (catalog.Logged): what reaches beyond the
// database (roles: a policy prints their names; another session), and
// writes to the system catalogs.
func (o *Options) unlogged(ms []migrations.Migration) bool {
	return o.any(ms, func(st *sqlparse.Statement) bool {
		switch st.Node.GetNode().(type) {
		case *pgq.Node_DropOwnedStmt, *pgq.Node_ReassignOwnedStmt:
			// They change what a policy prints (its roles) as well.
			return true
		}
		return reachesOut(st) || catalogWrites.MatchString(st.Text)
	})
}

// catalogWrites finds a statement that writes a system catalog, or a
// function that fills one.
var catalogWrites = regexp.MustCompile(`(?i)\b(insert\s+into|update|delete\s+from)\s+("?pg_catalog"?\s*\.\s*)?"?pg_\w+|\bpg_import_system_collations\b`)

func sharedKind(k pgq.ObjectType) bool {
	switch k {
	case pgq.ObjectType_OBJECT_ROLE, pgq.ObjectType_OBJECT_DATABASE, pgq.ObjectType_OBJECT_TABLESPACE, pgq.ObjectType_OBJECT_SUBSCRIPTION:
		return true
	}
	return false
}

var (
	// sharedWords find, in code, the statements of reachesOut.
	sharedWords = regexp.MustCompile(`(?i)\b(ROLE|USER|GROUP|DATABASE|TABLESPACE|SYSTEM|SUBSCRIPTION|SECURITY\s+LABEL|COPY)\b`)
	// serverFunctions are the built-in functions that reach other
	// backends, the server's files or its settings.
	serverFunctions = regexp.MustCompile(`(?i)\b(dblink\w*|lo_import|lo_export|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_file_\w+|pg_read_\w*file|pg_ls_\w+|pg_stat_file|pg_\w*replication_\w+|pg_logical_\w+|pg_switch_wal|pg_checkpoint)\b`)
)

func (o *Options) statements(s *migrations.Script) int {
	if s == nil {
		return 0
	}
	if ps := o.Parsed(s); ps != nil {
		return len(ps.Statements)
	}
	return 1
}

// runParallel replays ms in two parts, the second from migration k in a
// second database (see Parallel).
func (r *runner) runParallel(ctx context.Context, ms []migrations.Migration, k int) error {
	p := r.opts.Parallel
	ctx2, cancel := context.WithCancel(ctx)
	defer cancel()
	hooks, keep := p.Hooks()
	o2 := r.opts
	o2.FullFrom, o2.Hooks = k, hooks
	progress := &recorded{from: k}
	o2.Progress = progress
	type second struct {
		r      *runner
		before *catalog.Snapshot // the schema where the parts meet
		state  string
		err    error
		busy   time.Duration
	}
	done := make(chan second, 1)
	go func() {
		var out second
		defer func() { done <- out }()
		t := time.Now()
		// Made while the first part runs: creating a database takes a
		// tenth of a second or more. Without one (the role may create
		// only one), the first part replays the rest.
		url, err := p.Database(ctx2)
		if err != nil {
			out.err = err
			return
		}
		r2, err := connect(ctx2, url, o2)
		if err != nil {
			out.err = err
			return
		}
		defer r2.close(ctx2)
		out.r = r2
		if out.err = r2.run(ctx2, ms, k); out.err != nil || r2.res.Stopped != "" {
			return
		}
		if out.before, out.err = r2.snapshot(ctx2); out.err != nil {
			return
		}
		r2.before = out.before
		if out.state, out.err = state(ctx2, r2.conn); out.err != nil {
			return
		}
		out.err = r2.run(ctx2, ms, len(ms))
		out.busy = time.Since(t)
	}()

	t := time.Now()
	err := r.run(ctx, ms, k)
	if err != nil || r.res.Stopped != "" {
		cancel()
		<-done
		return err
	}
	// A state that cannot be read (a table too large to digest) is as
	// good as a different one.
	mine, stateErr := state(ctx, r.conn)
	busy := time.Since(t)
	o := <-done
	if stateErr != nil || o.err != nil || o.state != mine || len(catalog.Diff(r.before, o.before)) > 0 {
		// Not the same state: replay the rest here, as without Parallel.
		return r.run(ctx, ms, len(ms))
	}
	keep()
	if r.opts.Progress != nil {
		progress.play(r.opts.Progress)
	}
	snap := r.res.Snapshot + o.r.res.Snapshot
	r.res.Findings = append(r.res.Findings, o.r.res.Findings...)
	r.res.Replayed += o.r.res.Replayed - k
	r.res.Stopped, r.res.Final, r.res.Parallel = o.r.res.Stopped, o.r.res.Final, k
	// The time spent on snapshots, as a share of the wall time: the two
	// parts' snapshots overlapped.
	if all := busy + o.busy; all > 0 {
		r.res.Snapshot = time.Duration(float64(time.Since(r.started)) * float64(snap) / float64(all))
	}
	return nil
}

// stateSQL lists what, besides the schema, a migration can leave for the
// next one to find: the session's settings, prepared statements (not the
// snapshots' own, whose text holds OIDs), cursors,
// channels and advisory locks; the owner and privileges of every relation,
// and the rows of every table,
// materialized view and sequence (the session's temporary ones too), as
// one text per relation.
const stateSQL = `SELECT 'settings', pg_catalog.string_agg(name || '=' || setting, ',' ORDER BY name) FROM pg_catalog.pg_settings WHERE source = 'session'
UNION ALL SELECT 'large objects', pg_catalog.count(*)::text FROM pg_catalog.pg_largeobject_metadata
UNION ALL SELECT 'prepared', pg_catalog.string_agg(name || ' ' || statement, ',' ORDER BY name) FROM pg_catalog.pg_prepared_statements WHERE from_sql AND name NOT LIKE 'schemagate\_%'
UNION ALL SELECT 'cursors', pg_catalog.string_agg(name || ' ' || statement, ',' ORDER BY name) FROM pg_catalog.pg_cursors
UNION ALL SELECT 'listening', pg_catalog.string_agg(c, ',' ORDER BY c) FROM pg_catalog.pg_listening_channels() c
UNION ALL SELECT 'advisory locks', pg_catalog.string_agg(classid || ' ' || objid || ' ' || objsubid || ' ' || mode, ',' ORDER BY classid, objid, objsubid, mode)
  FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_catalog.pg_backend_pid()
UNION ALL SELECT CASE WHEN n.oid = pg_catalog.pg_my_temp_schema() THEN 'pg_temp' ELSE pg_catalog.quote_ident(n.nspname) END || '.' || pg_catalog.quote_ident(c.relname),
       c.relkind::text || ' ' || c.relispopulated::text || ' ' || c.relowner::pg_catalog.regrole::text || ' ' || coalesce(c.relacl::text, '')
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm', 'S') AND c.oid >= 16384
  AND (n.oid = pg_catalog.pg_my_temp_schema() OR (n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'))
ORDER BY 1`

// state is stateSQL's answer with each relation's rows digested.
func state(ctx context.Context, conn *pgx.Conn) (string, error) {
	rows, err := conn.Query(ctx, stateSQL, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return "", fmt.Errorf("read the database's state: %w", err)
	}
	var b, q strings.Builder
	rels := 0
	for rows.Next() {
		var name string
		var v *string
		if err := rows.Scan(&name, &v); err != nil {
			rows.Close()
			return "", fmt.Errorf("read the database's state: %w", err)
		}
		fmt.Fprintf(&b, "%s %s\n", name, deref(v))
		if strings.Contains(name, ".") && v != nil {
			kind, rest, _ := strings.Cut(*v, " ")
			if populated, _, _ := strings.Cut(rest, " "); populated != "true" {
				continue
			}
			if rels > 0 {
				q.WriteString("\nUNION ALL ")
			}
			rels++
			lit := "'" + strings.ReplaceAll(name, "'", "''") + "'"
			if kind == "S" {
				fmt.Fprintf(&q, "SELECT %s, (SELECT x.last_value::text || ' ' || x.is_called::text FROM %s x)", lit, name)
			} else {
				fmt.Fprintf(&q, "SELECT %s, (SELECT pg_catalog.count(*)::text || ' ' || coalesce(pg_catalog.md5(pg_catalog.string_agg(pg_catalog.md5(x::text), '' ORDER BY pg_catalog.md5(x::text))), '') FROM ONLY %s x)", lit, name)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("read the database's state: %w", err)
	}
	if rels == 0 {
		return b.String(), nil
	}
	rows, err = conn.Query(ctx, q.String(), pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return "", fmt.Errorf("read the rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var v *string
		if err := rows.Scan(&name, &v); err != nil {
			return "", fmt.Errorf("read the rows: %w", err)
		}
		fmt.Fprintf(&b, "%s rows %s\n", name, deref(v))
	}
	return b.String(), rows.Err()
}

func deref(s *string) string {
	if s == nil {
		return "NULL"
	}
	return *s
}

// recorded keeps the second part's progress, to be told after the first
// part's.
type recorded struct {
	from   int // the first migration replayed up, down and up
	events []func(Progress)
}

func (p *recorded) Step(i, n int, m *migrations.Migration, step string) {}

func (p *recorded) Done(i, n int, m *migrations.Migration, took time.Duration, failed bool) {
	if i >= p.from {
		p.events = append(p.events, func(to Progress) { to.Done(i, n, m, took, failed) })
	}
}

// play tells to what the second part did.
func (p *recorded) play(to Progress) {
	for _, e := range p.events {
		e(to)
	}
}
