package cli

import (
	"context"
	"io"
	"testing"

	"github.com/schemagate/schemagate/bench/corpus"
)

// BenchmarkLintCommand runs `schemagate lint --output json` over the corpus
// of bench/lint.sh, as the command line does, report included.
func BenchmarkLintCommand(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, 2000); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code := Run(context.Background(), []string{"lint", "--output", "json", "--fail-on", "never", dir}, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
