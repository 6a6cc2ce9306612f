package lint_test

import (
	"context"
	"testing"

	"github.com/schemagate/schemagate/bench/corpus"
	"github.com/schemagate/schemagate/internal/lint"
	"github.com/schemagate/schemagate/internal/migrations"
)

// BenchmarkLint discovers, parses and lints the 2,000-migration corpus that
// bench/lint.sh compares with squawk.
func BenchmarkLint(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, 2000); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, ms, err := migrations.Discover(dir, "auto")
		if err != nil {
			b.Fatal(err)
		}
		res, err := lint.Run(context.Background(), ms, lint.Options{PGVersion: 16})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Findings) == 0 {
			b.Fatal("no findings: the corpus or the rules changed")
		}
	}
}
