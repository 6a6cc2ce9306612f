package checks

import "github.com/schemagate/schemagate/internal/finding"

// OfflineSQLIncomplete reports an Alembic revision whose SQL could be
// generated offline only up to where it reads the database: what follows
// is not linted. It has no Run: internal/cli reports it from Alembic's
// offline run.
var OfflineSQLIncomplete = &Rule{
	ID: "offline-sql-incomplete", Severity: finding.Notice, Phase: finding.Replay,
	Doc: Doc{
		Title: "Part of a data migration's SQL is not linted",
		Text: `schemagate lints an Alembic revision from the SQL that Alembic writes for it in
offline mode (alembic upgrade --sql). A revision that reads the database (a data
migration: op.get_bind().execute(...), then a loop over the rows) cannot run offline
past that read, so the statements after it are unknown to the rules: an
op.alter_column(nullable=False) or an op.create_index() after a backfill is not
checked, and a down script that drops what those statements created may be taken for
the loss of an existing table. Where psycopg2 is installed, check runs the revision
online, on the throwaway database, and reports whether it fails and the schema it
leaves; it neither lints nor traces the statements it runs there.

Keep the schema changes out of the data migration: one revision for the DDL (linted,
traced), one that only moves the data.`,
		Help: "move the schema changes into a revision of their own, which the rules can check",
	},
}
