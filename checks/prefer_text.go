package checks

import "github.com/schemagate/schemagate/internal/finding"

// PreferText is not written yet.
var PreferText = &Rule{
	ID:       "prefer-text",
	Severity: finding.Notice,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO prefer-text", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
