package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/schemagate/schemagate/internal/finding"
)

// jsonVersion is the "version" of the JSON report; it changes only when a
// change to the schema would break a reader.
const jsonVersion = 1

// jsonReport is the JSON report of the contract. finding.Finding's own tags
// give the field names and leave out the fields that do not apply.
type jsonReport struct {
	Version    int               `json:"version"`
	Migrations []Migration       `json:"migrations"`
	Findings   []finding.Finding `json:"findings"`
	Summary    finding.Counts    `json:"summary"`
	// Statements is an addition to the contract: the live trace of check.
	Statements []Statement `json:"statements,omitempty"`
	// Run is an addition too: how the findings were made.
	Run *Run `json:"run,omitempty"`
	// Notes are an addition too: objects named otherwise in the models.
	Notes []Note `json:"notes,omitempty"`
}

// writeJSON writes the report as the contract's JSON, indented by two spaces
// and ending in a newline.
func writeJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		Version:    jsonVersion,
		Migrations: r.Migrations,
		Findings:   r.Findings,
		Summary:    finding.Count(r.Findings),
		Statements: r.Statements,
		Run:        r.Run,
		Notes:      r.Notes,
	}
	// Readers should see [], never null.
	if out.Migrations == nil {
		out.Migrations = []Migration{}
	}
	if out.Findings == nil {
		out.Findings = []finding.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// SQL is full of < > and &; keep it readable.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}
