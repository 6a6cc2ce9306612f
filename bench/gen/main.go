// Command gen writes the benchmark corpus of package corpus to a directory.
package main

import (
	"flag"
	"log"

	"github.com/schemagate/schemagate/bench/corpus"
)

func main() {
	n := flag.Int("n", 2000, "number of migrations")
	out := flag.String("out", "bench/out/corpus", "directory to write")
	flag.Parse()
	if err := corpus.Write(*out, *n); err != nil {
		log.Fatal(err)
	}
}
