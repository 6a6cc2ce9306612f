package checks_test

import (
	"testing"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/checks/checktest"
	"github.com/schemagate/schemagate/internal/finding"
)

func TestValidate(t *testing.T) {
	if err := checks.Validate(checks.All); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(checks.All); i++ {
		if checks.All[i-1].ID >= checks.All[i].ID {
			t.Errorf("All is not sorted by id at %s", checks.All[i].ID)
		}
	}
}

// TestDocExamples runs every lint rule's Bad example, which must trigger
// the rule, and its Good example, which must not.
func TestDocExamples(t *testing.T) {
	for _, r := range checks.All {
		if r.Phase != finding.Lint {
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			if r.Doc.Bad == "" || r.Doc.Good == "" {
				t.Fatal("Doc needs a Bad and a Good example")
			}
			bad, err := checktest.Lint("bad.sql", r.Doc.Bad, r)
			if err != nil {
				t.Fatal(err)
			}
			if len(bad) == 0 {
				t.Errorf("Bad example does not trigger the rule:\n%s", r.Doc.Bad)
			}
			good, err := checktest.Lint("good.sql", r.Doc.Good, r)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range good {
				t.Errorf("Good example triggers the rule at line %d: %s", f.Line, f.Message)
			}
		})
	}
}
