package checks

import "github.com/schemagate/schemagate/internal/finding"

// AddPrimaryKey is not written yet.
var AddPrimaryKey = &Rule{
	ID:       "add-primary-key",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO add-primary-key", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
