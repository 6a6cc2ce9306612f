package checks

import "github.com/schemagate/schemagate/internal/finding"

// PreferBigint is not written yet.
var PreferBigint = &Rule{
	ID:       "prefer-bigint",
	Severity: finding.Notice,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO prefer-bigint", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
