package checks

import "github.com/schemagate/schemagate/internal/finding"

// The rules of the replay phase: `schemagate check` applies every migration
// up, down and up again to a throwaway PostgreSQL and compares schemas.

// UpFails reports an up migration that PostgreSQL rejects.
var UpFails = &Rule{
	ID: "up-fails", Severity: finding.Error, Phase: finding.Replay,
	Doc: Doc{
		Title: "Up migration fails on a real server",
		Text: `The up script failed when schemagate applied it to a throwaway PostgreSQL with
every earlier migration applied. The finding is on the failing statement, with
PostgreSQL's own message and the position of the error inside the statement. The
migrations after it cannot be replayed, so the replay stops there. It would fail the
same way in production: a missing object, a type mismatch, a statement that cannot
run inside a transaction.`,
		Help: "fix the statement; run `schemagate check` again to replay it",
	},
}

// DownFails reports a down migration that PostgreSQL rejects.
var DownFails = &Rule{
	ID: "down-fails", Severity: finding.Error, Phase: finding.Replay,
	Doc: Doc{
		Title: "Down migration fails on a real server",
		Text: `The down script failed right after its up script was applied. A rollback that
fails is found out at the worst moment, during an incident. The finding is on the
failing statement with PostgreSQL's message.`,
		Help: "fix the down script so that it undoes exactly what the up script did",
	},
}

// DownMissing reports a migration without a down script.
var DownMissing = &Rule{
	ID: "down-missing", Severity: finding.Warning, Phase: finding.Replay,
	Doc: Doc{
		Title: "Migration has no down script",
		Text: `The format supports down migrations but this migration has none (or, for
Alembic, a downgrade() that only passes while upgrade() does something, or that
raises NotImplementedError). It cannot be rolled back. Irreversible migrations exist (dropping data cannot be undone), in
which case suppress the finding with a reason.`,
		Help: "write the down script, or suppress with a reason if the migration is irreversible",
	},
}

// DownNotReverting reports a down script that leaves the schema different
// from the schema before its up.
var DownNotReverting = &Rule{
	ID: "down-not-reverting", Severity: finding.Error, Phase: finding.Replay,
	Doc: Doc{
		Title: "Down migration does not restore the schema",
		Text: `After up then down, the schema differs from the schema before up: the down
script forgot an object (an index, a constraint, a column default) or changed one
that up did not touch. schemagate compares catalog snapshots (tables, columns with
type, nullability, default, identity and generation, constraints, indexes,
sequences, types, views, functions, triggers, extensions, schemas) and lists each
object that differs, before and after.`,
		Help: "make the down script undo every change of the up script, and nothing else",
	},
}

// ReapplyFails reports an up script that fails after up then down.
var ReapplyFails = &Rule{
	ID: "reapply-fails", Severity: finding.Error, Phase: finding.Replay,
	Doc: Doc{
		Title: "Up migration fails after up and down",
		Text: `Applying the up script again after its down script failed, or produced a
different schema than the first time. The down script left something behind
(a type, a sequence, a row in a lookup table) that the up script trips over, so
a rollback followed by a redeploy breaks.`,
		Help: "make the down script remove everything the up script creates",
	},
}

// StatementTimeout reports a statement that ran longer than
// --statement-timeout during the replay.
var StatementTimeout = &Rule{
	ID: "statement-timeout", Severity: finding.Error, Phase: finding.Replay,
	Doc: Doc{
		Title: "Statement exceeded the replay's statement timeout",
		Text: `A statement ran longer than --statement-timeout (default 60s) on an almost empty
throwaway database. On production data it would run far longer, or it waits for
something that never comes (a lock held by another session of the same migration).`,
		Help: "find why the statement is slow or waits; raise --statement-timeout only if it is expected",
	},
}
