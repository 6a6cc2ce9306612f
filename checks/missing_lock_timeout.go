package checks

import "github.com/schemagate/schemagate/internal/finding"

// MissingLockTimeout is not written yet.
var MissingLockTimeout = &Rule{
	ID:       "missing-lock-timeout",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO missing-lock-timeout", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
