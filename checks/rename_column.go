package checks

import "github.com/schemagate/schemagate/internal/finding"

// RenameColumn is not written yet.
var RenameColumn = &Rule{
	ID:       "rename-column",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO rename-column", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
