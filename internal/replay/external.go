package replay

import (
	"context"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/migrations"
)

// External runs a script that only its own migration tool can run, such
// as an Alembic revision that reads the database while it runs
// (op.get_bind()), against the replay's database. It reports whether it
// ran s; when it did not, the replay runs the script's SQL itself. A
// failure of the script itself is a *StatementError with Origin set to
// the source line that raised; any other error stops the replay.
//
// Scripts run this way are not traced: the trace watches the replay's own
// connection between statements.
type External func(ctx context.Context, s *migrations.Script) (ran bool, err error)

// reportAt reports a finding at a line of a script's source.
func (r *runner) reportAt(m *migrations.Migration, dir finding.Direction, rule string, o *migrations.Origin, msg string) {
	rl := checks.Lookup(rule)
	f := finding.Finding{
		Rule: rule, Severity: rl.Severity, Phase: finding.Replay, Migration: m.ID, Direction: dir,
		Message: msg, Help: rl.Doc.Help,
	}
	f.Location, f.Excerpt = checks.LocateOrigin(o)
	r.res.Findings = append(r.res.Findings, f)
}
