package migrations

import "io/fs"

// Temporary stand-ins until each format has its own file.
type stub string

func (s stub) Name() string                          { return string(s) }
func (stub) Detect(fs.FS, string) bool               { return false }
func (stub) Load(fs.FS, string) ([]Migration, error) { return nil, nil }

type (
	Diesel        struct{ stub }
	Flyway        struct{ stub }
	GolangMigrate struct{ stub }
	Goose         struct{ stub }
	Dbmate        struct{ stub }
	SQLMigrate    struct{ stub }
	Plain         struct{ stub }
)
