package checks_test

import (
	"testing"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/checks/checktest"
)

func TestAddColumnRewrite(t *testing.T) {
	checktest.Run(t, "testdata/add-column-rewrite", checks.AddColumnRewrite)
}

func TestAddColumnRequired(t *testing.T) {
	checktest.Run(t, "testdata/add-column-required", checks.AddColumnRequired)
}

func TestVacuumFull(t *testing.T) {
	checktest.Run(t, "testdata/vacuum-full", checks.VacuumFull)
}

func TestCluster(t *testing.T) {
	checktest.Run(t, "testdata/cluster", checks.Cluster)
}

func TestRefreshMaterializedViewNonConcurrently(t *testing.T) {
	checktest.Run(t, "testdata/refresh-materialized-view-non-concurrently", checks.RefreshMaterializedViewNonConcurrently)
}

func TestLockTable(t *testing.T) {
	checktest.Run(t, "testdata/lock-table", checks.LockTable)
}

func TestMissingLockTimeout(t *testing.T) {
	checktest.Run(t, "testdata/missing-lock-timeout", checks.MissingLockTimeout)
}

func TestLockHeldAcrossStatements(t *testing.T) {
	checktest.Run(t, "testdata/lock-held-across-statements", checks.LockHeldAcrossStatements)
}
