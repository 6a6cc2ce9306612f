package checks

import "github.com/schemagate/schemagate/internal/finding"

// LockHeldAcrossStatements is not written yet.
var LockHeldAcrossStatements = &Rule{
	ID:       "lock-held-across-statements",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO lock-held-across-statements", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
