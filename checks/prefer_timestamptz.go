package checks

import "github.com/schemagate/schemagate/internal/finding"

// PreferTimestamptz is not written yet.
var PreferTimestamptz = &Rule{
	ID:       "prefer-timestamptz",
	Severity: finding.Notice,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO prefer-timestamptz", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
