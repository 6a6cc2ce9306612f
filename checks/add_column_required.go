package checks

import "github.com/schemagate/schemagate/internal/finding"

// AddColumnRequired is not written yet.
var AddColumnRequired = &Rule{
	ID:       "add-column-required",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO add-column-required", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
