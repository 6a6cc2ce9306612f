package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/schemagate/schemagate/checks"
)

func runRules(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return &usageError{"rules takes no arguments"}
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tPHASE\tSUMMARY")
	for _, r := range checks.All {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Phase, r.Doc.Title)
	}
	return tw.Flush()
}

func runExplain(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return &usageError{"explain takes one rule id, e.g. schemagate explain drop-column"}
	}
	r := checks.Lookup(args[0])
	if r == nil {
		ids := make([]string, len(checks.All))
		for i, r := range checks.All {
			ids[i] = r.ID
		}
		msg := fmt.Sprintf("unknown rule %q", args[0])
		if s := closest(args[0], ids); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return fmt.Errorf("%s (`schemagate rules` lists them all)", msg)
	}
	fmt.Fprint(stdout, checks.Explain(r))
	return nil
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}
