// Package replay applies every migration to a throwaway database up, down
// and up again, snapshotting the schema around each step, and reports what
// a real server rejected and every down that does not restore the schema
// its up started from.
package replay

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/catalog"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Options configure a replay.
type Options struct {
	// StatementTimeout limits every statement; 0 means none.
	StatementTimeout time.Duration
	// Parsed gives the statements of a script (the lint parsed them).
	Parsed func(*migrations.Script) *sqlparse.Script
	// FullFrom is the index of the first migration replayed up, down and
	// up with snapshots; the ones before it are only applied, in one fast
	// pass (a pull request that adds one migration to a long history).
	FullFrom int
	// Progress is told what happens; nil for silence.
	Progress Progress
	// Hooks watch the statements of each full migration's first up.
	Hooks func(m *migrations.Migration) Hooks
	// External, when set, is offered every script first.
	External External
	// Parallel, when set, lets a long history be replayed in two parts at
	// once (not with External or FullFrom).
	Parallel *Parallel

	// noLog keeps the snapshots from the change log (catalog.Logged): Run
	// sets it when a statement may change the schema behind the log's
	// back, for both parts of a replay.
	noLog bool
}

// Progress receives the replay's steps, for a progress line.
type Progress interface {
	Step(i, n int, m *migrations.Migration, step string)
	// Done ends migration i: worst is the most severe of what its replay
	// found (finding.Error when it failed), finding.Off for nothing.
	Done(i, n int, m *migrations.Migration, took time.Duration, worst finding.Severity)
}

// Result is what the replay found.
type Result struct {
	Findings []finding.Finding
	// Replayed counts the migrations applied.
	Replayed int
	// Stopped says why the replay ended early, "" when it did not;
	// StoppedAt is the migration whose failure stopped it.
	Stopped, StoppedAt string
	// Snapshot is the time spent reading and comparing schemas; Total the
	// whole replay.
	Snapshot, Total time.Duration
	// Final is the schema after the last migration applied.
	Final *catalog.Snapshot
	// Parallel is the migration from which the findings are those of a
	// second database replayed at the same time (see Parallel), 0 when
	// the replay ran in one part.
	Parallel int
	// Parts counts the parts whose findings were used, 1 for a replay in
	// one part.
	Parts int
}

// hasDown lists the formats whose migrations are expected to have a down
// script; Flyway's undo files are a paid feature and plain SQL has none.
var hasDown = map[string]bool{
	"golang-migrate": true, "goose": true, "dbmate": true, "sql-migrate": true, "diesel": true, "alembic": true,
}

// Run replays ms on the database at url.
func Run(ctx context.Context, url string, ms []migrations.Migration, opts Options) (*Result, error) {
	start := time.Now()
	opts.noLog = opts.unlogged(ms)
	r, err := connect(ctx, url, opts)
	if err != nil {
		return nil, err
	}
	defer r.close(ctx)
	_, logged := r.snaps.(*catalog.Logged)
	if at := r.opts.split(ms, logged); len(at) > 0 {
		err = r.runParallel(ctx, ms, at)
	} else {
		err = r.run(ctx, ms, len(ms))
	}
	r.res.Total = time.Since(start)
	r.res.Parts = max(r.res.Parts, 1)
	return r.res, err
}

// connect opens the replay's connection to the database at url.
func connect(ctx context.Context, url string, opts Options) (*runner, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("connect to the throwaway database: %w", err)
	}
	if opts.StatementTimeout > 0 {
		if err := setTimeout(ctx, conn, opts.StatementTimeout); err != nil {
			conn.Close(context.WithoutCancel(ctx))
			return nil, err
		}
	}
	return &runner{conn: conn, snaps: snapshotterFor(ctx, conn, opts), opts: opts, res: &Result{}, started: time.Now()}, nil
}

// snapshotter takes the replay's snapshots one after the other, each
// printing again only the objects that may have changed since the
// previous one.
type snapshotter interface {
	Take(ctx context.Context) (*catalog.Snapshot, error)
}

// snapshotterFor is a catalog.Logged where the database's change log can
// be trusted: the user may create event triggers (a superuser), and no
// other session and no write to the catalogs changes the schema behind
// its back. Elsewhere it is a catalog.Snapshotter, which reads the
// catalogs' new rows: exact too, and slower.
func snapshotterFor(ctx context.Context, conn *pgx.Conn, opts Options) snapshotter {
	if opts.External == nil && !opts.noLog {
		if l, err := catalog.NewLogged(ctx, conn); err == nil {
			return l
		}
	}
	return catalog.NewSnapshotter(conn)
}

type runner struct {
	conn  *pgx.Conn
	snaps snapshotter
	opts  Options
	res   *Result
	// timeoutLost: the last script may have changed statement_timeout
	// (keepTimeout).
	timeoutLost bool

	// next is the migration to replay next, before the schema before it
	// (nil until the first full migration).
	next    int
	before  *catalog.Snapshot
	started time.Time
}

func (r *runner) close(ctx context.Context) { r.conn.Close(context.WithoutCancel(ctx)) }

func (r *runner) step(i, n int, m *migrations.Migration, what string) {
	if r.opts.Progress != nil {
		r.opts.Progress.Step(i, n, m, what)
	}
}

func (r *runner) snapshot(ctx context.Context) (*catalog.Snapshot, error) {
	t := time.Now()
	s, err := r.snaps.Take(ctx)
	r.res.Snapshot += time.Since(t)
	if err != nil {
		return nil, fmt.Errorf("read the schema: %w", err)
	}
	return s, nil
}

// execSnapshot runs a script that nothing watches, then takes the snapshot
// after it. A script that runs all or nothing goes in the snapshot's
// round trip (catalog.Logged.TakeAfter), its time counted as the replay's;
// when it cannot, it runs the usual way, and when it fails there, statement
// by statement (so that a statement that hangs until the timeout runs twice
// at most, as it does batched); execErr is its failure (then no snapshot is
// taken).
func (r *runner) execSnapshot(ctx context.Context, s *migrations.Script) (snap *catalog.Snapshot, execErr, err error) {
	run := func() error { return r.exec(ctx, s, nil) }
	ps := r.opts.Parsed(s)
	if l, ok := r.snaps.(*catalog.Logged); ok && r.opts.External == nil && ps != nil {
		if texts := batch(r.conn.PgConn(), s, ps.Statements); texts != nil {
			// r.exec's, for the script that goes in the snapshot's pipeline.
			if err := r.keepTimeout(ctx, s); err != nil {
				return nil, nil, err
			}
			t := time.Now()
			after, err := l.TakeAfter(ctx, texts)
			if err != nil {
				return nil, nil, fmt.Errorf("read the schema: %w", err)
			}
			if after.Ran {
				r.res.Snapshot += time.Since(t) - after.Script
				return after.Snapshot, nil, nil
			}
			if after.Failed {
				run = func() error { return execStatements(ctx, r.conn, s, ps, nil, false) }
			}
		}
	}
	if err := run(); err != nil {
		return nil, err, nil
	}
	snap, err = r.snapshot(ctx)
	return snap, nil, err
}

// run replays the migrations from r.next up to (not including) to; after
// the last one, it records the final schema.
func (r *runner) run(ctx context.Context, ms []migrations.Migration, to int) error {
	n := len(ms)
	for ; r.next < to; r.next++ {
		i := r.next
		m := &ms[i]
		if err := ctx.Err(); err != nil {
			return err
		}
		t := time.Now()
		if i < r.opts.FullFrom {
			r.step(i, n, m, "up (fast pass)")
			if err := r.exec(ctx, m.Up, nil); err != nil {
				return r.failed(ctx, ms, i, finding.Up, "up-fails", err)
			}
			r.res.Replayed++
			if r.opts.Progress != nil {
				r.opts.Progress.Done(i, n, m, time.Since(t), finding.Off)
			}
			continue
		}
		if r.before == nil {
			var err error
			if r.before, err = r.snapshot(ctx); err != nil {
				return err
			}
		}
		found := len(r.res.Findings)
		after, stop, err := r.full(ctx, ms, i, r.before)
		// Interrupted (Ctrl-C, SIGTERM) is not a failure of the migration.
		if r.opts.Progress != nil && ctx.Err() == nil {
			worst := worstOf(r.res.Findings[found:])
			if stop || err != nil {
				worst = finding.Error
			}
			r.opts.Progress.Done(i, n, m, time.Since(t), worst)
		}
		if err != nil || stop {
			return err
		}
		r.res.Replayed++
		r.before = after
	}
	if to < n {
		return nil
	}
	if r.before == nil {
		var err error
		if r.before, err = r.snapshot(ctx); err != nil {
			return err
		}
	}
	r.res.Final = r.before
	return nil
}

// worstOf is the most severe of fs, finding.Off for none.
func worstOf(fs []finding.Finding) finding.Severity {
	worst := finding.Off
	for _, f := range fs {
		worst = max(worst, f.Severity)
	}
	return worst
}

// full replays migration i up, down and up, and returns the schema after
// it. stop is set when the database can no longer be brought to the state
// the next migration expects.
func (r *runner) full(ctx context.Context, ms []migrations.Migration, i int, before *catalog.Snapshot) (after *catalog.Snapshot, stop bool, err error) {
	m := &ms[i]
	var hooks Hooks
	if r.opts.Hooks != nil {
		hooks = r.opts.Hooks(m)
	}
	r.step(i, len(ms), m, "up")
	if err := r.exec(ctx, m.Up, hooks); err != nil {
		return nil, true, r.failed(ctx, ms, i, finding.Up, "up-fails", err)
	}
	afterUp, err := r.snapshot(ctx)
	if err != nil {
		return nil, true, err
	}
	if m.Down == nil {
		switch {
		case m.Revision != nil && m.Up.Source != nil:
			r.downMissing(m)
		case hasDown[m.Format]:
			r.report(m, finding.Up, "down-missing", m.Up, m.Up.Start, nil,
				fmt.Sprintf("migration %s has no down migration: it cannot be rolled back", m.ID))
		}
		return afterUp, false, nil
	}

	r.step(i, len(ms), m, "down")
	afterDown, execErr, err := r.execSnapshot(ctx, m.Down)
	if err != nil {
		return nil, true, err
	}
	if execErr != nil {
		if ferr := r.failed(ctx, ms, i, finding.Down, "down-fails", execErr); ferr != nil {
			return nil, true, ferr
		}
		// A failed down in a transaction left nothing behind: the schema
		// is still the one after up, and the replay can go on.
		now, err := r.snapshot(ctx)
		if err != nil {
			return nil, true, err
		}
		if len(catalog.Diff(afterUp, now)) == 0 {
			return afterUp, false, nil
		}
		r.res.Stopped = fmt.Sprintf("the failed down migration of %s left the schema half changed, so %s could not be replayed", m.ID, plural(len(ms)-i-1, "later migration"))
		r.res.StoppedAt = m.ID
		return nil, true, nil
	}
	downChanges := catalog.Diff(before, afterDown)
	if changes := downChanges; len(changes) > 0 {
		r.report(m, finding.Down, "down-not-reverting", m.Down, firstStatement(r.opts.Parsed(m.Down), m.Down), nil,
			fmt.Sprintf("after up and down, the schema differs from the schema before up in %s:\n%s", plural(len(changes), "object"), listChanges(changes)))
	}

	r.step(i, len(ms), m, "up again")
	again, execErr, err := r.execSnapshot(ctx, m.Up)
	if err != nil {
		return nil, true, err
	}
	if execErr != nil {
		return nil, true, r.failed(ctx, ms, i, finding.Up, "reapply-fails", execErr)
	}
	if changes := notLeftOver(catalog.Diff(afterUp, again), downChanges, afterDown, again); len(changes) > 0 {
		r.report(m, finding.Up, "reapply-fails", m.Up, firstStatement(r.opts.Parsed(m.Up), m.Up), nil,
			fmt.Sprintf("applied again after its down, the up migration gives a different schema than the first time, in %s:\n%s", plural(len(changes), "object"), listChanges(changes)))
	}
	return again, false, nil
}

// notLeftOver drops from cs, the differences between the first and the
// second up, the objects that the down already left changed and that the
// second up did not touch: down-not-reverting reports those, and the second
// up did nothing different.
func notLeftOver(cs, down []catalog.Change, afterDown, again *catalog.Snapshot) []catalog.Change {
	if len(down) == 0 {
		return cs
	}
	left := map[string]bool{}
	for _, c := range down {
		k := catalog.Object{Kind: c.Kind, Name: c.Name}.Key()
		a, inA := afterDown.Lookup(k)
		b, inB := again.Lookup(k)
		if inA == inB && a.Def == b.Def {
			left[k] = true
		}
	}
	var out []catalog.Change
	for _, c := range cs {
		if !left[catalog.Object{Kind: c.Kind, Name: c.Name}.Key()] {
			out = append(out, c)
		}
	}
	return out
}

func (r *runner) exec(ctx context.Context, s *migrations.Script, hooks Hooks) error {
	if err := r.keepTimeout(ctx, s); err != nil {
		return err
	}
	if r.opts.External != nil {
		if ran, err := r.opts.External(ctx, s); ran {
			return err
		}
	}
	return execScript(ctx, r.conn, s, r.opts.Parsed(s), hooks)
}

// failed reports a statement the server rejected. It returns nil when the
// replay can go on, and otherwise records why it stopped; errors other than
// a rejected statement (the connection lost, ctx cancelled) are returned.
func (r *runner) failed(ctx context.Context, ms []migrations.Migration, i int, dir finding.Direction, rule string, err error) error {
	m := &ms[i]
	var serr *StatementError
	if !errors.As(err, &serr) {
		return err
	}
	// A statement that failed half-way (CREATE INDEX CONCURRENTLY) may
	// have left what no event trigger saw.
	if l, ok := r.snaps.(*catalog.Logged); ok {
		l.Invalidate()
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	script := m.Up
	if dir == finding.Down {
		script = m.Down
	}
	what := map[string]string{"up-fails": "up migration fails", "down-fails": "down migration fails", "reapply-fails": "up migration fails when applied again after its down"}[rule]
	if serr.Timeout() {
		rule, what = "statement-timeout", fmt.Sprintf("statement ran longer than --statement-timeout (%s)", r.opts.StatementTimeout)
		switch {
		case setsOwnTimeout(r.opts.Parsed(script)):
			what = fmt.Sprintf("statement ran longer than the statement_timeout in effect, which the migration sets itself (--statement-timeout: %s)", r.opts.StatementTimeout)
		case r.opts.StatementTimeout <= 0:
			what = "statement ran longer than the statement_timeout in effect (--statement-timeout is off: the role's or the database's)"
		}
	}
	msg := fmt.Sprintf("%s: %s", what, serr.Message())
	// After a failed up the next migration cannot start from the state it
	// expects: stop, and say so once.
	if dir == finding.Up {
		if later := len(ms) - i - 1; later > 0 {
			r.res.Stopped = fmt.Sprintf("migration %s failed, so %s after it could not be replayed", m.ID, plural(later, "later migration"))
			r.res.StoppedAt = m.ID
			msg += fmt.Sprintf("; %s after it could not be replayed", plural(later, "later migration"))
		}
	}
	if serr.Origin != nil {
		r.reportAt(m, dir, rule, serr.Origin, msg)
		return nil
	}
	r.report(m, dir, rule, script, serr.Offset, serr.Statement, msg)
	return nil
}

func (r *runner) report(m *migrations.Migration, dir finding.Direction, rule string, s *migrations.Script, pos int, st *sqlparse.Statement, msg string) {
	rl := checks.Lookup(rule)
	f := finding.Finding{
		Rule: rule, Severity: rl.Severity, Phase: finding.Replay, Migration: m.ID, Direction: dir,
		Message: msg, Help: rl.Doc.Help,
	}
	f.Location, f.Excerpt = checks.Locate(s, pos, st)
	r.res.Findings = append(r.res.Findings, f)
}

// downMissing reports an Alembic revision whose downgrade() is missing or
// does nothing: at its def downgrade() line, else at its revision id.
func (r *runner) downMissing(m *migrations.Migration) {
	src, rv := m.Up.Source, m.Revision
	o := &migrations.Origin{Path: src.Path, Line: rv.Line, Text: src.LineText(rv.Line)}
	msg := fmt.Sprintf("revision %s has no downgrade(): `alembic downgrade` cannot roll it back", m.ID)
	switch {
	case rv.Irreversible:
		o.Line, o.Text = rv.DownLine, src.LineText(rv.DownLine)
		msg = fmt.Sprintf("downgrade() of revision %s raises NotImplementedError: `alembic downgrade` cannot roll it back", m.ID)
	case rv.DownLine > 0:
		o.Line, o.Text = rv.DownLine, src.LineText(rv.DownLine)
		msg = fmt.Sprintf("downgrade() of revision %s does nothing while upgrade() changes the schema: `alembic downgrade` cannot roll it back", m.ID)
	}
	r.reportAt(m, finding.Down, "down-missing", o, msg)
}

// firstStatement is where a whole-script finding points: the script's first
// statement, or its start.
func firstStatement(ps *sqlparse.Script, s *migrations.Script) int {
	if ps != nil && len(ps.Statements) > 0 {
		return ps.Statements[0].Start
	}
	return s.Start
}

// listChanges renders at most 20 changes, one per line.
func listChanges(cs []catalog.Change) string {
	const most = 20
	var b strings.Builder
	for i, c := range cs {
		if i == most {
			fmt.Fprintf(&b, "  ... and %d more\n", len(cs)-most)
			break
		}
		fmt.Fprintf(&b, "  %s\n", c)
	}
	return strings.TrimRight(b.String(), "\n")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
