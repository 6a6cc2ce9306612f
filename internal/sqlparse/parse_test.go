package sqlparse

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// stmtPos renders where each statement starts and whether it parsed.
func stmtPos(f *File, s *Script) []string {
	var out []string
	for _, st := range s.Statements {
		p := f.Position(st.Start)
		first := strings.SplitN(st.Text, "\n", 2)[0]
		if st.Err != nil {
			e := f.Position(st.Err.Offset)
			out = append(out, strings.Join([]string{itoa(p.Line), itoa(p.Col), "ERR", itoa(e.Line), itoa(e.Col), st.Err.Message}, ":"))
			continue
		}
		out = append(out, strings.Join([]string{itoa(p.Line), itoa(p.Col), strings.TrimRight(first, "\r")}, ":"))
	}
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestPositions(t *testing.T) {
	tests := []struct {
		name, sql string
		want      []string
	}{
		{
			name: "comments and blank lines before statements",
			sql:  "-- header\n\nCREATE TABLE a (id int);\n/* block */ CREATE INDEX i ON a (id);\n",
			want: []string{"3:1:CREATE TABLE a (id int)", "4:13:CREATE INDEX i ON a (id)"},
		},
		{
			name: "byte order mark does not shift the column",
			sql:  "\uFEFFCREATE TABLE a (id int);\nDROP TABLE a;",
			want: []string{"1:1:CREATE TABLE a (id int)", "2:1:DROP TABLE a"},
		},
		{
			name: "CRLF line endings",
			sql:  "CREATE TABLE a (id int);\r\n\r\n  DROP TABLE a;\r\n",
			want: []string{"1:1:CREATE TABLE a (id int)", "3:3:DROP TABLE a"},
		},
		{
			name: "dollar quoting with semicolons and newlines",
			sql:  "CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN\n  RETURN 1;\nEND\n$body$ LANGUAGE plpgsql;\nSELECT 1;",
			want: []string{"1:1:CREATE FUNCTION f() RETURNS int AS $body$", "6:1:SELECT 1"},
		},
		{
			name: "nested block comments",
			sql:  "/* outer /* inner; */ still comment; */\nSELECT 1;\nSELECT 2;",
			want: []string{"2:1:SELECT 1", "3:1:SELECT 2"},
		},
		{
			name: "multibyte characters count as one column",
			sql:  "SELECT 'éé'; SELECT 1;",
			want: []string{"1:1:SELECT 'éé'", "1:14:SELECT 1"},
		},
		{
			name: "syntax error in the middle: the rest still parses",
			sql:  "CREATE TABLE a (id int);\nCREATE TABEL b (id int);\nCREATE INDEX i ON a (id);\n",
			want: []string{"1:1:CREATE TABLE a (id int)", `2:1:ERR:2:8:syntax error at or near "TABEL"`, "3:1:CREATE INDEX i ON a (id)"},
		},
		{
			name: "error position counts characters after multibyte text",
			sql:  "SELECT 'ü';\nSELECT 'ü' FROM WHERE;",
			want: []string{"1:1:SELECT 'ü'", `2:1:ERR:2:17:syntax error at or near "WHERE"`},
		},
		{
			name: "unterminated string",
			sql:  "SELECT 1;\nSELECT 'oops;\n",
			want: []string{"1:1:SELECT 1", `2:8:ERR:2:8:unterminated quoted string at or near "'oops;..."`},
		},
		{
			name: "only comments",
			sql:  "-- nothing here\n/* nor here */\n",
			want: nil,
		},
		{
			name: "BEGIN ATOMIC body is one statement even after an error",
			sql:  "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELEC 1;",
			want: []string{"1:1:CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END", `2:1:ERR:2:1:syntax error at or near "SELEC"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewFile("x.sql", tt.sql)
			got := stmtPos(f, Parse(f, 0, len(tt.sql)))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestRegionOffsets(t *testing.T) {
	// goose keeps up and down in one file: a region's statements must be
	// placed at their lines in the whole file.
	text := "-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n"
	f := NewFile("x.sql", text)
	down := strings.Index(text, "DROP")
	s := Parse(f, down, len(text))
	if got := stmtPos(f, s); len(got) != 1 || got[0] != "4:1:DROP TABLE a" {
		t.Fatalf("got %q", got)
	}
	rv := s.Statements[0].Node.GetDropStmt()
	if rv == nil {
		t.Fatal("not a DROP")
	}
}

func TestIgnores(t *testing.T) {
	text := "-- schemagate:ignore drop-table,truncate it is a scratch table\nDROP TABLE a; /* schemagate:ignore-file prefer-text */\n-- plain comment\n-- schemagate:ignore\n"
	f := NewFile("x.sql", text)
	igs := Parse(f, 0, len(text)).Ignores()
	if len(igs) != 3 {
		t.Fatalf("got %d ignores, want 3: %+v", len(igs), igs)
	}
	if strings.Join(igs[0].Rules, ",") != "drop-table,truncate" || igs[0].WholeFile {
		t.Errorf("first: %+v", igs[0])
	}
	if strings.Join(igs[1].Rules, ",") != "prefer-text" || !igs[1].WholeFile {
		t.Errorf("second: %+v", igs[1])
	}
	if len(igs[2].Rules) != 0 || f.Position(igs[2].Offset).Line != 4 {
		t.Errorf("third: %+v", igs[2])
	}
}

func TestLineText(t *testing.T) {
	f := NewFile("x.sql", "\uFEFFone\r\ntwo\nthree")
	for i, want := range []string{"one", "two", "three", ""} {
		if got := f.LineText(i + 1); got != want {
			t.Errorf("line %d: got %q want %q", i+1, got, want)
		}
	}
}

// FuzzParse checks that no input crashes the parser and that every
// statement lies inside the region, in order, at a valid position.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"SELECT 1;", "CREATE TABLE a (id int);\nDROP TABLE a;", "/* /* */ */ SELECT 1", "SELECT 'x", "$$ unterminated",
		"DO $$ BEGIN EXECUTE 'CREATE INDEX i ON t (a)'; END $$;", "\uFEFFSELECT 1;\r\nSELEC 2;", "BEGIN ATOMIC; END;;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		if !utf8.ValidString(sql) {
			t.Skip()
		}
		file := NewFile("fuzz.sql", sql)
		s := Parse(file, 0, len(sql))
		prev := -1
		for _, st := range s.Statements {
			if st.Start < 0 || st.End > len(sql) || st.Start > st.End || st.Start < prev {
				t.Fatalf("statement %d out of place: [%d,%d) in %d bytes", st.Index, st.Start, st.End, len(sql))
			}
			prev = st.Start
			if st.Err != nil && (st.Err.Offset < 0 || st.Err.Offset > len(sql)) {
				t.Fatalf("error offset %d outside the text", st.Err.Offset)
			}
			file.Position(st.Start)
		}
	})
}
