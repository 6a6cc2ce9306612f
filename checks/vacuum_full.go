package checks

import "github.com/schemagate/schemagate/internal/finding"

// VacuumFull is not written yet.
var VacuumFull = &Rule{
	ID:       "vacuum-full",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO vacuum-full", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
