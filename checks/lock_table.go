package checks

import "github.com/schemagate/schemagate/internal/finding"

// LockTable is not written yet.
var LockTable = &Rule{
	ID:       "lock-table",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO lock-table", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
