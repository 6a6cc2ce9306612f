package checks

import "github.com/schemagate/schemagate/internal/finding"

// Cluster is not written yet.
var Cluster = &Rule{
	ID:       "cluster",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO cluster", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
