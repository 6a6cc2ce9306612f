package checks

import "github.com/schemagate/schemagate/internal/finding"

// UpdateWithoutWhere is not written yet.
var UpdateWithoutWhere = &Rule{
	ID:       "update-without-where",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO update-without-where", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
