package trace

import (
	"context"
	"testing"
	"time"

	"github.com/schemagate/schemagate/bench/corpus"
	"github.com/schemagate/schemagate/internal/lint"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/replay"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// BenchmarkReplay500 replays the 500-migration corpus with and without the
// trace, alternately in each iteration so that both see the same machine,
// and reports the trace's overhead on the whole replay (overhead-%) and on
// the replay's statements alone, schema snapshots left out (exec-overhead-%).
// The budget is 30% of the whole replay.
func BenchmarkReplay500(b *testing.B) {
	ctx := context.Background()
	srv := shared.Server(b)
	dir := b.TempDir()
	if err := corpus.Write(dir, 500); err != nil {
		b.Fatal(err)
	}
	_, ms, err := migrations.Discover(dir, "golang-migrate")
	if err != nil {
		b.Fatal(err)
	}
	res, err := lint.Run(ctx, ms, lint.Options{PGVersion: srv.Version()})
	if err != nil {
		b.Fatal(err)
	}
	parsed := func(s *migrations.Script) *sqlparse.Script { return res.Parsed[s] }

	replayOnce := func(hooks bool) (*replay.Result, *Tracer) {
		db, err := srv.CreateDatabase(ctx)
		if err != nil {
			b.Fatal(err)
		}
		o := replay.Options{Parsed: parsed, StatementTimeout: time.Minute}
		var tr *Tracer
		if hooks {
			tr = New(parsed)
			o.Hooks = tr.Hooks
		}
		rep, err := replay.Run(ctx, db.URL(), ms, o)
		if err != nil {
			b.Fatal(err)
		}
		return rep, tr
	}

	// Measure on the part of the corpus that replays.
	probe, _ := replayOnce(false)
	if probe.Stopped != "" {
		b.Logf("the corpus replays only %d of %d migrations (%s): measuring on those", probe.Replayed, len(ms), probe.Stopped)
		ms = ms[:probe.Replayed]
	}

	b.ResetTimer()
	var plain, traced, plainExec, tracedExec time.Duration
	stmts := 0
	for i := 0; i < b.N; i++ {
		// Alternate which goes first, so that neither pays for the
		// server's drift (databases pile up until the server stops).
		for _, hooks := range [][]bool{{false, true}, {true, false}}[i%2] {
			rep, tr := replayOnce(hooks)
			if !hooks {
				plain += rep.Total
				plainExec += rep.Total - rep.Snapshot
				continue
			}
			traced += rep.Total
			tracedExec += rep.Total - rep.Snapshot
			stmts = len(tr.Statements())
			if rep.Stopped != "" {
				b.Fatalf("traced replay stopped: %s", rep.Stopped)
			}
		}
	}
	n := float64(b.N)
	b.ReportMetric(plain.Seconds()/n, "plain-s")
	b.ReportMetric(traced.Seconds()/n, "traced-s")
	b.ReportMetric(100*(traced.Seconds()-plain.Seconds())/plain.Seconds(), "overhead-%")
	b.ReportMetric(100*(tracedExec.Seconds()-plainExec.Seconds())/plainExec.Seconds(), "exec-overhead-%")
	b.ReportMetric((plain-plainExec).Seconds()/n, "plain-snapshot-s")
	b.ReportMetric((traced-tracedExec).Seconds()/n, "traced-snapshot-s")
	b.ReportMetric(plainExec.Seconds()/n, "plain-exec-s")
	b.ReportMetric(tracedExec.Seconds()/n, "traced-exec-s")
	b.ReportMetric(float64(stmts), "statements")
}
