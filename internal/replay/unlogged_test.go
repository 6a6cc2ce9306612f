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

// The quick test before the regexps of reachesOut and unlogged passes
// every text that one of them matches.
func TestNamesServerObjects(t *testing.T) {
	texts := []string{
		"SELECT dblink_exec('x')", "SELECT DBLink('x')", "SELECT lo_import('/f')", "select LO_EXPORT(1, '/f')",
		"SELECT pg_reload_conf()", "SELECT PG_TERMINATE_BACKEND(1)", "insert into pg_catalog.pg_class values ()",
		`UPDATE "pg_catalog" . "pg_attribute" SET x = 1`, "SELECT pg_import_system_collations('public')",
		"CREATE TABLE t (id int)", "ALTER TABLE blink ADD COLUMN lo int", "SELECT 1 -- pg", "dblin", "p", "",
		"SELECT dblin\u212a_exec('x')", // the Kelvin sign, a k to the regexps' (?i)
	}
	for _, text := range texts {
		matched := serverFunctions.MatchString(text) || catalogWrites.MatchString(text)
		if matched && !namesServerObjects(text) {
			t.Errorf("%q: a regexp matches, the quick test says it cannot", text)
		}
	}
	for text, want := range map[string]bool{"CREATE TABLE t (id int)": false, "ALTER TABLE blink ADD COLUMN lo int": false, "SELECT Pg_x": true, "dblink": true, "DBLI": false} {
		if got := namesServerObjects(text); got != want {
			t.Errorf("namesServerObjects(%q) = %v, want %v", text, got, want)
		}
	}
}

func FuzzNamesServerObjects(f *testing.F) {
	f.Add("SELECT dblink_exec('x')")
	f.Add("UPDATE pg_class SET relname = 'u'")
	f.Fuzz(func(t *testing.T, text string) {
		if (serverFunctions.MatchString(text) || catalogWrites.MatchString(text)) && !namesServerObjects(text) {
			t.Errorf("%q: a regexp matches, the quick test says it cannot", text)
		}
	})
}
