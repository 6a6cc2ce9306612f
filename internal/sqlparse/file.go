// Package sqlparse splits and parses SQL with pg_query, the PostgreSQL parser
// itself, and maps every statement and node back to its line and column in
// the file it came from.
package sqlparse

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// BOM is the UTF-8 byte order mark, which some editors put at the start of a
// file and which PostgreSQL's lexer does not accept.
const BOM = "\uFEFF"

// File is the text of one source file, with an index of its line starts so
// that byte offsets map to lines quickly.
type File struct {
	Path  string
	Text  string
	lines []int // byte offset of the start of each line
}

// NewFile indexes text, which was read from path.
func NewFile(path, text string) *File {
	f := &File{Path: path, Text: text, lines: []int{0}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			f.lines = append(f.lines, i+1)
		}
	}
	return f
}

// Pos is a line and column, both counted from 1; the column counts
// characters, not bytes, and ignores a byte order mark.
type Pos struct {
	Line, Col int
}

// Position maps a byte offset in the file to its line and column.
func (f *File) Position(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(f.Text) {
		off = len(f.Text)
	}
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
	start := f.lines[i]
	seg := f.Text[start:off]
	if i == 0 {
		seg = strings.TrimPrefix(seg, BOM)
	}
	return Pos{Line: i + 1, Col: utf8.RuneCountInString(seg) + 1}
}

// LineText returns line n (from 1) without its line ending.
func (f *File) LineText(n int) string {
	if n < 1 || n > len(f.lines) {
		return ""
	}
	start := f.lines[n-1]
	end := len(f.Text)
	if n < len(f.lines) {
		end = f.lines[n] - 1
	}
	s := strings.TrimSuffix(f.Text[start:end], "\r")
	if n == 1 {
		s = strings.TrimPrefix(s, BOM)
	}
	return s
}

// LineStart returns the byte offset where line n (from 1) starts.
func (f *File) LineStart(n int) int {
	if n < 1 {
		return 0
	}
	if n > len(f.lines) {
		return len(f.Text)
	}
	return f.lines[n-1]
}

// Lines is the number of lines in the file.
func (f *File) Lines() int { return len(f.lines) }
