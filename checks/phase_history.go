package checks

import "github.com/schemagate/schemagate/internal/finding"

// MultipleHeads is reported by the history phase.
var MultipleHeads = &Rule{
	ID:       "multiple-heads",
	Severity: finding.Error,
	Phase:    finding.History,
	Doc:      Doc{Title: "TODO multiple-heads", Text: "TODO", Help: "TODO"},
}

// DuplicateVersion is reported by the history phase.
var DuplicateVersion = &Rule{
	ID:       "duplicate-version",
	Severity: finding.Error,
	Phase:    finding.History,
	Doc:      Doc{Title: "TODO duplicate-version", Text: "TODO", Help: "TODO"},
}

// MigrationModified is reported by the history phase.
var MigrationModified = &Rule{
	ID:       "migration-modified",
	Severity: finding.Error,
	Phase:    finding.History,
	Doc:      Doc{Title: "TODO migration-modified", Text: "TODO", Help: "TODO"},
}

// OutOfOrder is reported by the history phase.
var OutOfOrder = &Rule{
	ID:       "out-of-order",
	Severity: finding.Warning,
	Phase:    finding.History,
	Doc:      Doc{Title: "TODO out-of-order", Text: "TODO", Help: "TODO"},
}
