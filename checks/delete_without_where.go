package checks

import "github.com/schemagate/schemagate/internal/finding"

// DeleteWithoutWhere is not written yet.
var DeleteWithoutWhere = &Rule{
	ID:       "delete-without-where",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO delete-without-where", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
