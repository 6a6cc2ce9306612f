package checks

import "github.com/schemagate/schemagate/internal/finding"

// AddForeignKeyValidated is not written yet.
var AddForeignKeyValidated = &Rule{
	ID:       "add-foreign-key-validated",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO add-foreign-key-validated", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
