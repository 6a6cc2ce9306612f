package checks_test

import (
	"context"
	"strings"
	"testing"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/checks/checktest"
	"github.com/schemagate/schemagate/internal/lint"
	"github.com/schemagate/schemagate/internal/migrations"
)

func TestDropIndexNonConcurrently(t *testing.T) {
	checktest.Run(t, "testdata/drop-index-non-concurrently", checks.DropIndexNonConcurrently)
	lockingDocSuppression(t, checks.DropIndexNonConcurrently)
}

func TestReindexNonConcurrently(t *testing.T) {
	checktest.Run(t, "testdata/reindex-non-concurrently", checks.ReindexNonConcurrently)
	lockingDocSuppression(t, checks.ReindexNonConcurrently)
}

func TestConcurrentlyInTransaction(t *testing.T) {
	checktest.Run(t, "testdata/concurrently-in-transaction", checks.ConcurrentlyInTransaction)
	lockingDocSuppression(t, checks.ConcurrentlyInTransaction)

	// The help names the way out that the migration tool offers.
	for _, tc := range []struct {
		format string
		tx     migrations.TxMode
		want   string
	}{
		{"goose", migrations.TxWrapped, "-- +goose NO TRANSACTION"},
		{"dbmate", migrations.TxWrapped, "transaction:false"},
		{"golang-migrate", migrations.TxImplicit, "alone in a migration file of its own"},
		{"sql-migrate", migrations.TxWrapped, "notransaction"},
		{"alembic", migrations.TxWrapped, "autocommit_block()"},
		{"flyway", migrations.TxWrapped, "executeInTransaction=false"},
		{"diesel", migrations.TxWrapped, "run_in_transaction = false"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			ms, _, err := checktest.Migrations("help.sql",
				"CREATE INDEX CONCURRENTLY a_idx ON users (a);\nCREATE INDEX CONCURRENTLY b_idx ON users (b);\n")
			if err != nil {
				t.Fatal(err)
			}
			ms[0].Format, ms[0].Up.Tx = tc.format, tc.tx
			res, err := lint.Run(context.Background(), ms, lint.Options{PGVersion: 16, Rules: []*checks.Rule{checks.ConcurrentlyInTransaction}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Findings) != 2 {
				t.Fatalf("got %d findings, want 2", len(res.Findings))
			}
			for _, f := range res.Findings {
				if !strings.Contains(f.Help, tc.want) {
					t.Errorf("help %q does not contain %q", f.Help, tc.want)
				}
				if !strings.Contains(f.Message, tc.format) {
					t.Errorf("message %q does not name %s", f.Message, tc.format)
				}
			}
		})
	}
}

func TestAddForeignKeyValidated(t *testing.T) {
	checktest.Run(t, "testdata/add-foreign-key-validated", checks.AddForeignKeyValidated)
	lockingDocSuppression(t, checks.AddForeignKeyValidated)
}

func TestAddCheckValidated(t *testing.T) {
	checktest.Run(t, "testdata/add-check-validated", checks.AddCheckValidated)
	lockingDocSuppression(t, checks.AddCheckValidated)
}

func TestSetNotNull(t *testing.T) {
	checktest.Run(t, "testdata/set-not-null", checks.SetNotNull)
	lockingDocSuppression(t, checks.SetNotNull)
}

func TestAddUniqueConstraint(t *testing.T) {
	checktest.Run(t, "testdata/add-unique-constraint", checks.AddUniqueConstraint)
	lockingDocSuppression(t, checks.AddUniqueConstraint)
}

func TestAddPrimaryKey(t *testing.T) {
	checktest.Run(t, "testdata/add-primary-key", checks.AddPrimaryKey)
	lockingDocSuppression(t, checks.AddPrimaryKey)
}

// lockingDocSuppression checks what TestDocExamples does not: the doc text
// says how to suppress the rule.
func lockingDocSuppression(t *testing.T, r *checks.Rule) {
	t.Helper()
	if !strings.Contains(r.Doc.Text, "-- schemagate:ignore "+r.ID+" <reason>") {
		t.Errorf("%s: doc text does not say how to suppress the rule", r.ID)
	}
}
