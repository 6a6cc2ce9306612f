package checks

import "github.com/schemagate/schemagate/internal/finding"

// ChangeColumnType is not written yet.
var ChangeColumnType = &Rule{
	ID:       "change-column-type",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO change-column-type", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
