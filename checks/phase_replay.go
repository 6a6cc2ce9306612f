package checks

import "github.com/schemagate/schemagate/internal/finding"

// UpFails is reported by the replay phase.
var UpFails = &Rule{
	ID:       "up-fails",
	Severity: finding.Error,
	Phase:    finding.Replay,
	Doc:      Doc{Title: "TODO up-fails", Text: "TODO", Help: "TODO"},
}

// DownFails is reported by the replay phase.
var DownFails = &Rule{
	ID:       "down-fails",
	Severity: finding.Error,
	Phase:    finding.Replay,
	Doc:      Doc{Title: "TODO down-fails", Text: "TODO", Help: "TODO"},
}

// DownMissing is reported by the replay phase.
var DownMissing = &Rule{
	ID:       "down-missing",
	Severity: finding.Warning,
	Phase:    finding.Replay,
	Doc:      Doc{Title: "TODO down-missing", Text: "TODO", Help: "TODO"},
}

// DownNotReverting is reported by the replay phase.
var DownNotReverting = &Rule{
	ID:       "down-not-reverting",
	Severity: finding.Error,
	Phase:    finding.Replay,
	Doc:      Doc{Title: "TODO down-not-reverting", Text: "TODO", Help: "TODO"},
}

// ReapplyFails is reported by the replay phase.
var ReapplyFails = &Rule{
	ID:       "reapply-fails",
	Severity: finding.Error,
	Phase:    finding.Replay,
	Doc:      Doc{Title: "TODO reapply-fails", Text: "TODO", Help: "TODO"},
}

// StatementTimeout is reported by the replay phase.
var StatementTimeout = &Rule{
	ID:       "statement-timeout",
	Severity: finding.Error,
	Phase:    finding.Replay,
	Doc:      Doc{Title: "TODO statement-timeout", Text: "TODO", Help: "TODO"},
}
