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

// sarifDoc is the part of SARIF that GitHub code scanning reads.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				Version        string `json:"version"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription *struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					Help struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties struct {
						Tags []string `json:"tags"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		ColumnKind  string        `json:"columnKind"`
		Results     []sarifResult `json:"results"`
		Invocations []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				AssociatedRule struct {
					ID    string `json:"id"`
					Index int    `json:"index"`
				} `json:"associatedRule"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

type sarifResult struct {
	RuleID    string `json:"ruleId"`
	RuleIndex *int   `json:"ruleIndex"`
	Level     string `json:"level"`
	Message   struct {
		Text string `json:"text"`
	} `json:"message"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region *struct {
				StartLine   int `json:"startLine"`
				StartColumn int `json:"startColumn"`
				EndLine     int `json:"endLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
	} `json:"locations"`
}

func readSARIF(t *testing.T, r *Report, opts Options) sarifDoc {
	t.Helper()
	var buf bytes.Buffer
	if err := writeSARIF(&buf, r, opts); err != nil {
		t.Fatal(err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	return doc
}

func TestSARIFStructure(t *testing.T) {
	r := testReport()
	doc := readSARIF(t, r, Options{})
	if doc.Version != "2.1.0" {
		t.Errorf("version = %q, want 2.1.0", doc.Version)
	}
	if !strings.HasSuffix(doc.Schema, "sarif-schema-2.1.0.json") {
		t.Errorf("$schema = %q", doc.Schema)
	}
	run := doc.Runs[0]
	d := run.Tool.Driver
	if d.Name != "schemagate" || d.Version != "1.2.3-test" || d.InformationURI != "https://github.com/schemagate/schemagate" {
		t.Errorf("driver = %q %q %q", d.Name, d.Version, d.InformationURI)
	}
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}

	levels := []string{"error", "warning", "note"}
	var ids []string
	for _, rule := range d.Rules {
		ids = append(ids, rule.ID)
		if rule.ShortDescription.Text == "" || rule.FullDescription == nil || rule.Help.Text == "" || rule.Help.Markdown == "" {
			t.Errorf("rule %s lacks descriptions or help", rule.ID)
		}
		if !slices.Contains(levels, rule.DefaultConfiguration.Level) {
			t.Errorf("rule %s: default level %q", rule.ID, rule.DefaultConfiguration.Level)
		}
		if len(rule.Properties.Tags) != 3 || rule.Properties.Tags[0] != "postgresql" || rule.Properties.Tags[1] != "migrations" {
			t.Errorf("rule %s: tags %q", rule.ID, rule.Properties.Tags)
		}
	}
	var wantIDs []string
	for _, rule := range r.Rules {
		wantIDs = append(wantIDs, rule.ID)
	}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Errorf("rule ids (-want +got):\n%s", diff)
	}
	if rule := d.Rules[1]; rule.Name != "CreateIndexNonConcurrently" ||
		rule.DefaultConfiguration.Level != "error" ||
		rule.Properties.Tags[2] != "lint" ||
		!strings.Contains(rule.Help.Markdown, "**Help:** CREATE INDEX CONCURRENTLY") {
		t.Errorf("rule %+v", rule)
	}

	for _, res := range run.Results {
		if res.RuleIndex == nil || *res.RuleIndex < 0 || *res.RuleIndex >= len(d.Rules) || d.Rules[*res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s: ruleIndex %v does not point at its rule", res.RuleID, res.RuleIndex)
		}
		if !slices.Contains(levels, res.Level) {
			t.Errorf("result %s: level %q", res.RuleID, res.Level)
		}
		if res.Message.Text == "" {
			t.Errorf("result %s: no message", res.RuleID)
		}
		if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" {
			t.Errorf("result %s: GitHub needs exactly one location with a uri, got %+v", res.RuleID, res.Locations)
		}
	}

	// models-drift belongs to no file: it is a notification, not a result.
	if n := len(run.Results); n != len(r.Findings)-1 {
		t.Errorf("%d results, want %d", n, len(r.Findings)-1)
	}
	if len(run.Invocations) != 1 || len(run.Invocations[0].ToolExecutionNotifications) != 1 {
		t.Fatalf("invocations = %+v, want one notification", run.Invocations)
	}
	inv := run.Invocations[0]
	note := inv.ToolExecutionNotifications[0]
	if !inv.ExecutionSuccessful || note.Level != "error" || note.AssociatedRule.ID != "models-drift" ||
		d.Rules[note.AssociatedRule.Index].ID != "models-drift" || !strings.HasPrefix(note.Message.Text, `column "users"."email" differs`) {
		t.Errorf("notification = %+v", inv)
	}

	byRule := map[string]sarifResult{}
	for _, res := range run.Results {
		byRule[res.RuleID] = res
	}
	loc := byRule["set-not-null"].Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "migrations/000002_add_users_email.up.sql" || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
		loc.Region == nil || loc.Region.StartLine != 9 || loc.Region.StartColumn != 3 || loc.Region.EndLine != 10 {
		t.Errorf("set-not-null location %+v %+v", loc.ArtifactLocation, loc.Region)
	}
	// No line: a location without a region.
	if loc := byRule["down-missing"].Locations[0].PhysicalLocation; loc.Region != nil ||
		loc.ArtifactLocation.URI != "migrations/000003_rename,with:colon.up.sql" {
		t.Errorf("down-missing location %+v %+v", loc.ArtifactLocation, loc.Region)
	}
	// No file but a migration: the migration's file, without a region.
	if loc := byRule["blocking-lock"].Locations[0].PhysicalLocation; loc.Region != nil ||
		loc.ArtifactLocation.URI != "migrations/000002_add_users_email.up.sql" {
		t.Errorf("blocking-lock location %+v %+v", loc.ArtifactLocation, loc.Region)
	}
	if got := byRule["delete-without-where"].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "migrations/000004_caf%C3%A9.up.sql" {
		t.Errorf("non-ASCII uri = %q", got)
	}
	if got := byRule["prefer-text"].Level; got != "note" {
		t.Errorf("notice level = %q, want note", got)
	}
}

func TestSARIFEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := writeSARIF(&buf, &Report{}, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"results": []`, `"rules": []`, `"name": "schemagate"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("empty report lacks %s:\n%s", want, buf.String())
		}
	}
	if strings.Contains(buf.String(), "invocations") {
		t.Errorf("empty report has invocations:\n%s", buf.String())
	}
}

// TestSARIFUnlistedRule checks that a finding of a rule missing from
// Report.Rules still points at a rule.
func TestSARIFUnlistedRule(t *testing.T) {
	r := &Report{
		Rules: []Rule{{ID: "drop-table", Severity: finding.Error, Phase: finding.Lint, Title: "t"}},
		Findings: []finding.Finding{{
			Rule: "out-of-order", Severity: finding.Warning, Phase: finding.History, Message: "m",
			Location: finding.Location{File: "m/2.sql", Line: 1},
		}},
	}
	run := readSARIF(t, r, Options{}).Runs[0]
	rules := run.Tool.Driver.Rules
	if len(rules) != 2 || rules[1].ID != "out-of-order" || rules[1].DefaultConfiguration.Level != "warning" ||
		rules[1].ShortDescription.Text != "out-of-order" || !slices.Contains(rules[1].Properties.Tags, "history") {
		t.Errorf("rules = %+v", rules)
	}
	if res := run.Results[0]; res.RuleIndex == nil || *res.RuleIndex != 1 {
		t.Errorf("ruleIndex = %v, want 1", res.RuleIndex)
	}
}

func TestSARIFRoot(t *testing.T) {
	r := &Report{Findings: []finding.Finding{
		{Rule: "a", Severity: finding.Error, Message: "m", Location: finding.Location{File: "/repo/db/migrations/1 add.sql", Line: 1}},
		{Rule: "a", Severity: finding.Error, Message: "m", Location: finding.Location{File: "/elsewhere/1.sql", Line: 1}},
	}}
	run := readSARIF(t, r, Options{Root: "/repo"}).Runs[0]
	in := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation
	if in.URI != "db/migrations/1%20add.sql" || in.URIBaseID != "%SRCROOT%" {
		t.Errorf("file under the root: %+v", in)
	}
	out := run.Results[1].Locations[0].PhysicalLocation.ArtifactLocation
	if out.URI != "file:///elsewhere/1.sql" || out.URIBaseID != "" {
		t.Errorf("file outside the root: %+v", out)
	}
}

func TestFileURI(t *testing.T) {
	for _, tc := range []struct {
		path     string
		uri      string
		relative bool
	}{
		{"migrations/1.sql", "migrations/1.sql", true},
		{"migrations/a b.sql", "migrations/a%20b.sql", true},
		{"migrations/000003_rename,with:colon.up.sql", "migrations/000003_rename,with:colon.up.sql", true},
		{"a:b/c.sql", "a%3Ab/c.sql", true},
		{"migrations/café.sql", "migrations/caf%C3%A9.sql", true},
		{"100%#?.sql", "100%25%23%3F.sql", true},
		{"/abs/x.sql", "file:///abs/x.sql", false},
		{"C:/work/x y.sql", "file:///C:/work/x%20y.sql", false},
	} {
		uri, relative := fileURI(tc.path)
		if uri != tc.uri || relative != tc.relative {
			t.Errorf("fileURI(%q) = %q, %v; want %q, %v", tc.path, uri, relative, tc.uri, tc.relative)
		}
	}
}

func TestCamelCase(t *testing.T) {
	for id, want := range map[string]string{
		"create-index-non-concurrently": "CreateIndexNonConcurrently",
		"truncate":                      "Truncate",
		"":                              "",
	} {
		if got := camelCase(id); got != want {
			t.Errorf("camelCase(%q) = %q, want %q", id, got, want)
		}
	}
}
