// Package finding defines the one result type that every phase of schemagate
// produces: lint, replay, trace, models and history all report Findings, and
// the reports never need to know which phase made one.
package finding

import (
	"fmt"
	"sort"
)

// Severity orders findings; higher is worse.
type Severity int

// Severities, from least to most severe. Off disables a rule in the config.
const (
	Off Severity = iota
	Notice
	Warning
	Error
)

var severityNames = [...]string{Off: "off", Notice: "notice", Warning: "warning", Error: "error"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("Severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads "error", "warning", "notice" or "off".
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if n == s {
			return Severity(i), nil
		}
	}
	return Off, fmt.Errorf("unknown severity %q (want error, warning, notice or off)", s)
}

// MarshalText writes the severity as its name, as the JSON report wants.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name, so that a JSON report can be read
// back.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Phase names the part of the pipeline that produced a finding.
type Phase string

// The phases of the contract.
const (
	Lint    Phase = "lint"
	Replay  Phase = "replay"
	Trace   Phase = "trace"
	Models  Phase = "models"
	History Phase = "history"
)

// Direction says whether a finding belongs to the up or the down script.
type Direction string

// Directions.
const (
	Up   Direction = "up"
	Down Direction = "down"
)

// Location is a place in a file; lines and columns count from 1. Column is
// counted in characters, as editors and GitHub count it.
type Location struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	EndLine int    `json:"end_line,omitempty"`
}

func (l Location) String() string {
	switch {
	case l.File == "":
		return ""
	case l.Line == 0:
		return l.File
	case l.Column == 0:
		return fmt.Sprintf("%s:%d", l.File, l.Line)
	}
	return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
}

// Finding is one problem found in one migration.
type Finding struct {
	Rule      string    `json:"rule"`
	Severity  Severity  `json:"severity"`
	Phase     Phase     `json:"phase"`
	Migration string    `json:"migration,omitempty"`
	Direction Direction `json:"direction,omitempty"`
	Location
	Message string `json:"message"`
	Help    string `json:"help,omitempty"`
	// Excerpt is the source line the finding points at, for the text report.
	Excerpt string `json:"-"`
}

// Counts tallies findings by severity.
type Counts struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Notices  int `json:"notices"`
}

// Count tallies fs.
func Count(fs []Finding) Counts {
	var c Counts
	for _, f := range fs {
		switch f.Severity {
		case Error:
			c.Errors++
		case Warning:
			c.Warnings++
		case Notice:
			c.Notices++
		}
	}
	return c
}

// Sort orders findings by file, line, column and rule, so that reports are
// stable whatever order the phases ran in.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule < b.Rule
	})
}
