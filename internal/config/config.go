// Package config reads .schemagate.yaml, the project's settings: where the
// migrations are, their format, the PostgreSQL version, and which rules are
// off or at another severity.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/schemagate/schemagate/internal/finding"
)

// FileName is the config file looked for upward from the current directory.
const FileName = ".schemagate.yaml"

// Config is the content of a config file. Flags override it.
type Config struct {
	// Path is the file it was read from; empty when there is none.
	Path string `yaml:"-"`
	// Migrations is the migrations directory, relative to the config file.
	Migrations string `yaml:"migrations"`
	// Format is the --migration-format.
	Format string `yaml:"migration-format"`
	// PGVersion is the --pg-version.
	PGVersion int `yaml:"pg-version"`
	// FailOn is the --fail-on level.
	FailOn string `yaml:"fail-on"`
	// Rules maps a rule id to "off" or a severity.
	Rules map[string]finding.Severity `yaml:"-"`
	// Models configures the comparison with the models.
	Models Models `yaml:"-"`
}

// Models configures the comparison of the migrated schema with the models.
type Models struct {
	// Ignore are patterns (globs) of objects the comparison leaves out,
	// besides the migration tools' own tables: "audit_log" (a table, in
	// any schema), "app.legacy_*", "users.internal_note" (a column, an
	// index or a constraint of a table), "reporting.*" (a whole schema).
	Ignore []string `yaml:"ignore"`
}

// file is the YAML shape; rules are read as nodes so that an unknown rule
// or severity is reported at its line.
type file struct {
	Migrations string    `yaml:"migrations"`
	Format     string    `yaml:"migration-format"`
	PGVersion  int       `yaml:"pg-version"`
	FailOn     string    `yaml:"fail-on"`
	Rules      yaml.Node `yaml:"rules"`
	Models     Models    `yaml:"models"`
}

// Find looks for FileName in dir and its parents; it returns "" when there
// is none.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, FileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("look for %s: %w", FileName, err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Load reads the config file at path. knownRule says whether a rule id
// exists, so that a misspelt id is an error rather than silently ignored.
func Load(path string, knownRule func(string) bool) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %v (the keys are migrations, migration-format, pg-version, fail-on, rules and models)", path, err)
	}
	c := &Config{Path: path, Format: f.Format, PGVersion: f.PGVersion, FailOn: f.FailOn, Rules: map[string]finding.Severity{}, Models: f.Models}
	for _, p := range c.Models.Ignore {
		if _, err := filepath.Match(p, ""); err != nil {
			return nil, fmt.Errorf("%s: models.ignore: bad pattern %q: %v", path, p, err)
		}
	}
	if f.Migrations != "" {
		c.Migrations = f.Migrations
		if !filepath.IsAbs(c.Migrations) {
			c.Migrations = filepath.Join(filepath.Dir(path), c.Migrations)
		}
	}
	if f.Rules.Kind != 0 {
		if f.Rules.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s:%d: rules must map rule ids to off, notice, warning or error", path, f.Rules.Line)
		}
		for i := 0; i+1 < len(f.Rules.Content); i += 2 {
			k, v := f.Rules.Content[i], f.Rules.Content[i+1]
			if !knownRule(k.Value) {
				return nil, fmt.Errorf("%s:%d: unknown rule %q; `schemagate rules` lists them", path, k.Line, k.Value)
			}
			value := v.Value
			if v.Tag == "!!bool" && (value == "false" || value == "off") {
				value = "off" // YAML 1.1 reads a bare off as false
			}
			sev, err := finding.ParseSeverity(value)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: rule %s: %v", path, v.Line, k.Value, err)
			}
			c.Rules[k.Value] = sev
		}
	}
	return c, nil
}

// Apply drops the findings of rules turned off and sets the severities the
// config asks for.
func (c *Config) Apply(fs []finding.Finding) []finding.Finding {
	if c == nil || len(c.Rules) == 0 {
		return fs
	}
	out := fs[:0:0]
	for _, f := range fs {
		if sev, ok := c.Rules[f.Rule]; ok {
			if sev == finding.Off {
				continue
			}
			f.Severity = sev
		}
		out = append(out, f)
	}
	return out
}

// RuleIDs lists the rules the config mentions, sorted.
func (c *Config) RuleIDs() []string {
	var ids []string
	for id := range c.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
