package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/migrations"
)

// progress shows the replay: on a terminal one line rewritten in place
// (migration n of N and the current step), elsewhere (CI logs) one line per
// migration with its time.
type progress struct {
	w    io.Writer
	live bool
}

func newProgress(w io.Writer) *progress { return &progress{w: w, live: isTerminal(w)} }

func (p *progress) Step(i, n int, m *migrations.Migration, step string) {
	if p.live {
		fmt.Fprintf(p.w, "\r\033[K[%d/%d] %s %s: %s", i+1, n, m.ID, m.Name, step)
	}
}

func (p *progress) Done(i, n int, m *migrations.Migration, took time.Duration, worst finding.Severity) {
	status := "ok  "
	switch {
	case worst >= finding.Error:
		status = "FAIL"
	case worst >= finding.Warning:
		status = "warn"
	}
	if p.live {
		fmt.Fprint(p.w, "\r\033[K")
		if worst < finding.Warning {
			return
		}
	}
	fmt.Fprintf(p.w, "%s [%d/%d] %s %s (%s)\n", status, i+1, n, m.ID, m.Name, round(took))
}
