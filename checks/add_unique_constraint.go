package checks

import "github.com/schemagate/schemagate/internal/finding"

// AddUniqueConstraint is not written yet.
var AddUniqueConstraint = &Rule{
	ID:       "add-unique-constraint",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO add-unique-constraint", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
