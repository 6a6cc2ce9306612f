package checks

import "github.com/schemagate/schemagate/internal/finding"

// ConcurrentlyInTransaction is not written yet.
var ConcurrentlyInTransaction = &Rule{
	ID:       "concurrently-in-transaction",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO concurrently-in-transaction", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
