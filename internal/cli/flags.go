package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/config"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/report"
)

// common holds the flags shared by lint and check, after the config file
// has filled in what the flags left unset.
type common struct {
	format       string
	output       string
	outputFile   string
	failOn       string
	configPath   string
	pgVersion    int
	changedSince string
	python       string

	cfg     *config.Config
	failSev finding.Severity
	never   bool
	// dir is the migrations' path, once discovered.
	dir string
}

func (c *common) register(fs *pflag.FlagSet) {
	fs.StringVar(&c.format, "migration-format", "", "auto, "+strings.Join(migrations.FormatNames(), ", ")+" (default auto)")
	fs.StringVar(&c.output, "output", "", "text, json, github or sarif (default github when GITHUB_ACTIONS=true, else text)")
	fs.StringVar(&c.outputFile, "output-file", "", "write the report to this file instead of standard output")
	fs.StringVar(&c.failOn, "fail-on", "", "exit 1 on findings at or above: error, warning, notice or never (default error)")
	fs.StringVar(&c.configPath, "config", "", "config file (default "+config.FileName+" found upward from the current directory)")
	fs.IntVar(&c.pgVersion, "pg-version", 0, "PostgreSQL major version the rules assume")
	fs.StringVar(&c.changedSince, "changed-since", "", "report only findings in migrations added or changed since this git ref")
	fs.StringVar(&c.python, "python", "", "Python 3 interpreter for Alembic and SQLAlchemy (default: the first python3 that imports them)")
}

func newFlagSet(name, args string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: schemagate %s [flags] %s\n\nFlags:\n%s", name, args, fs.FlagUsages())
	}
	return fs
}

// resolve reads the config file and settles every shared setting: flags
// win over the config, which wins over the defaults.
func (c *common) resolve(defaultPG int) error {
	path := c.configPath
	if path == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		if path, err = config.Find(wd); err != nil {
			return err
		}
	}
	c.cfg = &config.Config{}
	if path != "" {
		cfg, err := config.Load(path, func(id string) bool { return checks.Lookup(id) != nil })
		if err != nil && c.configPath != "" && errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("--config: %w; give the path of an existing config file, or leave --config out to use the %s found upward from the current directory", err, config.FileName)
		}
		if err != nil {
			return err
		}
		c.cfg = cfg
	}
	// A bad value is the flag's, else the config's: say which, and show
	// the usage only for a flag.
	bad := func(fromConfig bool, flag, key, msg string) error {
		if fromConfig {
			return fmt.Errorf("%s: %s%s", path, key, msg)
		}
		return &usageError{flag + msg}
	}
	formatFromConfig := c.format == "" && c.cfg.Format != ""
	if c.format == "" {
		c.format = c.cfg.Format
	}
	if c.format == "" {
		c.format = "auto"
	}
	if c.format != "auto" {
		if _, err := migrations.Lookup(c.format); err != nil {
			return bad(formatFromConfig, "--migration-format", "migration-format", ": "+err.Error())
		}
	}
	pgFromConfig := c.pgVersion == 0 && c.cfg.PGVersion != 0
	if c.pgVersion == 0 {
		c.pgVersion = c.cfg.PGVersion
	}
	if c.pgVersion == 0 {
		c.pgVersion = defaultPG
	}
	if c.pgVersion < 9 || c.pgVersion > 99 {
		return bad(pgFromConfig, "--pg-version", "pg-version", fmt.Sprintf(" %d: give a PostgreSQL major version such as 16", c.pgVersion))
	}
	if c.output == "" {
		c.output = "text"
		if os.Getenv("GITHUB_ACTIONS") == "true" {
			c.output = "github"
		}
	}
	if !contains(report.Formats, c.output) {
		return &usageError{fmt.Sprintf("--output %q: want text, json, github or sarif", c.output)}
	}
	if err := c.checkOutputDir(); err != nil {
		return err
	}
	failFromConfig := c.failOn == "" && c.cfg.FailOn != ""
	if c.failOn == "" {
		c.failOn = c.cfg.FailOn
	}
	switch c.failOn {
	case "", "error":
		c.failSev = finding.Error
	case "never":
		c.never = true
	default:
		sev, err := finding.ParseSeverity(c.failOn)
		if err != nil || sev == finding.Off {
			return bad(failFromConfig, "--fail-on", "fail-on", fmt.Sprintf(" %q: want error, warning, notice or never", c.failOn))
		}
		c.failSev = sev
	}
	return nil
}

// exitCode applies --fail-on.
func (c *common) exitCode(fs []finding.Finding) int {
	if c.never {
		return ExitOK
	}
	for _, f := range fs {
		if f.Severity >= c.failSev {
			return ExitFindings
		}
	}
	return ExitOK
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
