// Command schemagate keeps PostgreSQL migrations safe: it lints them, replays
// them against a throwaway server, and compares the result with the models.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/schemagate/schemagate/internal/cli"
)

func main() {
	// A run is short and allocates mostly parse trees that live to the end:
	// collecting less often saves a quarter of the time, and the memory
	// limit keeps the heap small on large histories all the same.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(150 << 20)
	}
	// Cancel on Ctrl-C and on the SIGTERM a CI runner sends, so that every
	// phase can clean up what it created.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
