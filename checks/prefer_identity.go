package checks

import "github.com/schemagate/schemagate/internal/finding"

// PreferIdentity is not written yet.
var PreferIdentity = &Rule{
	ID:       "prefer-identity",
	Severity: finding.Notice,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO prefer-identity", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
