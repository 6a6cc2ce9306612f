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
user's terms: which object, and what each side has.`,
		Help: "write the migration the models need (for Alembic: `alembic revision --autogenerate`), or fix the models",
	},
}
