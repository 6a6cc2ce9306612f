package models

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// schema300 is a schema of 300 tables, each with eight columns, a primary
// key, a foreign key to the table before it, a unique constraint, a check
// and two indexes; convention names them as a naming convention would,
// and drift changes one column in every tenth table.
func schema300(convention, drift bool) string {
	var b strings.Builder
	b.WriteString("CREATE TYPE state AS ENUM ('new', 'active', 'closed');\n")
	for i := range 300 {
		name := func(conv string) string {
			if convention {
				return "CONSTRAINT " + conv + " "
			}
			return ""
		}
		size := 100
		if drift && i%10 == 0 {
			size = 200
		}
		fmt.Fprintf(&b, "CREATE TABLE t%03d (\n  id bigint GENERATED ALWAYS AS IDENTITY %sPRIMARY KEY,\n", i, name(fmt.Sprintf("pk_t%03d", i)))
		if i > 0 {
			fmt.Fprintf(&b, "  parent_id bigint %sREFERENCES t%03d (id) ON DELETE CASCADE,\n", name(fmt.Sprintf("fk_t%03d_parent", i)), i-1)
		} else {
			b.WriteString("  parent_id bigint,\n")
		}
		fmt.Fprintf(&b, "  code varchar(%d) NOT NULL %sUNIQUE,\n", size, name(fmt.Sprintf("uq_t%03d_code", i)))
		fmt.Fprintf(&b, "  amount numeric(12,2) NOT NULL DEFAULT 0 %sCHECK (amount >= 0),\n", name(fmt.Sprintf("ck_t%03d_amount", i)))
		b.WriteString("  state state NOT NULL DEFAULT 'new',\n  note text,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  updated_at timestamptz\n);\n")
		idx := func(pg, conv string) string {
			if convention {
				return conv
			}
			return pg
		}
		fmt.Fprintf(&b, "CREATE INDEX %s ON t%03d (parent_id);\n", idx(fmt.Sprintf("t%03d_parent_idx", i), fmt.Sprintf("ix_t%03d_parent_id", i)), i)
		fmt.Fprintf(&b, "CREATE INDEX %s ON t%03d (lower(note)) WHERE note IS NOT NULL;\n", idx(fmt.Sprintf("t%03d_note_idx", i), fmt.Sprintf("ix_t%03d_note", i)), i)
	}
	return b.String()
}

// BenchmarkCompare300 compares two schemas of 300 tables (about 5,000
// objects each) that differ in names everywhere and in 30 columns.
func BenchmarkCompare300(b *testing.B) {
	migrated, models := snapshot(b, schema300(false, false))[0], snapshot(b, schema300(true, true))[0]
	b.ReportMetric(float64(len(migrated.Objects())), "objects")
	b.ResetTimer()
	for b.Loop() {
		res := Compare(migrated, models, Options{})
		if len(res.Drifts) != 30 {
			b.Fatalf("%d drifts, want 30", len(res.Drifts))
		}
	}
}

// TestCompare300 holds the comparison of two 300-table schemas under the
// target of one second, with the finding count exact.
func TestCompare300(t *testing.T) {
	migrated, models := snapshot(t, schema300(false, false))[0], snapshot(t, schema300(true, true))[0]
	start := time.Now()
	res := Compare(migrated, models, Options{})
	took := time.Since(start)
	if len(res.Drifts) != 30 {
		t.Errorf("%d drifts, want 30 (one column in every tenth table)", len(res.Drifts))
	}
	// Per table: primary key, foreign key (not the first), unique, check,
	// two indexes.
	if want := 300*5 + 299; len(res.Renamed) != want {
		t.Errorf("%d renamed, want %d", len(res.Renamed), want)
	}
	if took > time.Second {
		t.Errorf("comparing two 300-table schemas took %s, want under 1s", took)
	}
	t.Logf("%d objects: compared in %s", len(migrated.Objects()), took)
}
