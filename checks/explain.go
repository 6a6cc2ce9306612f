package checks

import (
	"fmt"
	"strings"
)

// Explain renders a rule's documentation as `schemagate explain` prints it
// and as docs/rules/<id>.md holds it (Markdown that reads well as text).
func Explain(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", r.ID, r.Doc.Title)
	fmt.Fprintf(&b, "Default severity: %s. Phase: %s.\n\n", r.Severity, r.Phase)
	fmt.Fprintf(&b, "%s\n", strings.TrimSpace(r.Doc.Text))
	if r.Doc.Bad != "" {
		fmt.Fprintf(&b, "\n## Bad\n\n```sql\n%s\n```\n", strings.TrimSpace(r.Doc.Bad))
	}
	if r.Doc.Good != "" {
		fmt.Fprintf(&b, "\n## Safe\n\n```sql\n%s\n```\n", strings.TrimSpace(r.Doc.Good))
	}
	fmt.Fprintf(&b, "\n## What to do\n\n%s\n", r.Doc.Help)
	fmt.Fprintf(&b, "\nSuppress a reviewed case with `-- schemagate:ignore %s <reason>` on or above the statement.\n", r.ID)
	return b.String()
}
