package checks

import "github.com/schemagate/schemagate/internal/finding"

// BanChar is not written yet.
var BanChar = &Rule{
	ID:       "ban-char",
	Severity: finding.Notice,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO ban-char", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
