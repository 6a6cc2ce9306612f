package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemagate/schemagate/internal/finding"
)

func keys(m map[string]json.RawMessage) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func sorted(s ...string) []string {
	slices.Sort(s)
	return s
}

func TestJSONKeys(t *testing.T) {
	var buf bytes.Buffer
	if err := writeJSON(&buf, testReport()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sorted("version", "migrations", "findings", "summary"), keys(doc)); diff != "" {
		t.Errorf("report keys (-want +got):\n%s", diff)
	}
	if string(doc["version"]) != "1" {
		t.Errorf("version = %s, want 1", doc["version"])
	}

	var findings []map[string]json.RawMessage
	if err := json.Unmarshal(doc["findings"], &findings); err != nil {
		t.Fatal(err)
	}
	byRule := map[string]map[string]json.RawMessage{}
	for _, f := range findings {
		var rule string
		if err := json.Unmarshal(f["rule"], &rule); err != nil {
			t.Fatal(err)
		}
		byRule[rule] = f
	}
	full := sorted("rule", "severity", "phase", "migration", "direction", "file", "line", "column", "end_line", "message", "help")
	if diff := cmp.Diff(full, keys(byRule["create-index-non-concurrently"])); diff != "" {
		t.Errorf("keys of a full finding (-want +got):\n%s", diff)
	}
	minimal := sorted("rule", "severity", "phase", "message")
	if diff := cmp.Diff(minimal, keys(byRule["models-drift"])); diff != "" {
		t.Errorf("keys of a minimal finding (-want +got):\n%s", diff)
	}
	noLine := sorted("rule", "severity", "phase", "migration", "direction", "file", "message", "help")
	if diff := cmp.Diff(noLine, keys(byRule["down-missing"])); diff != "" {
		t.Errorf("keys of a finding without a line (-want +got):\n%s", diff)
	}

	want := map[string]string{
		"rule": `"create-index-non-concurrently"`, "severity": `"error"`, "phase": `"lint"`,
		"migration": `"000002"`, "direction": `"up"`, "file": `"` + file2 + `"`,
		"line": "3", "column": "1", "end_line": "3",
		"message": `"CREATE INDEX on existing table \"users\" blocks writes until it finishes"`,
		"help":    `"CREATE INDEX CONCURRENTLY ... in a migration of its own, outside a transaction"`,
	}
	for k, v := range want {
		if got := string(byRule["create-index-non-concurrently"][k]); got != v {
			t.Errorf("%s = %s, want %s", k, got, v)
		}
	}

	var migrations []map[string]json.RawMessage
	if err := json.Unmarshal(doc["migrations"], &migrations); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sorted("id", "name", "up", "down"), keys(migrations[0])); diff != "" {
		t.Errorf("keys of a migration (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(sorted("id", "name", "up"), keys(migrations[2])); diff != "" {
		t.Errorf("keys of a migration without down (-want +got):\n%s", diff)
	}

	var summary map[string]int
	if err := json.Unmarshal(doc["summary"], &summary); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"errors": 4, "warnings": 2, "notices": 1}, summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if strings.Contains(strings.ToLower(buf.String()), "excerpt") {
		t.Error("the excerpt reached the JSON report")
	}
}

func TestJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := writeJSON(&buf, &Report{}); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "migrations": [],
  "findings": [],
  "summary": {
    "errors": 0,
    "warnings": 0,
    "notices": 0
  }
}
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("empty report (-want +got):\n%s", diff)
	}
}

func TestJSONNotHTMLEscaped(t *testing.T) {
	var buf bytes.Buffer
	r := &Report{Findings: []finding.Finding{{Rule: "r", Severity: finding.Notice, Phase: finding.Lint, Message: "a < b && c > d"}}}
	if err := writeJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"a < b && c > d"`) {
		t.Errorf("message escaped:\n%s", buf.String())
	}
}
