// Command schemagate keeps PostgreSQL migrations safe: it lints them, replays
// them against a throwaway server, and compares the result with the models.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/schemagate/schemagate/internal/cli"
)

func main() {
	// Cancel on Ctrl-C and on the SIGTERM a CI runner sends, so that every
	// phase can clean up what it created.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
