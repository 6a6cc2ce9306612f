// Package corpus generates a synthetic but realistic migration history for
// the benchmarks: golang-migrate files with tables, columns, indexes,
// constraints, data fixes and PL/pgSQL functions, in the proportions a
// long-lived application accumulates.
package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Write writes n migrations (an up and a down file each) into dir.
func Write(dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var tables []string
	for i := 1; i <= n; i++ {
		up, down, name := migration(i, &tables)
		base := filepath.Join(dir, fmt.Sprintf("%06d_%s", i, name))
		if err := os.WriteFile(base+".up.sql", []byte(up), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(base+".down.sql", []byte(down), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// migration returns the i-th migration; a deterministic mix of kinds.
func migration(i int, tables *[]string) (up, down, name string) {
	if len(*tables) == 0 || i%5 == 1 {
		t := fmt.Sprintf("t%04d", i)
		*tables = append(*tables, t)
		return createTable(t), fmt.Sprintf("DROP TABLE %s;\n", t), "create_" + t
	}
	t := (*tables)[i%len(*tables)]
	c := fmt.Sprintf("c%04d", i)
	switch i % 5 {
	case 2:
		return fmt.Sprintf("SET lock_timeout = '5s';\n\n-- Track when rows change.\nALTER TABLE %s ADD COLUMN %s timestamptz DEFAULT now();\nCOMMENT ON COLUMN %s.%s IS 'set by the application';\n", t, c, t, c),
			fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s;\n", t, c), "add_" + c
	case 3:
		return fmt.Sprintf("CREATE INDEX CONCURRENTLY %s_%s_idx ON %s (name, created_at DESC) WHERE deleted_at IS NULL;\n", t, c, t),
			fmt.Sprintf("DROP INDEX CONCURRENTLY %s_%s_idx;\n", t, c), "index_" + t
	case 4:
		return fmt.Sprintf(`ALTER TABLE %[1]s ADD CONSTRAINT %[1]s_%[2]s_check CHECK (char_length(name) < 200) NOT VALID;
UPDATE %[1]s SET name = trim(name) WHERE name <> trim(name);
CREATE FUNCTION %[1]s_%[2]s_touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    NEW.updated_at := now();  -- keep updated_at honest
    RETURN NEW;
END
$fn$;
`, t, c), fmt.Sprintf("DROP FUNCTION %[1]s_%[2]s_touch();\nALTER TABLE %[1]s DROP CONSTRAINT %[1]s_%[2]s_check;\n", t, c), "check_" + t
	default:
		// Validate the constraint the previous migration added NOT VALID,
		// and add a view; the down puts both back as they were.
		prev := (*tables)[(i-1)%len(*tables)]
		check := fmt.Sprintf("%s_c%04d_check", prev, i-1)
		return fmt.Sprintf("ALTER TABLE %[1]s VALIDATE CONSTRAINT %[2]s;\nCREATE VIEW v%04[3]d AS SELECT id, name, email FROM %[4]s WHERE deleted_at IS NULL;\n", prev, check, i, t),
			fmt.Sprintf("DROP VIEW v%04[3]d;\nALTER TABLE %[1]s DROP CONSTRAINT %[2]s;\nALTER TABLE %[1]s ADD CONSTRAINT %[2]s CHECK (char_length(name) < 200) NOT VALID;\n", prev, check, i),
			"validate_" + prev
	}
}

func createTable(t string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (\n", t)
	b.WriteString("    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n")
	b.WriteString("    name text NOT NULL,\n    email varchar(255),\n    payload jsonb NOT NULL DEFAULT '{}',\n")
	b.WriteString("    owner_id bigint REFERENCES t0001 (id) ON DELETE CASCADE,\n")
	b.WriteString("    created_at timestamptz NOT NULL DEFAULT now(),\n    updated_at timestamptz,\n    deleted_at timestamptz\n);\n")
	fmt.Fprintf(&b, "CREATE INDEX %s_owner_idx ON %s (owner_id);\n", t, t)
	fmt.Fprintf(&b, "CREATE UNIQUE INDEX %s_email_key ON %s (lower(email)) WHERE deleted_at IS NULL;\n", t, t)
	return b.String()
}
