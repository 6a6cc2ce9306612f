package checks

import "github.com/schemagate/schemagate/internal/finding"

// Truncate is not written yet.
var Truncate = &Rule{
	ID:       "truncate",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO truncate", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
