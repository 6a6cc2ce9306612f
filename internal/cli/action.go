package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
)

// actionFlags maps the Action's inputs to the flags of lint and check: each
// input is the long flag name without "--".
var actionFlags = []string{
	"migration-format", "config", "fail-on", "pg-version", "changed-since",
	// check only:
	"db", "image", "models-sql", "models-cmd", "models-sqlalchemy", "statement-timeout",
}

var checkOnly = map[string]bool{
	"db": true, "image": true, "models-sql": true, "models-cmd": true, "models-sqlalchemy": true, "statement-timeout": true,
}

// input reads an Action input as the runner sets it: INPUT_ and the name in
// upper case, hyphens kept.
func input(name string) string {
	return strings.TrimSpace(os.Getenv("INPUT_" + strings.ToUpper(name)))
}

// runAction is the Docker image's entry point: it turns the Action's inputs
// into a lint or check command line and runs it.
func runAction(ctx context.Context, stdout, stderr io.Writer) (int, error) {
	command := input("command")
	if command == "" {
		command = "check"
	}
	if command != "check" && command != "lint" {
		return ExitFailure, fmt.Errorf("input command: %q is neither check nor lint", command)
	}
	args := []string{command, "--output", "github"}
	for _, name := range actionFlags {
		v := input(name)
		if v == "" || (command == "lint" && checkOnly[name]) {
			continue
		}
		if name == "migration-format" && v == "auto" {
			continue
		}
		args = append(args, "--"+name, v)
	}
	if dir := input("migrations"); dir != "" {
		args = append(args, dir)
	}
	fmt.Fprintf(stderr, "schemagate %s\n", strings.Join(args, " "))
	if command == "lint" {
		return runLint(ctx, args[1:], stdout, stderr)
	}
	return runCheck(ctx, args[1:], stdout, stderr)
}
