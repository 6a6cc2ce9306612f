package checks_test

import (
	"testing"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/checks/checktest"
)

func TestDropTable(t *testing.T) {
	checktest.Run(t, "testdata/drop-table", checks.DropTable)
}

func TestDropColumn(t *testing.T) {
	checktest.Run(t, "testdata/drop-column", checks.DropColumn)
}

func TestDropSchema(t *testing.T) {
	checktest.Run(t, "testdata/drop-schema", checks.DropSchema)
}

func TestDropDatabase(t *testing.T) {
	checktest.Run(t, "testdata/drop-database", checks.DropDatabase)
}

func TestTruncate(t *testing.T) {
	checktest.Run(t, "testdata/truncate", checks.Truncate)
}

func TestDeleteWithoutWhere(t *testing.T) {
	checktest.Run(t, "testdata/delete-without-where", checks.DeleteWithoutWhere)
}

func TestUpdateWithoutWhere(t *testing.T) {
	checktest.Run(t, "testdata/update-without-where", checks.UpdateWithoutWhere)
}

func TestRenameTable(t *testing.T) {
	checktest.Run(t, "testdata/rename-table", checks.RenameTable)
}

func TestRenameColumn(t *testing.T) {
	checktest.Run(t, "testdata/rename-column", checks.RenameColumn)
}

func TestChangeColumnType(t *testing.T) {
	checktest.Run(t, "testdata/change-column-type", checks.ChangeColumnType)
}

func TestPreferBigint(t *testing.T) {
	checktest.Run(t, "testdata/prefer-bigint", checks.PreferBigint)
}

func TestPreferText(t *testing.T) {
	checktest.Run(t, "testdata/prefer-text", checks.PreferText)
}

func TestPreferTimestamptz(t *testing.T) {
	checktest.Run(t, "testdata/prefer-timestamptz", checks.PreferTimestamptz)
}

func TestPreferJsonb(t *testing.T) {
	checktest.Run(t, "testdata/prefer-jsonb", checks.PreferJsonb)
}

func TestPreferIdentity(t *testing.T) {
	checktest.Run(t, "testdata/prefer-identity", checks.PreferIdentity)
}

func TestBanChar(t *testing.T) {
	checktest.Run(t, "testdata/ban-char", checks.BanChar)
}

func TestIdentifierTooLong(t *testing.T) {
	checktest.Run(t, "testdata/identifier-too-long", checks.IdentifierTooLong)
}
