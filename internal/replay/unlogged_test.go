package replay

import (
	"testing"

	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// A history whose SQL may change the schema with no event trigger seeing
// it is replayed with the Snapshotter, not the change log.
func TestUnlogged(t *testing.T) {
	for sql, want := range map[string]bool{
		"CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN v text;": false,
		"DO $$ BEGIN EXECUTE 'CREATE TABLE t (id int)'; END $$;":    false,
		"DROP OWNED BY app;":                                                  true,
		"REASSIGN OWNED BY app TO other;":                                     true,
		"ALTER ROLE app RENAME TO application;":                               true,
		"UPDATE pg_catalog.pg_class SET relname = 'u' WHERE relname = 't';":   true,
		"DELETE FROM pg_attrdef WHERE adrelid = 't'::regclass;":               true,
		"SELECT pg_import_system_collations('public');":                       true,
		"UPDATE pg_settings SET setting = 'on' WHERE name = 'enable_seqscan'": true,
	} {
		f := sqlparse.NewFile("m.sql", sql)
		s := &migrations.Script{File: f, Start: 0, End: len(sql)}
		parsed := sqlparse.Parse(f, 0, len(sql))
		o := &Options{Parsed: func(*migrations.Script) *sqlparse.Script { return parsed }}
		if got := o.unlogged([]migrations.Migration{{ID: "1", Up: s}}); got != want {
			t.Errorf("%s: unlogged %v, want %v", sql, got, want)
		}
	}
}
