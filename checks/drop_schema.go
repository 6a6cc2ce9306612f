package checks

import "github.com/schemagate/schemagate/internal/finding"

// DropSchema is not written yet.
var DropSchema = &Rule{
	ID:       "drop-schema",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO drop-schema", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
