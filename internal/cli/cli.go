// Package cli is schemagate's command line: it parses flags and wires the
// pipeline together — discover, parse, lint, (replay and trace, compare with
// models,) report.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Exit statuses of the contract.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitFailure  = 2
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=v1.2.3".
var Version = ""

const usage = `schemagate keeps PostgreSQL migrations safe.

Usage:
  schemagate lint [flags] [PATH...]   lint migration directories or files
  schemagate check [flags] [DIR]      lint, then replay against a throwaway PostgreSQL
  schemagate rules                    list every rule
  schemagate explain RULE             why a rule exists and what to do instead
  schemagate version                  print the version

Run "schemagate lint --help" for the flags.
`

// usageError is a mistake in the command line: exit 2 with the usage hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// Run runs schemagate with args (without the program name) and returns the
// exit status. Tests call it in process.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitFailure
	}
	var err error
	code := ExitOK
	switch cmd, rest := args[0], args[1:]; cmd {
	case "lint":
		code, err = runLint(ctx, rest, stdout, stderr)
	case "check":
		code, err = runCheck(ctx, rest, stdout, stderr)
	case "action":
		code, err = runAction(ctx, stdout, stderr)
	case "rules":
		err = runRules(rest, stdout)
	case "explain":
		err = runExplain(rest, stdout)
	case "version", "--version":
		fmt.Fprintf(stdout, "schemagate %s\n%s\n", version(), sqlparse.ParserVersion())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = &usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
	if err != nil && ctx.Err() != nil {
		// Ctrl-C or the CI runner's SIGTERM: the deferred clean-ups have run.
		fmt.Fprintln(stderr, "schemagate: interrupted; everything this run created has been removed")
		return ExitFailure
	}
	if err != nil {
		fmt.Fprintf(stderr, "schemagate: %v\n", err)
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprint(stderr, "\n"+usage)
		}
		return ExitFailure
	}
	return code
}

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// isTerminal reports whether w is a terminal that wants colours.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return terminal(f.Fd())
}

// closest suggests the candidate nearest to s, for "did you mean".
func closest(s string, candidates []string) string {
	best, bestD := "", len(s)/2+2
	for _, c := range candidates {
		if d := distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func joinQuoted(xs []string) string { return strings.Join(xs, ", ") }
