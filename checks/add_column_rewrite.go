package checks

import "github.com/schemagate/schemagate/internal/finding"

// AddColumnRewrite is not written yet.
var AddColumnRewrite = &Rule{
	ID:       "add-column-rewrite",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO add-column-rewrite", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
