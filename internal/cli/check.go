package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/history"
	"github.com/schemagate/schemagate/internal/lint"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/models"
	"github.com/schemagate/schemagate/internal/replay"
	"github.com/schemagate/schemagate/internal/report"
	"github.com/schemagate/schemagate/internal/sqlparse"
	"github.com/schemagate/schemagate/internal/trace"
	"github.com/schemagate/schemagate/testdb"
)

// checkFlags are the flags of check besides the shared ones.
type checkFlags struct {
	db               string
	image            string
	modelsSQL        string
	modelsCmd        string
	modelsSQLAlchemy string
	statementTimeout time.Duration
	parallel         int
}

func (f *checkFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.db, "db", "auto", "auto, docker, local, or a postgres:// URL of a server to create a throwaway database on")
	fs.StringVar(&f.image, "image", "", "Docker image of the throwaway server (default postgres:<pg-version>)")
	fs.StringVar(&f.modelsSQL, "models-sql", "", "SQL file with the schema the models expect")
	fs.StringVar(&f.modelsCmd, "models-cmd", "", "command that builds the models' schema into the database named by DATABASE_URL")
	fs.StringVar(&f.modelsSQLAlchemy, "models-sqlalchemy", "", "SQLAlchemy MetaData or declarative base, as module:attribute")
	fs.DurationVar(&f.statementTimeout, "statement-timeout", 60*time.Second, "limit for one statement during the replay, at least 1ms; 0 means no limit")
	fs.IntVar(&f.parallel, "parallel", 0, "replay a long history in up to this many parts at once, each in a database of its own (default: one per core; 1: in one part)")
}

// validate rejects flag values that would silently do something else:
// PostgreSQL's statement_timeout counts whole milliseconds, so a positive
// value under 1ms would become 0, which switches the limit off.
func (f *checkFlags) validate() error {
	if t := f.statementTimeout; t < 0 || (t > 0 && t < time.Millisecond) {
		return &usageError{fmt.Sprintf("--statement-timeout %s: give a duration of at least 1ms, such as 60s, or 0 for no limit", t)}
	}
	if f.parallel < 0 {
		return &usageError{fmt.Sprintf("--parallel %d: give how many parts of the history to replay at once, such as 4, 1 for one part, or 0 for one per core", f.parallel)}
	}
	return nil
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	var c common
	var f checkFlags
	fs := newFlagSet("check", "[DIR]", stderr)
	c.register(fs)
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitFailure, &usageError{err.Error()}
	}
	if fs.NArg() > 1 {
		return ExitFailure, &usageError{"check takes one migrations directory"}
	}
	if err := f.validate(); err != nil {
		return ExitFailure, err
	}
	pgFlag := c.pgVersion
	// The rules assume the server's version unless told otherwise; the
	// version is known once the server runs, so resolve with a stand-in.
	if err := c.resolve(defaultLintPG); err != nil {
		return ExitFailure, err
	}
	if pgFlag == 0 {
		// pg-version in the config: what production runs, for the server
		// as for the rules.
		pgFlag = c.cfg.PGVersion
	}
	src := models.Source{SQL: f.modelsSQL, Cmd: f.modelsCmd, SQLAlchemy: f.modelsSQLAlchemy}
	if err := checkModelsFlags(src); err != nil {
		return ExitFailure, err
	}
	py, err := models.Preflight(ctx, src, c.python)
	if err != nil {
		return ExitFailure, err
	}
	dir := c.defaultDir()
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	timing := &timings{}

	// Discover and parse first: a directory that is not there should not
	// cost a server start.
	d, err := c.discover(ctx, dir)
	if err != nil {
		return ExitFailure, err
	}
	if d.only != "" {
		return ExitFailure, fmt.Errorf("%s is part of the Alembic project in %s, and check replays the whole history: run `schemagate check %s` (lint takes a single revision)", d.only, d.root, d.root)
	}
	ms, loadErr := d.ms, d.loadErr

	t := time.Now()
	server, err := testdb.Start(ctx, f.db, testdb.Options{PGVersion: pgFlag, Image: f.image, Log: stderr})
	if err != nil {
		return ExitFailure, fmt.Errorf("start a throwaway PostgreSQL: %w", err)
	}
	defer func() {
		// Clean up even when ctx was cancelled by Ctrl-C or SIGTERM.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := server.Close(cctx); err != nil {
			fmt.Fprintf(stderr, "schemagate: clean up: %v\n", err)
		}
	}()
	timing.server = time.Since(t)
	fmt.Fprintf(stderr, "throwaway server: %s (ready in %s)\n", server, round(timing.server))
	if pgFlag == 0 {
		c.pgVersion = server.Version()
	}

	// The replay's database is created while the rules run: the server
	// works on it while the client lints.
	type created struct {
		db  *testdb.Database
		err error
	}
	creating, done := make(chan created, 1), make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				creating <- created{nil, fmt.Errorf("internal error creating the replay's database (please report it): %v", r)}
			}
		}()
		db, err := server.CreateDatabase(ctx)
		creating <- created{db, err}
	}()
	// Should the lint panic, server.Close (deferred above, so run after
	// this) must not drop the databases before this one is made.
	defer func() { <-done }()
	t = time.Now()
	res, err := lint.Run(ctx, ms, lint.Options{PGVersion: c.pgVersion})
	made := <-creating // dropped by server.Close, whatever happens
	if err != nil {
		return ExitFailure, err
	}
	timing.lint = time.Since(t)
	findings := append(append(lint.Discovery(ms, loadErr), res.Findings...), d.partial()...)

	// With --changed-since, the migrations before the first changed one
	// are applied in one fast pass, and only the changed ones replayed up,
	// down and up with snapshots.
	var changes *history.Changes
	fullFrom := 0
	if c.changedSince != "" {
		if changes, err = history.Since(ctx, c.changedSince, dir); err != nil {
			return ExitFailure, err
		}
		fullFrom = changes.FirstChanged(ms)
	}

	db, err := made.db, made.err
	if err != nil {
		return ExitFailure, err
	}
	t = time.Now()
	parsed := func(s *migrations.Script) *sqlparse.Script { return res.Parsed[s] }
	tracer := trace.New(parsed)
	var external replay.External
	if d.alembic != nil {
		external = d.alembic.External(ctx, db.URL(), f.statementTimeout, func(msg string) { fmt.Fprintf(stderr, "schemagate: %s\n", msg) })
		if external == nil {
			// Nothing runs online: what raised offline is reported as lint found it.
			findings = append(findings, d.failures()...)
		}
	}
	rep, err := replay.Run(ctx, db.URL(), ms, replay.Options{
		External:         external,
		StatementTimeout: f.statementTimeout,
		Parsed:           parsed,
		Progress:         newProgress(stderr),
		FullFrom:         fullFrom,
		Hooks:            tracer.Hooks,
		// A long history is replayed in parts at once (one per core),
		// each in a database of its own, when that gives the same
		// findings.
		Parallel: &replay.Parallel{Parts: f.parallel, Hooks: tracer.Parallel, Database: func(ctx context.Context) (string, error) {
			db, err := server.CreateDatabase(ctx)
			if err != nil {
				return "", err
			}
			return db.URL(), nil
		}},
	})
	if err != nil {
		return ExitFailure, fmt.Errorf("replay: %w", err)
	}
	timing.replay = time.Since(t) - rep.Snapshot
	timing.compare = rep.Snapshot
	// The trace confirms or lowers the static findings of the statements it
	// watched, and adds what only the live server could see.
	findings = tracer.Merge(append(findings, rep.Findings...))
	if rep.Stopped != "" {
		fmt.Fprintf(stderr, "replay stopped: %s\n", rep.Stopped)
	}
	how := "up, down and up"
	if fast := min(fullFrom, rep.Replayed); fast > 0 {
		how = fmt.Sprintf("(%d up, down and up; %d in a fast pass)", rep.Replayed-fast, fast)
	}
	var drift *modelsOutcome
	modelsTime := ""
	if src != (models.Source{}) && (rep.Stopped != "" || rep.Final == nil) {
		fmt.Fprintf(stderr, "models not compared: the replay stopped before the last migration\n")
	} else if src != (models.Source{}) {
		t = time.Now()
		alembic := src.SQLAlchemy != "" || d.alembic != nil
		if drift, err = compareModels(ctx, server, src, py, rep, dir, ms, parsed, c, alembic, stderr); err != nil {
			return ExitFailure, err
		}
		timing.models = time.Since(t)
		modelsTime = fmt.Sprintf(", models %s (comparison %s)", round(timing.models), drift.compared.Round(time.Microsecond))
	}
	fmt.Fprintf(stderr, "replayed %d of %d migrations %s; time: server start %s, replay %s, comparison %s%s\n",
		rep.Replayed, len(ms), how, round(timing.server), round(timing.replay), round(timing.compare), modelsTime)

	if changes != nil {
		if err := stoppedOutside(findings, changes, rep); err != nil {
			return ExitFailure, err
		}
		findings = append(scope(findings, changes), changes.Findings(ms)...)
	}
	// The models are compared with the whole history, whatever changed.
	var notes []report.Note
	if drift != nil {
		findings, notes = append(findings, drift.findings...), drift.notes
	}
	findings = oneSyntaxError(c.cfg.Apply(res.Suppressions.Filter(findings)))
	finding.Sort(findings)
	out := &report.Report{Tool: "schemagate", ToolVersion: version(), Rules: reportRules(), Migrations: reportMigrations(ms), Findings: findings,
		Statements: reportStatements(tracer.Statements(), changes),
		Run:        checkRun(server.String(), &c, ms, changes, fullFrom, rep, timing), Notes: notes}
	if err := c.write(out, stdout); err != nil {
		return ExitFailure, err
	}
	return c.exitCode(findings), nil
}

// oneSyntaxError drops the replay's failure of a statement that the lint
// reported as a syntax error at the same place, at least as severe once the
// suppressions and the config's severities applied: the server says the
// same, and one typo is one finding. What the failure adds (the later
// migrations that could not be replayed) goes to the syntax error's
// message.
func oneSyntaxError(fs []finding.Finding) []finding.Finding {
	syntax := map[finding.Location]finding.Severity{}
	for _, f := range fs {
		if f.Rule == "syntax-error" {
			syntax[f.Location] = max(syntax[f.Location], f.Severity)
		}
	}
	if len(syntax) == 0 {
		return fs
	}
	failed := func(f finding.Finding) bool {
		sev, ok := syntax[f.Location]
		return ok && sev >= f.Severity && f.Phase == finding.Replay && (f.Rule == "up-fails" || f.Rule == "down-fails" || f.Rule == "reapply-fails")
	}
	more := map[finding.Location]string{}
	for _, f := range fs {
		if _, rest, ok := strings.Cut(f.Message, "; "); failed(f) && ok && strings.Contains(rest, "could not be replayed") {
			more[f.Location] = "; " + rest
		}
	}
	out := fs[:0:0]
	for _, f := range fs {
		switch {
		case failed(f):
			continue
		case f.Rule == "syntax-error":
			f.Message += more[f.Location]
		}
		out = append(out, f)
	}
	return out
}

// stoppedOutside fails a --changed-since check whose replay stopped at a
// migration the change did not touch (an older one that fails on this
// server, or a later one that the change breaks): its finding would be
// left out as outside the change, and the check would pass without the
// changed migrations replayed. It is no finding of the change: the check
// could not do its job.
func stoppedOutside(fs []finding.Finding, changes *history.Changes, rep *replay.Result) error {
	if rep.StoppedAt == "" {
		return nil
	}
	for _, f := range fs {
		if f.Phase == finding.Replay && f.Migration == rep.StoppedAt && f.Severity >= finding.Error && !changes.InScope(f) {
			return fmt.Errorf("the replay stopped at migration %s, which this change did not touch (%s: %s: %s): "+
				"the changed migrations could not all be replayed; fix that migration, or check on a server where it runs",
				f.Migration, f.Location, f.Rule, f.Message)
		}
	}
	return nil
}

// timings are the phases of check; models is 0 when no models were
// compared.
type timings struct{ server, lint, replay, compare, models time.Duration }

// checkRun tells the job summary how check went: what the change touched,
// which migrations were replayed up, down and up, and the time of each
// phase.
func checkRun(server string, c *common, ms []migrations.Migration, changes *history.Changes, fullFrom int, rep *replay.Result, t *timings) *report.Run {
	run := lintRun("check", c, ms, changes)
	run.Server, run.Stopped = server, rep.Stopped
	// The replay ended at the migration after the last one it completed,
	// which failed, unless it completed them all.
	reached := rep.Replayed
	if reached < len(ms) {
		reached++
	}
	for i := fullFrom; i < reached; i++ {
		run.Replayed = append(run.Replayed, ms[i].ID)
	}
	run.Timings = []report.Timing{
		{Phase: "server start", Took: report.Duration(t.server)},
		{Phase: "lint", Took: report.Duration(t.lint)},
		{Phase: "replay and trace", Took: report.Duration(t.replay)},
		{Phase: "schema comparison", Took: report.Duration(t.compare)},
	}
	if t.models > 0 {
		run.Timings = append(run.Timings, report.Timing{Phase: "models", Took: report.Duration(t.models)})
	}
	return run
}

func round(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// reportStatements gives the reports the trace of the statements of the
// changed migrations (all of them without --changed-since).
func reportStatements(sts []trace.StatementTrace, changes *history.Changes) []report.Statement {
	var out []report.Statement
	for _, st := range sts {
		if changes != nil && !changes.InScope(finding.Finding{Phase: finding.Trace, Location: finding.Location{File: st.File}}) {
			continue
		}
		rs := report.Statement{
			Migration: st.Migration, File: st.File, Line: st.Line, Statement: st.Statement,
			Locks: []report.Lock{}, Rewrites: st.Rewrites, LockTimeout: st.LockTimeout,
			HeldMS: float64(st.Held.Microseconds()) / 1000, LocksObserved: st.LocksObserved,
		}
		for _, l := range st.Locks {
			rs.Locks = append(rs.Locks, report.Lock{Relation: l.Relation, Mode: l.Mode, Blocks: l.Blocks})
		}
		out = append(out, rs)
	}
	return out
}
