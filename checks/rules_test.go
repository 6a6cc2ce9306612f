package checks_test

import (
	"testing"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/checks/checktest"
)

func TestCreateIndexNonConcurrently(t *testing.T) {
	checktest.Run(t, "testdata/create-index-non-concurrently", checks.CreateIndexNonConcurrently)
}
