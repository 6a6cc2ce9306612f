package catalog

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// BenchmarkSnapshotter replays the 500 migrations of the benchmark corpus
// as a replay does, each up, down and up again with a snapshot after each
// (1,500 snapshots, from an empty schema to about 2,000 objects), and
// reports the time per snapshot ("ms/snapshot"), with Logged, the
// Snapshotter and Take. Applying the migrations is not counted; "none"
// applies them with no snapshot (and no change log), and
// "logged-unchanged" takes each Logged snapshot twice, for
// bench/snapshot-instructions.sh, which counts what the server does. SCHEMAGATE_BENCH_MIGRATIONS replays fewer.
func BenchmarkSnapshotter(b *testing.B) {
	migrations := 500
	if v := os.Getenv("SCHEMAGATE_BENCH_MIGRATIONS"); v != "" {
		var err error
		if migrations, err = strconv.Atoi(v); err != nil || migrations < 1 || migrations > 500 {
			b.Fatalf("SCHEMAGATE_BENCH_MIGRATIONS=%q: want a number of migrations from 1 to 500", v)
		}
	}
	ms := corpusMigrations(b, migrations)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		snap func(conn *pgx.Conn) func() (*Snapshot, error)
	}{
		{"none", func(conn *pgx.Conn) func() (*Snapshot, error) { return nil }},
		{"snapshotter", func(conn *pgx.Conn) func() (*Snapshot, error) {
			sn := NewSnapshotter(conn)
			return func() (*Snapshot, error) { return sn.Take(ctx) }
		}},
		{"logged", func(conn *pgx.Conn) func() (*Snapshot, error) {
			l, err := NewLogged(ctx, conn)
			if err != nil {
				b.Fatal(err)
			}
			return func() (*Snapshot, error) { return l.Take(ctx) }
		}},
		// Each snapshot taken twice, the second with nothing changed:
		// what a snapshot costs whatever the migration did.
		{"logged-unchanged", func(conn *pgx.Conn) func() (*Snapshot, error) {
			l, err := NewLogged(ctx, conn)
			if err != nil {
				b.Fatal(err)
			}
			return func() (*Snapshot, error) {
				if _, err := l.Take(ctx); err != nil {
					return nil, err
				}
				return l.Take(ctx)
			}
		}},
		{"take", func(conn *pgx.Conn) func() (*Snapshot, error) {
			return func() (*Snapshot, error) { return Take(ctx, conn) }
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var spent time.Duration
			var n, objects int
			for b.Loop() {
				conn := newDB(b)
				snap := bc.snap(conn)
				shot := func() {
					if snap == nil {
						return
					}
					t := time.Now()
					s, err := snap()
					spent += time.Since(t)
					if err != nil {
						b.Fatal(err)
					}
					n++
					objects = len(s.Objects())
				}
				shot()
				for _, m := range ms {
					exec(b, conn, m.up)
					shot()
					exec(b, conn, m.down)
					shot()
					exec(b, conn, m.up)
					shot()
				}
			}
			if n > 0 {
				b.ReportMetric(float64(spent.Microseconds())/1000/float64(n), "ms/snapshot")
				b.ReportMetric(float64(objects), "objects")
			}
		})
	}
}
