package migrations

import (
	"cmp"
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Detection reads little: the first detectHead bytes of at most
// detectSample files per directory.
const (
	detectSample = 5
	detectHead   = 8 << 10
)

// cmpDigits compares two strings of ASCII digits as numbers of any size:
// "10" > "9", "007" == "7".
func cmpDigits(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return cmp.Compare(len(a), len(b))
	}
	return strings.Compare(a, b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// leadingDigits returns the digits s starts with.
func leadingDigits(s string) string {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i]
}

// naturalCompare orders names so that runs of digits compare as numbers
// ("2_x.sql" before "10_x.sql") and other bytes as bytes. Names that differ
// only in leading zeros ("01" and "1") fall back to byte order, so the
// order is total.
func naturalCompare(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if isDigit(a[i]) && isDigit(b[j]) {
			da, db := leadingDigits(a[i:]), leadingDigits(b[j:])
			if c := cmpDigits(da, db); c != 0 {
				return c
			}
			i, j = i+len(da), j+len(db)
			continue
		}
		if c := cmp.Compare(a[i], b[j]); c != 0 {
			return c
		}
		i, j = i+1, j+1
	}
	if c := cmp.Compare(len(a)-i, len(b)-j); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// number sets every migration's Position to its index.
func number(ms []Migration) []Migration {
	for i := range ms {
		ms[i].Position = i
	}
	return ms
}

// bodyStart is the offset of f's first byte of SQL: 0, or just past a byte
// order mark.
func bodyStart(f *sqlparse.File) int {
	if strings.HasPrefix(f.Text, sqlparse.BOM) {
		return len(sqlparse.BOM)
	}
	return 0
}

// head returns the first detectHead bytes of the file name in fsys, without
// a byte order mark, or "" when it cannot be read.
func head(fsys fs.FS, name string) string {
	f, err := fsys.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, detectHead)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return ""
	}
	return strings.TrimPrefix(string(buf[:n]), sqlparse.BOM)
}

// anyHead reports whether the head of one of the first detectSample files
// of names (in dir) satisfies match.
func anyHead(fsys fs.FS, dir string, names []string, match func(head string) bool) bool {
	for i, name := range names {
		if i == detectSample {
			break
		}
		if match(head(fsys, path.Join(dir, name))) {
			return true
		}
	}
	return false
}

// fileError makes a FileError, dropping the path an fs.PathError repeats.
func fileError(p string, line int, err error) *FileError {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path != "" {
		err = &opError{op: pe.Op, err: pe.Err}
	}
	return &FileError{Path: p, Line: line, Err: err}
}

// opError is an fs.PathError without its path.
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string { return e.op + ": " + e.err.Error() }
func (e *opError) Unwrap() error { return e.err }
