package checks

import "github.com/schemagate/schemagate/internal/finding"

// ModelsDrift is reported by the models phase.
var ModelsDrift = &Rule{
	ID:       "models-drift",
	Severity: finding.Error,
	Phase:    finding.Models,
	Doc:      Doc{Title: "TODO models-drift", Text: "TODO", Help: "TODO"},
}
