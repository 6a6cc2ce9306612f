// Package checks holds schemagate's rules: one file per rule, named after its
// id, each a *Rule value with its documentation beside its code. All lists
// them. Rules of the lint phase have a Run function that inspects parsed
// statements; rules of the other phases (replay, trace, models, history) are
// listed here for their documentation and are reported by those phases.
package checks

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/schemagate/schemagate/internal/finding"
)

// Rule is one check. A Rule value never changes after initialisation.
type Rule struct {
	// ID is stable kebab-case; never rename one.
	ID       string
	Severity finding.Severity
	Phase    finding.Phase
	Doc      Doc
	// Run reports the rule's findings for one script through Pass.Report.
	// It returns an error only when the rule could not run. Nil for rules
	// that another phase reports.
	Run func(*Pass) error
}

// Doc explains a rule. `schemagate explain`, the README table and the SARIF
// rule metadata are generated from it.
type Doc struct {
	// Title is one line of at most 60 characters, with no period.
	Title string
	// Text says why the rule exists: the lock taken or the data lost, the
	// versions affected, when the pattern is safe, and how to suppress it.
	Text string
	// Bad and Good are complete migrations: Bad triggers the rule and Good,
	// the safe alternative, does not. Empty for rules of non-lint phases.
	Bad, Good string
	// Help is the safe alternative in one line; findings carry it.
	Help string
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Validate checks the shape of a rule list: unique well-formed ids, a title,
// and a Run function for every lint rule.
func Validate(rules []*Rule) error {
	seen := map[string]bool{}
	for _, r := range rules {
		switch {
		case !idPattern.MatchString(r.ID):
			return fmt.Errorf("rule %q: id is not kebab-case", r.ID)
		case seen[r.ID]:
			return fmt.Errorf("rule %q: duplicate id", r.ID)
		case r.Doc.Title == "" || len(r.Doc.Title) > 60:
			return fmt.Errorf("rule %q: title must be 1 to 60 characters", r.ID)
		case r.Doc.Text == "" || r.Doc.Help == "":
			return fmt.Errorf("rule %q: doc needs Text and Help", r.ID)
		case r.Severity == finding.Off:
			return fmt.Errorf("rule %q: no default severity", r.ID)
		case r.Phase == finding.Lint && r.Run == nil:
			return fmt.Errorf("rule %q: lint rule without Run", r.ID)
		case r.Phase != finding.Lint && r.Run != nil:
			return fmt.Errorf("rule %q: only lint rules run on statements", r.ID)
		}
		seen[r.ID] = true
	}
	return nil
}

// Lookup finds a rule by id in All.
func Lookup(id string) *Rule {
	for _, r := range All {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// LintRules returns the rules of All that run on statements.
func LintRules() []*Rule {
	var out []*Rule
	for _, r := range All {
		if r.Run != nil {
			out = append(out, r)
		}
	}
	return out
}

func sortRules(rs []*Rule) []*Rule {
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	return rs
}
