// Package report writes the findings of a run in the formats of the
// contract: text for people, json for programs, sarif for code scanning and
// github for workflow annotations.
package report

import (
	"fmt"
	"io"

	"github.com/schemagate/schemagate/internal/finding"
)

// Migration is a migration as the JSON report lists it.
type Migration struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Up   string `json:"up,omitempty"`
	Down string `json:"down,omitempty"`
}

// Rule is what the reports say about a rule (SARIF rule metadata).
type Rule struct {
	ID       string
	Severity finding.Severity
	Phase    finding.Phase
	Title    string
	Text     string
	Help     string
}

// Report is everything a run found.
type Report struct {
	// Tool and ToolVersion name schemagate in SARIF.
	Tool, ToolVersion string
	Migrations        []Migration
	// Findings, sorted, after suppressions and config severities.
	Findings []finding.Finding
	// Rules lists every rule, for SARIF.
	Rules []Rule
}

// Options adjust how a report is written.
type Options struct {
	// Color turns on ANSI colours in the text report.
	Color bool
	// Root is the directory that paths in GitHub annotations and SARIF are
	// made relative to (the repository root); empty leaves them as they are.
	Root string
	// AnnotationLimit is how many GitHub annotations of each level (error,
	// warning, notice) the github report writes; GitHub shows no more per
	// step. Zero means DefaultAnnotationLimit; negative means no limit.
	AnnotationLimit int
}

// DefaultAnnotationLimit is GitHub's limit of annotations of one level per
// step.
const DefaultAnnotationLimit = 10

// Formats lists the values of --output.
var Formats = []string{"text", "json", "github", "sarif"}

// Write writes r to w in the named format.
func Write(w io.Writer, format string, r *Report, opts Options) error {
	switch format {
	case "text":
		return writeText(w, r, opts)
	case "json":
		return writeJSON(w, r)
	case "sarif":
		return writeSARIF(w, r, opts)
	case "github":
		return writeGitHub(w, r, opts)
	}
	return fmt.Errorf("unknown output format %q (want text, json, github or sarif)", format)
}
