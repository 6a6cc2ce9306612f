package replay

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	pgq "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/catalog"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Parallel lets a long replay use more cores: while the first part of
// the history is replayed up, down and up in the database of Run, each
// further part gets a database of its own, the parts before it in one fast
// pass (plain ups), and its own migrations replayed up, down and up. A
// part's findings are kept only when it and the part before it were found
// in the same state where they meet: the same schema, the same rows in
// every table and sequence, the same session settings. Otherwise the part
// before replays the rest as usual (the later parts' work is lost, not
// their correctness).
type Parallel struct {
	// Database makes another empty database on the same server and
	// returns its URL.
	Database func(ctx context.Context) (string, error)
	// Hooks gives the hooks for a later part's migrations, and keep,
	// which is called (after the parts before it were kept) when the
	// part's results are used.
	Hooks func() (hooks func(m *migrations.Migration) Hooks, keep func())
	// At, when set, is where each part after the first begins, in order
	// (tests); else the parts are chosen so that they take about as long.
	At []int
	// Parts is how many parts at most, 0 for one per core: a part runs on
	// a core of the client's machine and one of the server's.
	Parts int
}

// minParallel is the shortest history worth a second database: a few
// hundred milliseconds of replay.
const minParallel = 40

// split is where each part after the first begins, none for a replay in
// one part. logged: the snapshots come from the change log
// (catalog.Logged).
func (o *Options) split(ms []migrations.Migration, logged bool) []int {
	p := o.Parallel
	parts := runtime.NumCPU()
	if p != nil && p.Parts > 0 {
		parts = p.Parts
	}
	if p == nil || o.External != nil || o.FullFrom > 0 || (parts < 2 && len(p.At) == 0) {
		return nil
	}
	// Not for a history that may touch what databases share (roles,
	// databases, tablespaces, files, the server's settings): the
	// replays would see each other. (With the change log, Run found none
	// already: unlogged includes them.)
	if !logged && o.any(ms, reachesOut) {
		return nil
	}
	if len(p.At) > 0 {
		var at []int
		for _, k := range p.At {
			if k > 0 && k < len(ms) && (len(at) == 0 || k > at[len(at)-1]) {
				at = append(at, k)
			}
		}
		return at
	}
	if len(ms) < minParallel {
		return nil
	}
	// Rough costs, in statements, so that the parts end together. Fitted
	// on the server instructions of each part's backend in
	// bench/instructions.sh: the three snapshots of a migration from the
	// change log, about 14 (the same at any size of schema); making a
	// database with the first snapshot of a later part, about 220; a
	// script of the fast pass, its statements and 1 (it is sent in one
	// message). The Snapshotter's three, 21 at first, grow with the schema
	// (twice as dear by the end of a long history); with it, making a
	// database about 80. Full: three runs and three snapshots; fast: one
	// run.
	snapshots, growth, second := 14.0, 0.0, 220.0
	if !logged {
		snapshots, growth, second = 21, 1, 80
	}
	n := len(ms)
	full, fast := make([]float64, n+1), make([]float64, n+1)
	for i := range ms {
		st := float64(o.statements(ms[i].Up))
		back := float64(o.statements(ms[i].Down))
		full[i+1] = full[i] + 2*st + back + snapshots*(1+growth*float64(i)/float64(n))
		fast[i+1] = fast[i] + st + 1
	}
	// The parts for a longest part of t: each as long as t allows.
	cut := func(t float64) []int {
		var at []int
		k := 0
		for {
			start := 0.0 // what the part costs before its own migrations
			if len(at) > 0 {
				start = second + fast[k]
			}
			end := k
			for end < n && start+full[end+1]-full[k] <= t {
				end++
			}
			if end == n {
				return at
			}
			if end == k || len(at) == parts-1 {
				return nil // t is too short
			}
			at, k = append(at, end), end
		}
	}
	lo, hi := full[n]/float64(parts), full[n]
	best := []int(nil)
	for range 60 {
		t := (lo + hi) / 2
		if at := cut(t); at != nil {
			best, hi = at, t
		} else {
			lo = t
		}
	}
	if best == nil || hi >= full[n] {
		return nil
	}
	// A part of a few migrations is not worth its database.
	for len(best) > 0 && n-best[len(best)-1] < minParallel/4 {
		best = best[:len(best)-1]
	}
	return best
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
	return namesServerObjects(st.Text) && serverFunctions.MatchString(st.Text)
}

// namesServerObjects is the quick test before serverFunctions and
// catalogWrites, which look at every statement of the history before the
// replay starts: each name they find has "pg_", "lo_" or "dblin" in it, in
// any case ("dblin": their case-insensitive k is also the Kelvin sign).
func namesServerObjects(text string) bool {
	for i := 0; i+3 <= len(text); i++ {
		switch text[i] | 0x20 {
		case 'p':
			if text[i+1]|0x20 == 'g' && text[i+2] == '_' {
				return true
			}
		case 'l':
			if text[i+1]|0x20 == 'o' && text[i+2] == '_' {
				return true
			}
		case 'd':
			if i+5 <= len(text) && strings.EqualFold(text[i:i+5], "dblin") {
				return true
			}
		}
	}
	return false
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
		return reachesOut(st) || (namesServerObjects(st.Text) && catalogWrites.MatchString(st.Text))
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

// laterPart is a part of a replay after the first (see Parallel): its runner,
// at the end of its migrations unless it failed, and what it found where
// it began and where it ended.
type laterPart struct {
	from, to int // its migrations, those from 'from' to before 'to'
	r        *runner
	keep     func()
	progress *recorded
	// The schema and the state where it began and where it ended.
	before       *catalog.Snapshot
	state, final string
	err          error
	busy         time.Duration
}

// runParallel replays ms in parts, the second from migration at[0], each
// later one in a database of its own (see Parallel).
func (r *runner) runParallel(ctx context.Context, ms []migrations.Migration, at []int) error {
	p := r.opts.Parallel
	ctx2, cancel := context.WithCancel(ctx)
	defer cancel()
	parts := make([]*laterPart, len(at))
	done := make([]chan struct{}, len(at))
	for j, k := range at {
		to := len(ms)
		if j+1 < len(at) {
			to = at[j+1]
		}
		hooks, keep := p.Hooks()
		o2 := r.opts
		o2.FullFrom, o2.Hooks = k, hooks
		pt := &laterPart{from: k, to: to, keep: keep, progress: &recorded{from: k}}
		o2.Progress = pt.progress
		parts[j], done[j] = pt, make(chan struct{})
		go func() {
			defer close(done[j])
			// A panic here (a bug) would end the process before the
			// throwaway databases are removed: it fails the part instead,
			// which is then not used.
			defer func() {
				if r := recover(); r != nil {
					pt.err = fmt.Errorf("internal error in the part from migration %s: %v", ms[k].ID, r)
				}
			}()
			pt.err = pt.run(ctx2, ms, o2, p.Database)
		}()
	}
	// The runners stay open until the parts are merged: the part before
	// one whose state differs replays the rest on its own.
	defer func() {
		cancel()
		for j := range parts {
			<-done[j]
			if parts[j].r != nil {
				parts[j].r.close(ctx)
			}
		}
	}()

	t := time.Now()
	err := r.run(ctx, ms, at[0])
	if err != nil || r.res.Stopped != "" {
		cancel()
		return err
	}
	// A state that cannot be read (a table too large to digest) is as
	// good as a different one.
	mine, stateErr := state(ctx, r.conn)
	busy := time.Since(t)
	snap, all := r.res.Snapshot, busy
	// prev is the last part kept: nil for the first, whose runner is r.
	var prev *laterPart
	for j, pt := range parts {
		<-done[j]
		before := r.before
		if prev != nil {
			// (A part with an error is never kept.)
			mine, stateErr, before = prev.final, nil, prev.r.before
		}
		if stateErr != nil || pt.err != nil || pt.state != mine || len(catalog.Diff(before, pt.before)) > 0 {
			// Not the same state: replay the rest after the last part
			// kept, as without the later parts.
			cancel()
			if prev == nil {
				return r.run(ctx, ms, len(ms))
			}
			t, spent := time.Now(), prev.r.res.Snapshot
			err := prev.r.run(ctx, ms, len(ms))
			r.adopt(prev, snap+prev.r.res.Snapshot-spent, all+time.Since(t))
			return err
		}
		if prev != nil {
			r.adopt(prev, 0, 0)
		} else {
			r.res.Parallel = pt.from
		}
		snap, all = snap+pt.r.res.Snapshot, all+pt.busy
		if pt.r.res.Stopped != "" {
			// Its later migrations could not be replayed: nor can the
			// parts after it be used.
			cancel()
			r.adopt(pt, snap, all)
			return nil
		}
		prev = pt
	}
	r.adopt(prev, snap, all)
	return nil
}

// run replays a part after the first in a database of its own: the parts
// before it in a fast pass, then its own migrations.
func (pt *laterPart) run(ctx context.Context, ms []migrations.Migration, o Options, database func(context.Context) (string, error)) error {
	t := time.Now()
	// Made while the first part runs: creating a database takes a tenth of
	// a second or more. Without one (the role may create only one), the
	// part before replays the rest.
	url, err := database(ctx)
	if err != nil {
		return err
	}
	r, err := connect(ctx, url, o)
	if err != nil {
		return err
	}
	pt.r = r
	if err := r.run(ctx, ms, pt.from); err != nil {
		return err
	}
	if r.res.Stopped != "" {
		return errors.New("the fast pass stopped: " + r.res.Stopped)
	}
	if pt.before, err = r.snapshot(ctx); err != nil {
		return err
	}
	r.before = pt.before
	if pt.state, err = state(ctx, r.conn); err != nil {
		return err
	}
	if err := r.run(ctx, ms, pt.to); err != nil {
		return err
	}
	if pt.to < len(ms) && r.res.Stopped == "" {
		// Where the next part begins: it is compared with this state.
		if pt.final, err = state(ctx, r.conn); err != nil {
			return err
		}
	}
	pt.busy = time.Since(t)
	return nil
}

// adopt takes what a later part found after what r and the parts before it
// found: its traced statements, progress, findings and where it ended.
// With all > 0 it is the last part: the time spent on snapshots becomes
// their share of the wall time, snap of all the parts' busy time (the
// parts' snapshots overlapped).
func (r *runner) adopt(pt *laterPart, snap, all time.Duration) {
	if pt == nil {
		return
	}
	pt.keep()
	r.res.Parts = max(r.res.Parts, 1) + 1
	if r.opts.Progress != nil {
		pt.progress.play(r.opts.Progress)
	}
	r.res.Findings = append(r.res.Findings, pt.r.res.Findings...)
	r.res.Replayed += pt.r.res.Replayed - pt.from
	r.res.Stopped, r.res.StoppedAt, r.res.Final = pt.r.res.Stopped, pt.r.res.StoppedAt, pt.r.res.Final
	if all > 0 {
		r.res.Snapshot = time.Duration(float64(time.Since(r.started)) * float64(snap) / float64(all))
	}
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

func (p *recorded) Done(i, n int, m *migrations.Migration, took time.Duration, worst finding.Severity) {
	if i >= p.from {
		p.events = append(p.events, func(to Progress) { to.Done(i, n, m, took, worst) })
	}
}

// play tells to what the second part did.
func (p *recorded) play(to Progress) {
	for _, e := range p.events {
		e(to)
	}
}
