package checks

import "github.com/schemagate/schemagate/internal/finding"

// AddCheckValidated is not written yet.
var AddCheckValidated = &Rule{
	ID:       "add-check-validated",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO add-check-validated", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
