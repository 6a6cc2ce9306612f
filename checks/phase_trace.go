package checks

import "github.com/schemagate/schemagate/internal/finding"

// The rules of the trace phase: during the replay, schemagate watches the
// live server for the locks and rewrites each statement really takes on
// tables that existed before the migration.

// TableRewrite reports a statement that rewrote a pre-existing table or index.
var TableRewrite = &Rule{
	ID: "table-rewrite", Severity: finding.Error, Phase: finding.Trace,
	Doc: Doc{
		Title: "Statement rewrote an existing table",
		Text: `The statement changed the relfilenode of a table or index that existed before
the migration: PostgreSQL copied every row into a new file while holding an ACCESS
EXCLUSIVE lock. On a large table that blocks reads and writes for as long as the
copy takes. This is what the server really did, not a guess from the SQL text: it
catches type changes, volatile defaults and rewrites hidden in DO blocks or
functions, and it clears statements that only look dangerous.`,
		Help: "avoid the rewrite: add a nullable column and backfill in batches, or create a new table and swap",
	},
}

// BlockingLock reports a lock that blocks reads or writes on a pre-existing
// relation, as observed in pg_locks.
var BlockingLock = &Rule{
	ID: "blocking-lock", Severity: finding.Warning, Phase: finding.Trace,
	Doc: Doc{
		Title: "Statement took a lock that blocks reads or writes",
		Text: `On the live server the statement took a lock on a relation that existed before
the migration in a mode that blocks other sessions: SHARE and stronger block
writes, ACCESS EXCLUSIVE also blocks reads. The lock is held until the transaction
ends, so the finding says how long it was held during the replay. Short holds on a
quiet table are harmless; a lock queued behind a long query blocks every query
after it, which is why a lock_timeout matters.`,
		Help: "set lock_timeout, keep the transaction short, and prefer the CONCURRENTLY / NOT VALID forms",
	},
}
