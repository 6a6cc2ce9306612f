package checks

import "github.com/schemagate/schemagate/internal/finding"

// SetNotNull is not written yet.
var SetNotNull = &Rule{
	ID:       "set-not-null",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO set-not-null", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
