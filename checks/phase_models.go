package checks

import "github.com/schemagate/schemagate/internal/finding"

// ModelsDrift reports a difference between the schema the migrations build
// and the schema the application's models expect.
var ModelsDrift = &Rule{
	ID: "models-drift", Severity: finding.Error, Phase: finding.Models,
	Doc: Doc{
		Title: "Migrated schema differs from the models",
		Text: `After every migration is applied, the schema differs from the schema the models
describe (--models-sql, --models-cmd or --models-sqlalchemy): a column the code
reads that no migration creates, a type or nullability that differs, a missing
index or constraint. The application breaks in production with errors such as
"column does not exist". There is one finding per differing object, in the
user's terms ("column users.nickname: migrations give varchar(30), models give
varchar(50)"), at the model's file and line when the models say where it is, with
the SQL (and, for SQLAlchemy and Alembic users, the op. call) that would fix it.

Both schemas are built on the same throwaway server and read with the replay's
catalog snapshot, so PostgreSQL itself normalises types, defaults and expressions.
Compared: schemas, tables, columns (type, collation, nullability, default, identity,
generated expression), primary keys, unique, foreign key, check and exclusion
constraints, indexes, enums, sequences, views, materialized views, extensions,
functions and triggers. Column order is not drift. Constraints, indexes and
sequences that both sides define alike under other names (PostgreSQL's generated
names on one side, a naming convention on the other) are not drift: check prints a
warning line for each. An object folded into another is reported once: the columns
and indexes of a missing table, the sequence of a serial column, the index behind a
constraint.

The migration tools' own tables (alembic_version, schema_migrations,
goose_db_version, flyway_schema_history, ...) are never compared. Leave out more in
.schemagate.yaml with models: ignore: [PATTERN...]: "audit_log" (a table or view in
any schema), "users.search_*" (columns, constraints or indexes of a table),
"reporting.*" (a whole schema). Turn the rule off or lower it with rules:
models-drift: warning.`,
		Help: "write the migration the models need (for Alembic: `alembic revision --autogenerate`), or fix the models",
	},
}
