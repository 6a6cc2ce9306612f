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
	// Examples: `schemagate explain` shows a bad and a safe example.
	Examples bool
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
	// Statements are what the live server showed of each statement of the
	// fully replayed migrations (check only).
	Statements []Statement
	// Run says how the findings were made; nil leaves it out.
	Run *Run
	// Notes are what is worth knowing but is no finding (check only).
	Notes []Note
}

// Note is an object that the migrations and the models define alike under
// names of their own (a name PostgreSQL generated, a naming convention's):
// not drift, so not a finding, but a difference in names that later
// migrations written against the models would trip over. An addition to
// the contract's JSON report ("notes").
type Note struct {
	// Phase is the phase that found it: "models".
	Phase finding.Phase `json:"phase"`
	// Kind is the object's kind in the user's terms ("foreign key",
	// "index"), Table the table it is on.
	Kind  string `json:"kind"`
	Table string `json:"table,omitempty"`
	// Migrations and Models are the object's name on each side.
	Migrations string `json:"migrations"`
	Models     string `json:"models"`
	// Message says it in a sentence.
	Message string `json:"message"`
}

// Statement is the trace of one statement: the locks it took on relations
// that existed before its migration, and what it rewrote.
type Statement struct {
	Migration   string   `json:"migration"`
	File        string   `json:"file"`
	Line        int      `json:"line"`
	Statement   string   `json:"statement"`
	Locks       []Lock   `json:"locks"`
	Rewrites    []string `json:"rewrites,omitempty"`
	LockTimeout string   `json:"lock_timeout"`
	// HeldMS is how long the locks were held in the replay, from the
	// statement to the end of its transaction.
	HeldMS float64 `json:"held_ms"`
	// LocksObserved is false for statements that ran outside a
	// transaction (CONCURRENTLY): their locks could not be read.
	LocksObserved bool `json:"locks_observed"`
}

// Lock is one lock a statement took.
type Lock struct {
	Relation string `json:"relation"`
	Mode     string `json:"mode"`
	// Blocks says what the mode blocks: "reads and writes", "writes", or
	// "" for modes that block neither.
	Blocks string `json:"blocks,omitempty"`
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
	// InDiff says whether a line is one the pull request added or changed
	// (line 0: the file as a whole); the github report annotates those
	// first. Nil treats every line alike.
	InDiff func(file string, line int) bool
	// SummaryURL is where the github report's cut-off notice points: the
	// run's page, which shows the job summary.
	SummaryURL string
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
