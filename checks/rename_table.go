package checks

import "github.com/schemagate/schemagate/internal/finding"

// RenameTable is not written yet.
var RenameTable = &Rule{
	ID:       "rename-table",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO rename-table", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
