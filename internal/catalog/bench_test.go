package catalog

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// schema300 is 300 tables of 8 columns, each with a primary key, a foreign
// key, a check constraint and two more indexes (one on two columns, one on
// an expression): about 4,800 objects.
func schema300() string {
	var b strings.Builder
	for i := 1; i <= 300; i++ {
		fmt.Fprintf(&b, `CREATE TABLE t%[1]d (
  id bigserial PRIMARY KEY,
  parent_id bigint REFERENCES t%[2]d (id),
  name text NOT NULL,
  email character varying(200) NOT NULL DEFAULT '',
  amount numeric(12,2) CHECK (amount >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  flags integer NOT NULL DEFAULT 0,
  note text
);
CREATE INDEX t%[1]d_parent_created ON t%[1]d (parent_id, created_at DESC);
CREATE UNIQUE INDEX t%[1]d_email ON t%[1]d (lower(email));
`, i, max(i-1, 1))
	}
	return b.String()
}

// BenchmarkTake reads a 300-table schema. "planned-on-empty" is what a
// replay does: the first snapshot, on the empty database, prepares the
// query, and the schema grows afterwards. "planned-on-full" prepares it on
// the full schema, and "in-transaction" plans it on every call.
func BenchmarkTake(b *testing.B) {
	ctx := context.Background()
	onEmpty := newDB(b)
	take(b, onEmpty)
	exec(b, onEmpty, schema300())
	onFull := newDB(b, schema300())
	take(b, onFull)
	for _, bc := range []struct {
		name string
		conn *pgx.Conn
		tx   bool
	}{
		{"planned-on-empty", onEmpty, false},
		{"planned-on-full", onFull, false},
		{"in-transaction", onFull, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			if bc.tx {
				exec(b, bc.conn, "BEGIN")
				defer exec(b, bc.conn, "ROLLBACK")
			}
			var s *Snapshot
			for b.Loop() {
				var err error
				if s, err = Take(ctx, bc.conn); err != nil {
					b.Fatal(err)
				}
			}
			if n := len(s.Objects()); n < 4800 {
				b.Fatalf("%d objects, want about 4,800", n)
			}
			b.ReportMetric(float64(len(s.Objects())), "objects")
		})
	}
}

func BenchmarkDiff(b *testing.B) {
	conn := newDB(b, schema300())
	before := take(b, conn)
	exec(b, conn, `ALTER TABLE t10 ADD COLUMN extra text; DROP INDEX t20_email;
		ALTER TABLE t30 ALTER COLUMN note TYPE character varying(100); CREATE TABLE audit (id bigint)`)
	after := take(b, conn)
	var n int
	for b.Loop() {
		n = len(Diff(before, after))
	}
	if n != 5 {
		b.Errorf("%d changes, want 5", n)
	}
}
