package checks

import "github.com/schemagate/schemagate/internal/finding"

// DropDatabase is not written yet.
var DropDatabase = &Rule{
	ID:       "drop-database",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO drop-database", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
