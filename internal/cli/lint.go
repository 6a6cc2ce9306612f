package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/history"
	"github.com/schemagate/schemagate/internal/lint"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/report"
)

// defaultLintPG is the PostgreSQL version lint assumes without a server.
const defaultLintPG = 16

func runLint(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	var c common
	fs := newFlagSet("lint", "[PATH...]", stderr)
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return ExitOK, nil // the flag set has printed its usage
		}
		return ExitFailure, &usageError{err.Error()}
	}
	if err := c.resolve(defaultLintPG); err != nil {
		return ExitFailure, err
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{c.defaultDir()}
	}

	rep := &report.Report{Tool: "schemagate", ToolVersion: version(), Rules: reportRules(),
		Run: &report.Run{Command: "lint", ChangedSince: c.changedSince, FailOn: c.failOnName()}}
	var all []finding.Finding
	start := time.Now()
	for _, path := range paths {
		ms, fs, changes, err := lintPath(ctx, path, &c)
		if err != nil {
			return ExitFailure, err
		}
		all = append(all, fs...)
		rep.Migrations = append(rep.Migrations, reportMigrations(ms)...)
		rep.Run.Changed = append(rep.Run.Changed, lintRun("lint", &c, ms, changes).Changed...)
	}
	rep.Run.Timings = []report.Timing{{Phase: "lint", Took: report.Duration(time.Since(start))}}
	finding.Sort(all)
	rep.Findings = all
	if err := c.write(rep, stdout); err != nil {
		return ExitFailure, err
	}
	return c.exitCode(all), nil
}

// defaultDir is the migrations directory of the config file, else ".".
// The config names it relative to the config file, which is found by an
// absolute path; it is given back relative to the current directory when
// inside it, so that reports name files as for a directory given on the
// command line.
func (c *common) defaultDir() string {
	if c.cfg == nil || c.cfg.Migrations == "" {
		return "."
	}
	dir := c.cfg.Migrations
	if !filepath.IsAbs(dir) {
		return dir
	}
	wd, err := os.Getwd()
	if err != nil {
		return dir
	}
	rel, err := filepath.Rel(wd, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return dir
	}
	return rel
}

// lintPath runs discovery, parsing and the rules over one directory or
// file, and returns its findings after suppressions and config severities.
func lintPath(ctx context.Context, path string, c *common) ([]migrations.Migration, []finding.Finding, *history.Changes, error) {
	d, err := c.discover(ctx, path)
	if err != nil {
		return nil, nil, nil, err
	}
	ms := d.ms
	res, err := lint.Run(ctx, ms, lint.Options{PGVersion: c.pgVersion})
	if err != nil {
		return nil, nil, nil, err
	}
	fs := append(lint.Discovery(ms, d.loadErr), res.Findings...)
	fs = append(append(fs, d.failures()...), d.partial()...)
	var changes *history.Changes
	if c.changedSince != "" {
		if changes, err = history.Since(ctx, c.changedSince, d.root); err != nil {
			return nil, nil, nil, err
		}
		fs = append(scope(fs, changes), changes.Findings(ms)...)
	}
	fs = res.Suppressions.Filter(fs)
	ms, fs = d.keep(ms, fs)
	return ms, c.cfg.Apply(fs), changes, nil
}

// reportRoot is what the paths of annotations and SARIF are relative to on
// a runner: the repository's root, which is the workspace unless the
// workflow checked the repository out in a folder of it (actions/checkout's
// path); dir is where git looks (the migrations).
func reportRoot(ctx context.Context, workspace, dir string) string {
	if top, err := history.Top(ctx, dir); err == nil && workspace != "" &&
		strings.HasPrefix(top+string(filepath.Separator), workspace+string(filepath.Separator)) {
		return top
	}
	return workspace
}

// write writes the report to --output-file or stdout.
func (c *common) write(rep *report.Report, stdout io.Writer) error {
	w := stdout
	opts := report.Options{Color: c.outputFile == "" && isTerminal(stdout)}
	if ws := os.Getenv("GITHUB_WORKSPACE"); ws != "" {
		opts.Root = reportRoot(context.Background(), ws, c.dir)
	}
	if c.outputFile != "" {
		f, err := os.Create(c.outputFile)
		if err != nil {
			return outputFileError(err)
		}
		defer f.Close()
		w = f
	}
	if err := report.Write(w, c.output, rep, opts); err != nil {
		return fmt.Errorf("write %s report: %w", c.output, err)
	}
	if f, ok := w.(*os.File); ok && f != stdout {
		return f.Close()
	}
	return nil
}

func reportMigrations(ms []migrations.Migration) []report.Migration {
	out := make([]report.Migration, 0, len(ms))
	for _, m := range ms {
		rm := report.Migration{ID: m.ID, Name: m.Name}
		if m.Up != nil {
			rm.Up = m.Up.Path()
		}
		if m.Down != nil {
			rm.Down = m.Down.Path()
		}
		out = append(out, rm)
	}
	return out
}

func reportRules() []report.Rule {
	out := make([]report.Rule, 0, len(checks.All))
	for _, r := range checks.All {
		out = append(out, report.Rule{ID: r.ID, Severity: r.Severity, Phase: r.Phase, Title: r.Doc.Title, Text: r.Doc.Text, Help: r.Doc.Help,
			Examples: r.Doc.Bad != "" && r.Doc.Good != ""})
	}
	return out
}

// failOnName is the --fail-on level in force.
func (c *common) failOnName() string {
	if c.never {
		return "never"
	}
	return c.failSev.String()
}

// lintRun tells the job summary what was checked: the migrations the
// change touched (with --changed-since).
func lintRun(command string, c *common, ms []migrations.Migration, changes *history.Changes) *report.Run {
	run := &report.Run{Command: command, ChangedSince: c.changedSince, FailOn: c.failOnName()}
	for i := range ms {
		if changes != nil && changes.Changed(&ms[i]) {
			run.Changed = append(run.Changed, ms[i].ID)
		}
	}
	return run
}

// scope keeps the findings about what the change touched.
func scope(fs []finding.Finding, changes *history.Changes) []finding.Finding {
	out := fs[:0:0]
	for _, f := range fs {
		if changes.InScope(f) {
			out = append(out, f)
		}
	}
	return out
}

// outputFileError says what to do when --output-file cannot be written.
func outputFileError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("--output-file: %w; create the directory first, or give a path in an existing one", err)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("--output-file: %w; give a path you may write to", err)
	}
	return fmt.Errorf("--output-file: %w", err)
}

// checkOutputDir fails early, before a replay that may take minutes, when
// the report could not be written where --output-file says.
func (c *common) checkOutputDir() error {
	if c.outputFile == "" {
		return nil
	}
	dir := filepath.Dir(c.outputFile)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("--output-file %s: directory %s does not exist; create it first, or give a path in an existing directory", c.outputFile, dir)
	case err != nil:
		return outputFileError(err)
	case !info.IsDir():
		return fmt.Errorf("--output-file %s: %s is not a directory; give a path in an existing directory", c.outputFile, dir)
	}
	return nil
}
