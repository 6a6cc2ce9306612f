package checks

import (
	"fmt"

	"github.com/schemagate/schemagate/internal/finding"
)

// InvalidSuppression reports ignore comments that name no known rule: they
// would silently ignore nothing.
var InvalidSuppression = &Rule{
	ID:       "invalid-suppression",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Ignore comment names no known rule",
		Text: `A "-- schemagate:ignore" or "-- schemagate:ignore-file" comment must name the rules
it ignores, separated by commas, with the reason after a space. A misspelt rule id
ignores nothing, so the finding it meant to silence still fails the build, or, worse,
the comment gives a reader the false idea that a risk was reviewed.`,
		Bad:  "-- schemagate:ignore drop-colum the column is unused since v2\nALTER TABLE users DROP COLUMN legacy;",
		Good: "-- schemagate:ignore drop-column the column is unused since v2\nALTER TABLE users DROP COLUMN legacy;",
		Help: "use a rule id from `schemagate rules`",
	},
	Run: func(p *Pass) error {
		for _, ig := range p.Parsed.Ignores() {
			kind := "ignore"
			if ig.WholeFile {
				kind = "ignore-file"
			}
			if len(ig.Rules) == 0 {
				p.Report(Diagnostic{Pos: ig.Offset,
					Message: fmt.Sprintf("schemagate:%s names no rule, so it ignores nothing", kind),
					Help:    "name the rules: -- schemagate:ignore drop-column <reason>"})
			}
			for _, id := range ig.Rules {
				if !p.KnownRule(id) {
					p.Report(Diagnostic{Pos: ig.Offset,
						Message: fmt.Sprintf("schemagate:%s names %q, which is not a rule", kind, id)})
				}
			}
		}
		return nil
	},
}
