package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schemagate/schemagate/internal/catalog"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/models"
	"github.com/schemagate/schemagate/internal/python"
	"github.com/schemagate/schemagate/internal/replay"
	"github.com/schemagate/schemagate/internal/report"
	"github.com/schemagate/schemagate/internal/sqlparse"
	"github.com/schemagate/schemagate/testdb"
)

// The comparison of the migrated schema with the models (--models-sql,
// --models-cmd, --models-sqlalchemy), for check.

// checkModelsFlags refuses two sources of models at once.
func checkModelsFlags(src models.Source) error {
	n := 0
	for _, s := range []string{src.SQL, src.Cmd, src.SQLAlchemy} {
		if s != "" {
			n++
		}
	}
	if n > 1 {
		return &usageError{"give one of --models-sql, --models-cmd and --models-sqlalchemy"}
	}
	return nil
}

// maxRenamedShown is how many renamed objects check lists one by one.
const maxRenamedShown = 10

// compareModels builds the models' schema in a database of its own on the
// throwaway server, and compares it with the schema the replay left.
func compareModels(ctx context.Context, server testdb.Server, src models.Source, py *python.Interpreter, rep *replay.Result, dir string, ms []migrations.Migration,
	parsed func(*migrations.Script) *sqlparse.Script, c common, alembic bool, stderr io.Writer) (*modelsOutcome, error) {
	db, err := server.CreateDatabase(ctx)
	if err != nil {
		return nil, err
	}
	var exts []catalog.Object
	for _, o := range rep.Final.Sorted() {
		if o.Kind == "extension" {
			exts = append(exts, o)
		}
	}
	// Whole, so that it means the same wherever the helper runs.
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	schema, err := models.Build(ctx, src, db, models.Env{Python: c.python, Interpreter: py, Extensions: exts, Paths: []string{dir}})
	if err != nil {
		return nil, err
	}
	t := time.Now()
	res := models.Compare(rep.Final, schema.Snapshot, models.Options{Ignore: c.cfg.Models.Ignore, ORM: src.SQLAlchemy != ""})
	compared := time.Since(t)
	if len(res.Unmodeled) > 0 {
		var kinds []string
		for _, k := range slices.Sorted(maps.Keys(res.Unmodeled)) {
			kinds = append(kinds, fmt.Sprintf("%d %s", res.Unmodeled[k], k))
		}
		fmt.Fprintf(stderr, "models: not compared, as SQLAlchemy models do not define them: %s of the migrations\n", strings.Join(kinds, ", "))
	}
	// Names that differ only by convention are worth knowing: in the
	// report's notes, and on stderr one by one while they are few.
	out := &modelsOutcome{compared: compared}
	for _, r := range res.Renamed {
		out.notes = append(out.notes, report.Note{Phase: finding.Models, Kind: r.Kind, Table: r.ShortTable(),
			Migrations: r.MigrationsName(), Models: r.ModelsName(), Message: r.String()})
	}
	for i, r := range res.Renamed {
		if i == maxRenamedShown && len(res.Renamed) > maxRenamedShown+1 {
			fmt.Fprintf(stderr, "warning: models: %d more objects are named otherwise in the models, with the same definitions: not drift\n", len(res.Renamed)-i)
			break
		}
		fmt.Fprintf(stderr, "warning: models: %s: not drift\n", r)
	}
	opts := models.ReportOptions{Alembic: alembic, Migrations: models.MigrationPlaces(ms, parsed)}
	if len(ms) > 0 {
		last := ms[len(ms)-1]
		opts.FallbackMigration = last.ID
		if s := last.Up; s != nil {
			opts.Fallback.File = s.File.Path
			if len(s.Origins) > 0 {
				opts.Fallback.File = s.Origins[0].Path
			}
		}
	}
	out.findings = models.Findings(res.Drifts, schema.Places, opts)
	return out, nil
}

// modelsOutcome is what the comparison with the models gives the report.
type modelsOutcome struct {
	findings []finding.Finding
	notes    []report.Note
	// compared is how long the comparison itself took.
	compared time.Duration
}
