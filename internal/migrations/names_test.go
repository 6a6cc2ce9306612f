package migrations

import (
	"regexp"
	"slices"
	"testing"
)

func TestFilenames(t *testing.T) {
	tests := []struct {
		re       *regexp.Regexp
		match    []string
		nomatch  []string
		examples map[string][]string // name -> submatches after the whole match
	}{
		{
			re:      GolangMigrateFilename,
			match:   []string{"000001_create_users.up.sql", "1_x.down.sql", "20240101120000_a.b.up.sql", "2_.up.sql"},
			nomatch: []string{"1_x.sql", "x_1.up.sql", "1.up.sql", "1_x.up.sql.bak", "1_x.UP.sql", "1_x.up.txt"},
			examples: map[string][]string{
				"000001_create_users.up.sql": {"000001", "create_users", "up"},
				"10_a_b.down.sql":            {"10", "a_b", "down"},
			},
		},
		{
			re:      GooseFilename,
			match:   []string{"00001_create_users.sql", "20240101120000_x.sql", "1_.sql"},
			nomatch: []string{"create_users.sql", "00001.sql", "00001_x.go", "x1_y.sql", "1_x.sql.bak"},
			examples: map[string][]string{
				"00001_create_users.sql": {"00001", "create_users"},
			},
		},
		{
			re:      DbmateFilename,
			match:   []string{"20240101120000_create_users.sql", "1.sql", "1abc.sql"},
			nomatch: []string{"create_users.sql", "_1.sql", "1_x.sql.txt"},
			examples: map[string][]string{
				"20240101120000_create_users.sql": {"20240101120000", "create_users"},
				"1.sql":                           {"1", ""},
			},
		},
		{
			re: FlywayFilename,
			match: []string{
				"V1__init.sql", "V1.1__x.sql", "V1_1__x.sql", "V2024.01.01.1200__x_y.sql",
				"U3__undo.sql", "R__view.sql", "V1__.sql",
			},
			nomatch: []string{
				"V1_init.sql", "v1__init.sql", "V__init.sql", "V1.a__x.sql", "V1.__x.sql",
				"R1__x.sql", "B1__baseline.sql", "afterMigrate.sql", "V1__x.SQL",
			},
			examples: map[string][]string{
				"V1_2_3__add_users.sql": {"V", "1_2_3", "add_users"},
				"V1__2__x.sql":          {"V", "1", "2__x"},
				"U1.1__x.sql":           {"U", "1.1", "x"},
				"R__users_view.sql":     {"", "", "users_view"},
			},
		},
		{
			re:      DieselDirname,
			match:   []string{"2024-01-01-120000_create_users", "00000000000000_diesel_initial_setup", "20240101_x"},
			nomatch: []string{"create_users", "2024-01-01-120000", "-1_x", "notes"},
			examples: map[string][]string{
				"2024-01-01-120000_create_users": {"2024-01-01-120000", "create_users"},
			},
		},
	}
	for _, tt := range tests {
		for _, name := range tt.match {
			if !tt.re.MatchString(name) {
				t.Errorf("%s does not match %q", tt.re, name)
			}
		}
		for _, name := range tt.nomatch {
			if tt.re.MatchString(name) {
				t.Errorf("%s matches %q", tt.re, name)
			}
		}
		for name, want := range tt.examples {
			m := tt.re.FindStringSubmatch(name)
			if m == nil {
				t.Errorf("%s does not match %q", tt.re, name)
				continue
			}
			if got := m[1:]; !slices.Equal(got, want) {
				t.Errorf("%s on %q: got %q, want %q", tt.re, name, got, want)
			}
		}
	}
}

func TestNaturalCompare(t *testing.T) {
	want := []string{"1_a.sql", "01_b.sql", "2_x.sql", "10_x.sql", "10a.sql", "a.sql", "a2.sql", "a10.sql", "b.sql"}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, naturalCompare)
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if naturalCompare("01", "1") == 0 {
		t.Error(`naturalCompare("01", "1") == 0: the order must be total`)
	}
}

func TestCompareFlywayVersion(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1", "1", 0},
		{"1.0", "1", 0},
		{"1_1", "1.1", 0},
		{"1.01", "1.1", 0},
		{"1.2.9", "1.2.10", -1},
		{"2", "1.99", 1},
		{"1.1", "1.1.1", -1},
		{"99999999999999999999999", "99999999999999999999998", 1},
	}
	for _, tt := range tests {
		if got := compareFlywayVersion(tt.a, tt.b); got != tt.want {
			t.Errorf("compareFlywayVersion(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := compareFlywayVersion(tt.b, tt.a); got != -tt.want {
			t.Errorf("compareFlywayVersion(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestCompareSQLMigrate(t *testing.T) {
	want := []string{"1_init.sql", "2_b.sql", "10_c.sql", "20240101120000-d.sql", "a.sql", "seed.sql"}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, compareSQLMigrate)
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
