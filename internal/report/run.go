package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/schemagate/schemagate/internal/finding"
)

// Run says how the findings were made, for the job summary: what was
// checked, which migrations the change touched, which were replayed up,
// down and up, and how long each phase took. It is an addition to the
// contract's JSON report ("run"), left out when nil.
type Run struct {
	// Command is "lint" or "check".
	Command string `json:"command"`
	// Server describes the throwaway PostgreSQL (check only).
	Server string `json:"server,omitempty"`
	// FailOn is the --fail-on level in force: error, warning, notice or
	// never.
	FailOn string `json:"fail_on,omitempty"`
	// ChangedSince is the --changed-since ref, "" without one.
	ChangedSince string `json:"changed_since,omitempty"`
	// Changed lists the IDs of the migrations the change added or edited
	// (with --changed-since).
	Changed []string `json:"changed,omitempty"`
	// Replayed lists the IDs of the migrations the replay ran up, down and
	// up (check only); the ones before them were applied in a fast pass.
	Replayed []string `json:"replayed,omitempty"`
	// Stopped says why the replay ended early, "" when it did not.
	Stopped string `json:"stopped,omitempty"`
	// Timings are the phases in the order they ran. The comparison with
	// the models is the phase named "models": the summary says the
	// models were not compared when there is none.
	Timings []Timing `json:"timings,omitempty"`
}

// Timing is how long one phase took.
type Timing struct {
	Phase string   `json:"phase"`
	Took  Duration `json:"took"`
}

// Duration is a time.Duration written as Go writes it ("1.25s"), so that
// people can read it in the JSON report.
type Duration time.Duration

// MarshalText writes d as "1.25s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads what MarshalText wrote.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// ReadJSON reads a JSON report that Write wrote (the GitHub Action renders
// its annotations, summary and SARIF from the report of the run). Rules
// are not in the JSON report and are left nil.
func ReadJSON(r io.Reader) (*Report, error) {
	var in jsonReport
	dec := json.NewDecoder(r)
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("read json report: %w", err)
	}
	if in.Version != jsonVersion {
		return nil, fmt.Errorf("read json report: version %d, want %d", in.Version, jsonVersion)
	}
	return &Report{Migrations: in.Migrations, Findings: in.Findings, Statements: in.Statements, Run: in.Run, Notes: in.Notes}, nil
}

// Counts tallies the report's findings.
func (r *Report) Counts() finding.Counts { return finding.Count(r.Findings) }
