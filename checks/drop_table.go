package checks

import "github.com/schemagate/schemagate/internal/finding"

// DropTable is not written yet.
var DropTable = &Rule{
	ID:       "drop-table",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO drop-table", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
