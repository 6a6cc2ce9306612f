package alembic

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/python"
	"github.com/schemagate/schemagate/internal/replay"
)

// Online lists the scripts that run online in the replay: revisions that
// read the database (op.get_bind()) or raised in offline mode.
func (p *Project) Online() []*migrations.Script {
	var out []*migrations.Script
	for s := range p.online {
		out = append(out, s)
	}
	return out
}

// External returns the replay's executor for the scripts that need a live
// connection: each runs alone through the project's env.py in online mode,
// against the database at url, with statementTimeout. It needs psycopg2;
// when that is missing, the replay applies the offline SQL instead and
// warn is told why.
func (p *Project) External(ctx context.Context, url string, statementTimeout time.Duration, warn func(string)) replay.External {
	if len(p.online) == 0 {
		return nil
	}
	py, err := python.Find(ctx, p.explicit, "alembic", "sqlalchemy", "psycopg2")
	if err != nil {
		warn(fmt.Sprintf("revisions that read the database run as their offline SQL: %v", err))
		return nil
	}
	online := *p
	online.py = py
	saURL := SQLAlchemyURL(url)
	return func(ctx context.Context, s *migrations.Script) (bool, error) {
		if !p.online[s] {
			return false, nil
		}
		return true, online.runOnline(ctx, saURL, statementTimeout, s)
	}
}

// runOnline runs one script's revision step online.
func (p *Project) runOnline(ctx context.Context, url string, statementTimeout time.Duration, s *migrations.Script) error {
	st := p.steps[s]
	var out struct{ Error *pyError }
	q := *p
	if statementTimeout > 0 {
		q.extraEnv = []string{fmt.Sprintf("PGOPTIONS=-c statement_timeout=%d", statementTimeout.Milliseconds())}
	}
	if err := q.run(ctx, url, &out, "online", st.revision, st.direction); err != nil {
		return err
	}
	if out.Error == nil {
		return nil
	}
	e := p.pyError(out.Error)
	if e.Path == "" {
		return e
	}
	// The revision (or env.py) raised: a finding at that line.
	o := &migrations.Origin{Path: e.Path, Line: e.Line, Text: e.Text}
	return &replay.StatementError{Origin: o, Err: errors.New(e.Type + ": " + e.Message)}
}
