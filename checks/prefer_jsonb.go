package checks

import "github.com/schemagate/schemagate/internal/finding"

// PreferJsonb is not written yet.
var PreferJsonb = &Rule{
	ID:       "prefer-jsonb",
	Severity: finding.Notice,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO prefer-jsonb", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
