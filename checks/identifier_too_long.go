package checks

import "github.com/schemagate/schemagate/internal/finding"

// IdentifierTooLong is not written yet.
var IdentifierTooLong = &Rule{
	ID:       "identifier-too-long",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO identifier-too-long", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
