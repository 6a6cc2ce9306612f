package checks

import "github.com/schemagate/schemagate/internal/finding"

// TableRewrite is reported by the trace phase.
var TableRewrite = &Rule{
	ID:       "table-rewrite",
	Severity: finding.Error,
	Phase:    finding.Trace,
	Doc:      Doc{Title: "TODO table-rewrite", Text: "TODO", Help: "TODO"},
}

// BlockingLock is reported by the trace phase.
var BlockingLock = &Rule{
	ID:       "blocking-lock",
	Severity: finding.Warning,
	Phase:    finding.Trace,
	Doc:      Doc{Title: "TODO blocking-lock", Text: "TODO", Help: "TODO"},
}
