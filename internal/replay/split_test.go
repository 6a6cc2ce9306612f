package replay

import (
	"fmt"
	"slices"
	"testing"

	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// A long history is cut into as many parts as asked, the later ones
// shorter (each first replays the parts before it in a fast pass); a
// short one, or one replayed from a changed migration, is not cut.
func TestSplit(t *testing.T) {
	history := func(n int) []migrations.Migration {
		ms := make([]migrations.Migration, n)
		for i := range ms {
			sql := fmt.Sprintf("CREATE TABLE t%d (id int);", i)
			f := sqlparse.NewFile(fmt.Sprintf("%d.sql", i), sql)
			ms[i] = migrations.Migration{ID: fmt.Sprint(i), Up: &migrations.Script{File: f, End: len(sql)}, Down: &migrations.Script{File: f, End: len(sql)}}
		}
		return ms
	}
	parsed := map[*sqlparse.File]*sqlparse.Script{}
	options := func(parts int) *Options {
		return &Options{Parallel: &Parallel{Parts: parts}, Parsed: func(s *migrations.Script) *sqlparse.Script {
			if parsed[s.File] == nil {
				parsed[s.File] = sqlparse.Parse(s.File, 0, s.End)
			}
			return parsed[s.File]
		}}
	}
	ms := history(400)
	for parts := 1; parts <= 4; parts++ {
		at := options(parts).split(ms, true)
		if len(at) != parts-1 {
			t.Errorf("%d parts: cut at %v", parts, at)
			continue
		}
		bounds := append(append([]int{0}, at...), len(ms))
		for j := 1; j < len(bounds); j++ {
			if bounds[j] <= bounds[j-1] {
				t.Fatalf("%d parts: cut at %v, not in order", parts, at)
			}
			if j >= 2 && bounds[j]-bounds[j-1] > bounds[j-1]-bounds[j-2] {
				t.Errorf("%d parts: cut at %v: part %d is longer than the one before it", parts, at, j)
			}
		}
	}
	if at := options(2).split(ms, true); at[0] <= 200 || at[0] >= 300 {
		t.Errorf("two parts: cut at %v, want the first part a little longer than half", at)
	}
	if at := options(4).split(history(minParallel-1), true); at != nil {
		t.Errorf("a short history: cut at %v", at)
	}
	o := options(4)
	o.FullFrom = 10
	if at := o.split(ms, true); at != nil {
		t.Errorf("replayed from a changed migration: cut at %v", at)
	}
	// Given where to cut, in order and within the history.
	o = options(0)
	o.Parallel.At = []int{0, 5, 3, 9, 9, 400}
	if at := o.split(ms, true); !slices.Equal(at, []int{5, 9}) {
		t.Errorf("cut at %v given %v, want [5 9]", at, o.Parallel.At)
	}
}
