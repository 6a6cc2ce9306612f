package checks

import "github.com/schemagate/schemagate/internal/finding"

// The rules of the history phase: the shape of the migration history itself.

// MultipleHeads reports an Alembic history with unmerged branches.
var MultipleHeads = &Rule{
	ID: "multiple-heads", Severity: finding.Error, Phase: finding.History,
	Doc: Doc{
		Title: "Migration history has more than one head",
		Text: `Two revisions share a parent and nothing merges them, usually because two pull
requests each added a migration. "alembic upgrade head" refuses to run until the
branches are merged.`,
		Help: "merge the heads: `alembic merge heads -m merge`",
	},
}

// DuplicateVersion reports two migrations with one version.
var DuplicateVersion = &Rule{
	ID: "duplicate-version", Severity: finding.Error, Phase: finding.History,
	Doc: Doc{
		Title: "Two migrations share a version",
		Text: `Two migration files carry the same version (or two Alembic revisions the same
revision id). Depending on the tool, one of them is silently skipped or the tool
refuses to run.`,
		Help: "give the newer migration a version of its own",
	},
}

// MigrationModified reports an edit to a migration that already existed at
// --changed-since.
var MigrationModified = &Rule{
	ID: "migration-modified", Severity: finding.Error, Phase: finding.History,
	Doc: Doc{
		Title: "Already-applied migration was edited",
		Text: `A migration that existed on the base branch was edited or deleted. Databases
that already applied it will never run the new text, so environments drift apart
(and some tools refuse to run because the checksum changed).`,
		Help: "revert the edit and write a new migration that makes the change",
	},
}

// OutOfOrder reports a new migration that sorts before an existing one.
var OutOfOrder = &Rule{
	ID: "out-of-order", Severity: finding.Warning, Phase: finding.History,
	Doc: Doc{
		Title: "New migration sorts before an existing one",
		Text: `The pull request adds a migration whose version sorts before the newest
migration on the base branch, typically after a long-lived branch was rebased.
Databases that already applied the newer one skip it, or the tool refuses to run.`,
		Help: "renumber the new migration so that it sorts after every existing one",
	},
}
