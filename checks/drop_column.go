package checks

import "github.com/schemagate/schemagate/internal/finding"

// DropColumn is not written yet.
var DropColumn = &Rule{
	ID:       "drop-column",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO drop-column", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
