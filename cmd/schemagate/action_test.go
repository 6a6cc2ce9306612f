package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xeipuuv/gojsonschema"
)

// gitIn runs git in dir and returns its output.
func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// cleanEnv is the test's environment without anything of a GitHub runner
// it may itself run on.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GITHUB_") || strings.HasPrefix(kv, "INPUT_") || strings.HasPrefix(kv, "RUNNER_") || strings.HasPrefix(kv, "GIT_CONFIG_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// pullRequest is a repository with a base commit on main and a head
// commit on a branch, cloned shallow as actions/checkout clones it: the
// workspace has only the head commit.
type pullRequest struct {
	origin, workspace string
	base, head        string
	// startIn is where the step starts, when not in the workspace.
	startIn string
}

func newPullRequest(t *testing.T, base, head map[string]string) *pullRequest {
	t.Helper()
	origin := t.TempDir()
	gitIn(t, origin, "init", "-q", "-b", "main")
	// GitHub serves any commit of the repository by its SHA.
	gitIn(t, origin, "config", "uploadpack.allowAnySHA1InWant", "true")
	writeFiles(t, origin, base)
	gitIn(t, origin, "add", "-A")
	gitIn(t, origin, "commit", "-q", "-m", "base")
	pr := &pullRequest{origin: origin, base: gitIn(t, origin, "rev-parse", "HEAD")}
	gitIn(t, origin, "checkout", "-q", "-b", "feature")
	writeFiles(t, origin, head)
	gitIn(t, origin, "add", "-A")
	gitIn(t, origin, "commit", "-q", "-m", "head")
	pr.head = gitIn(t, origin, "rev-parse", "HEAD")

	pr.workspace = filepath.Join(t.TempDir(), "workspace")
	gitIn(t, filepath.Dir(pr.workspace), "clone", "-q", "--depth=1", "--branch", "feature", "file://"+origin, pr.workspace)
	if out, err := exec.Command("git", "-C", pr.workspace, "cat-file", "-e", pr.base+"^{commit}").CombinedOutput(); err == nil {
		t.Fatalf("the shallow clone has the base commit already: %s", out)
	}
	return pr
}

// event writes a pull_request event payload as the runner gives it.
func (pr *pullRequest) event(t *testing.T) string {
	t.Helper()
	payload := map[string]any{
		"action": "synchronize",
		"number": 42,
		"pull_request": map[string]any{
			"number": 42,
			"title":  "Add users.email",
			"state":  "open",
			"base":   map[string]any{"ref": "main", "sha": pr.base, "repo": map[string]any{"full_name": "acme/shop"}},
			"head":   map[string]any{"ref": "feature", "sha": pr.head, "repo": map[string]any{"full_name": "acme/shop"}},
		},
		"repository": map[string]any{"full_name": "acme/shop", "default_branch": "main"},
		"sender":     map[string]any{"login": "octocat"},
	}
	b, _ := json.Marshal(payload)
	path := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runnerFiles are the files a runner gives a step.
type runnerFiles struct{ output, summary string }

// runAction runs the built binary as the runner runs the Action's
// container: in the workspace, with the runner's variables and every input
// of action.yml as INPUT_<NAME>, hyphens kept, set to inputs or else to its
// default.
func runAction(t *testing.T, bin string, pr *pullRequest, inputs map[string]string) (code int, stdout, stderr string, files runnerFiles) {
	t.Helper()
	tmp := t.TempDir()
	files = runnerFiles{output: filepath.Join(tmp, "output"), summary: filepath.Join(tmp, "summary.md")}
	for _, f := range []string{files.output, files.summary} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := append(cleanEnv(),
		"GITHUB_ACTIONS=true",
		"CI=true",
		"GITHUB_WORKSPACE="+pr.workspace,
		"GITHUB_EVENT_NAME=pull_request",
		"GITHUB_EVENT_PATH="+pr.event(t),
		"GITHUB_OUTPUT="+files.output,
		"GITHUB_STEP_SUMMARY="+files.summary,
		"GITHUB_BASE_REF=main",
		"GITHUB_HEAD_REF=feature",
		"GITHUB_REF=refs/pull/42/merge",
		"GITHUB_SHA="+pr.head,
		"GITHUB_REPOSITORY=acme/shop",
		"GITHUB_SERVER_URL=https://github.com",
		"GITHUB_RUN_ID=1234",
		"HOME="+tmp,
	)
	for name, def := range actionDefaults(t) {
		v, ok := inputs[name]
		if !ok {
			v = def
		}
		env = append(env, "INPUT_"+strings.ToUpper(name)+"="+v)
	}
	cmd := exec.Command(bin)
	cmd.Args = []string{"schemagate", "action"} // the image's ENTRYPOINT
	cmd.Dir = pr.workspace
	if pr.startIn != "" {
		cmd.Dir = pr.startIn
	}
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatal(err)
	}
	return code, out.String(), errOut.String(), files
}

// actionDefaults reads the inputs and their defaults from action.yml.
func actionDefaults(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	// The inputs block: two-space names, four-space "default:" lines.
	defaults := map[string]string{}
	name := ""
	inInputs := false
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case line == "inputs:":
			inInputs = true
		case inInputs && line != "" && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "#"):
			inInputs = false
		case inInputs && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && strings.HasSuffix(line, ":"):
			name = strings.TrimSuffix(strings.TrimSpace(line), ":")
			defaults[name] = ""
		case inInputs && strings.HasPrefix(strings.TrimSpace(line), "default:"):
			v := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "default:"))
			defaults[name] = strings.Trim(v, `"`)
		}
	}
	if len(defaults) < 10 {
		t.Fatalf("read only %d inputs from action.yml", len(defaults))
	}
	return defaults
}

// annotations are the workflow commands of stdout.
func annotations(stdout string) []string {
	var out []string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "::") {
			out = append(out, l)
		}
	}
	return out
}

// readOutputs parses GITHUB_OUTPUT, "name<<DELIM ... DELIM" blocks.
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	lines := strings.Split(string(b), "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			continue
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

// validateSARIF checks a SARIF file against the SARIF 2.1.0 JSON schema
// (testdata/sarif-schema-2.1.0.json, OASIS's schema).
func validateSARIF(t *testing.T, path string) {
	t.Helper()
	schema, err := filepath.Abs("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gojsonschema.Validate(gojsonschema.NewReferenceLoader("file://"+schema), gojsonschema.NewBytesLoader(doc))
	if err != nil {
		t.Fatalf("validate %s: %v", path, err)
	}
	for _, e := range res.Errors() {
		t.Errorf("SARIF does not follow the 2.1.0 schema: %s", e)
	}
}

var baseMigrations = map[string]string{
	"db/000001_users.up.sql":    "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);\n",
	"db/000001_users.down.sql":  "DROP TABLE users;\n",
	"db/000002_orders.up.sql":   "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);\nCREATE INDEX orders_user_id_idx ON orders (user_id);\n",
	"db/000002_orders.down.sql": "DROP TABLE orders;\n",
	"README.md":                 "# shop\n",
}

// TestActionPullRequest runs the Action on a pull request that adds an
// unsafe migration and edits an old one, in a shallow checkout that lacks
// the base commit, owned by another user than the one the container runs
// as: the annotations, the summary, the outputs, the reports and the exit
// status are what the pull request shows.
func TestActionPullRequest(t *testing.T) {
	bin := build(t)
	pr := newPullRequest(t, baseMigrations, map[string]string{
		// Edited after it was applied: line 2 changed, line 1 did not.
		"db/000002_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);\nCREATE INDEX orders_user_id_idx ON orders (user_id, id);\n",
		"db/000003_users_email.up.sql": "SET lock_timeout = '5s';\n" +
			"ALTER TABLE users ADD COLUMN email text;\n" +
			"CREATE INDEX users_email_idx ON users (email);\n",
		// Dropping the column drops its index too.
		"db/000003_users_email.down.sql": "SET lock_timeout = '5s';\nALTER TABLE users DROP COLUMN email;\n",
	})
	if os.Geteuid() == 0 {
		// The checkout belongs to the runner's user, the container runs
		// as root: git calls that "dubious ownership" unless told.
		if out, err := exec.Command("chown", "-R", "65534:65534", pr.workspace).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v\n%s", err, out)
		}
		if out, err := exec.Command("git", "-C", pr.workspace, "status").CombinedOutput(); err == nil || !strings.Contains(string(out), "dubious ownership") {
			t.Fatalf("git accepts a workspace owned by another user (%v): %s", err, out)
		}
	} else {
		t.Log("not root: the workspace is not given to another user, so the dubious ownership case is not exercised")
	}

	code, stdout, stderr, files := runAction(t, bin, pr, map[string]string{
		"migrations": "db",
		"db":         "local",
		"sarif-file": "schemagate.sarif",
	})
	t.Logf("stderr:\n%s", stderr)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (errors at or above fail-on: error)\nstdout:\n%s", code, stdout)
	}
	if !strings.Contains(stderr, "fetched "+pr.base+" from origin") {
		t.Errorf("stderr does not say the base commit was fetched:\n%s", stderr)
	}

	// Errors first; of one level the changed lines first: 000003 is new,
	// so all its lines are changed; of 000002 line 2 was edited, and
	// migration-modified points at line 1, which was not.
	want := []string{
		`::error col=1,endLine=3,file=db/000003_users_email.up.sql,line=3,title=create-index-non-concurrently::` +
			`CREATE INDEX on existing table "users" blocks writes until it finishes` +
			`%0ACREATE INDEX CONCURRENTLY ... in a migration of its own, outside a transaction`,
		`::error col=1,endLine=1,file=db/000002_orders.up.sql,line=1,title=migration-modified::` +
			`migration 000002 existed at ` + pr.base + ` and was edited: databases that already applied it never run the new text` +
			`%0Arevert the edit and write a new migration that makes the change`,
		`::warning col=13,endLine=2,file=db/000003_users_email.up.sql,line=2,title=lock-held-across-statements::` +
			`the ACCESS EXCLUSIVE lock that ALTER TABLE takes on "users" is held until the transaction commits, while line 3 CREATE INDEX "users" runs; ` +
			`confirmed on PostgreSQL 15: ACCESS EXCLUSIVE on public.users, held $TIME in the replay` +
			`%0Asplit the migration so the strong lock commits at once, or order the statements so it is taken last`,
	}
	got := annotations(regexp.MustCompile(`held [0-9.]+(ns|µs|ms|s|m[0-9.]+s)`).ReplaceAllString(stdout, "held $$TIME"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("annotations (-want +got):\n%s", diff)
	}

	summary := readFile(t, files.summary)
	for _, s := range []string{
		"## ❌ schemagate: 2 errors, 1 warning\n",
		"**This change does not pass:** 2 findings at or above `fail-on: error`.",
		"`check` of 3 migrations; 2 migrations added or changed since `" + pr.base[:12] + "`",
		"| 000002 orders | 1 | — | — | ✅ · ✅ · ✅ |",
		"| 000003 users_email | 1 | 1 | — | ✅ · ✅ · ✅ |",
		"### 000003 users_email\n\n`db/000003_users_email.up.sql` · `db/000003_users_email.down.sql` · replay up · down · up again: ✅ · ✅ · ✅",
		"| line | statement | findings | locks taken | rewrote |",
		"| 3 | <code>CREATE INDEX users_email_idx ON users (email)</code> | ❌ **create-index-non-concurrently**",
		"| 2 | <code>ALTER TABLE users ADD COLUMN email text</code> | ⚠️ **lock-held-across-statements**",
		"`ACCESS EXCLUSIVE` on public.users (blocks reads and writes) | no |",
		"### Models\n\nNot compared",
		"<details><summary>All 3 findings</summary>",
		"<details><summary>1 migration not changed by this change</summary>",
		"| server start |", "| replay and trace |", "| **total** |",
		"Every finding is in the JSON report `schemagate-report.json` and SARIF `schemagate.sarif`.",
	} {
		if !strings.Contains(summary, s) {
			t.Errorf("the summary lacks %q", s)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("summary:\n%s", summary)
	}
	if i, j := strings.Index(summary, "## ❌"), strings.Index(summary, "### 000003"); i != 0 || j < 0 {
		t.Errorf("the verdict does not come first (at %d; the first migration at %d)", i, j)
	}

	outputs := readOutputs(t, files.output)
	if diff := cmp.Diff(map[string]string{
		"errors": "2", "warnings": "1", "notices": "0",
		"report-json": "schemagate-report.json", "sarif-file": "schemagate.sarif",
	}, outputs); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}

	var rep struct {
		Findings []struct{ Rule, File string }
		Summary  struct{ Errors, Warnings, Notices int }
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(pr.workspace, "schemagate-report.json"))), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Errors != 2 || rep.Summary.Warnings != 1 || len(rep.Findings) != 3 {
		t.Errorf("JSON report: %+v", rep)
	}
	sarifPath := filepath.Join(pr.workspace, "schemagate.sarif")
	validateSARIF(t, sarifPath)
	var sarif struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(readFile(t, sarifPath)), &sarif); err != nil {
		t.Fatal(err)
	}
	if len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != 3 {
		t.Fatalf("SARIF: %+v", sarif)
	}
	for _, r := range sarif.Runs[0].Results {
		if uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; !strings.HasPrefix(uri, "db/") {
			t.Errorf("SARIF result %s at %q, want a path relative to the repository root", r.RuleID, uri)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestActionCutOff runs the Action on a pull request with more findings
// than GitHub shows (10 of each level per step, 50 per job): the most
// severe are annotated, and one last notice says how many were left out
// and points to the summary, which lists them all.
func TestActionCutOff(t *testing.T) {
	bin := build(t)
	head := map[string]string{}
	for i := 1; i <= 30; i++ {
		// Each: a drop-table error and a missing-lock-timeout warning.
		head[fmt.Sprintf("db/%06d_drop_t%d.up.sql", 100+i, i)] = fmt.Sprintf("DROP TABLE t%d;\n", i)
	}
	pr := newPullRequest(t, map[string]string{"db/000001_init.up.sql": "CREATE TABLE t (id bigint);\n"}, head)
	code, stdout, stderr, files := runAction(t, bin, pr, map[string]string{
		"command":    "lint",
		"migrations": "db",
	})
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", code, stderr)
	}
	got := annotations(stdout)
	levels := map[string]int{}
	for _, a := range got {
		level, _, _ := strings.Cut(strings.TrimPrefix(a, "::"), " ")
		levels[level]++
	}
	if diff := cmp.Diff(map[string]int{"error": 10, "warning": 10, "notice": 1}, levels); diff != "" {
		t.Errorf("annotations per level (-want +got):\n%s\n%s", diff, strings.Join(got, "\n"))
	}
	if len(got) > 50 {
		t.Errorf("%d annotations: GitHub shows at most 50 per job", len(got))
	}
	for i := range 10 {
		want := fmt.Sprintf("::error col=12,endLine=1,file=db/%06d_drop_t%d.up.sql,line=1,title=drop-table::"+
			`DROP TABLE "t%d" deletes the table and all its rows; deployed code that still uses it fails`+
			"%%0Adeploy code that no longer uses the table first, then drop it in a later migration after a backup", 101+i, i+1, i+1)
		if got[i] != want {
			t.Errorf("annotation %d\n%s\nwant\n%s", i+1, got[i], want)
		}
	}
	wantLast := "::notice title=schemagate%3A more findings::40 findings were not annotated (20 errors, 20 warnings, 0 notices): " +
		"GitHub shows at most 10 annotations of each level per step. They follow in this log as plain lines. " +
		"The job summary (https://github.com/acme/shop/actions/runs/1234) and the report list every finding."
	if last := got[len(got)-1]; last != wantLast {
		t.Errorf("last annotation\n%s\nwant\n%s", last, wantLast)
	}
	summary := readFile(t, files.summary)
	if !strings.Contains(summary, "<details><summary>All 60 findings</summary>") || strings.Count(summary, "| ❌ | drop-table |") != 30 {
		t.Errorf("the summary does not list all 60 findings:\n%s", summary)
	}
	if outputs := readOutputs(t, files.output); outputs["errors"] != "30" || outputs["warnings"] != "30" {
		t.Errorf("outputs: %v", outputs)
	}
}

// TestSARIFSchemaRejects makes sure the schema check can fail: SARIF with
// a result that lacks its message, and with an unknown level, is refused.
func TestSARIFSchemaRejects(t *testing.T) {
	schema, err := filepath.Abs("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string]string{
		"no message":    `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "r"}]}]}`,
		"unknown level": `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`,
		"no driver":     `{"version": "2.1.0", "runs": [{"tool": {}}]}`,
	} {
		res, err := gojsonschema.Validate(gojsonschema.NewReferenceLoader("file://"+schema), gojsonschema.NewStringLoader(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Valid() {
			t.Errorf("%s: the schema accepts %s", name, doc)
		}
	}
	ok := `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "error"}]}]}`
	res, err := gojsonschema.Validate(gojsonschema.NewReferenceLoader("file://"+schema), gojsonschema.NewStringLoader(ok))
	if err != nil || !res.Valid() {
		t.Errorf("the schema refuses a minimal valid log: %v %v", err, res.Errors())
	}
}

// TestActionCannotRun: a shallow checkout whose base commit cannot be
// fetched (no remote here) fails the step with exit 2, and both the log
// and the job summary say which fetch-depth to set.
func TestActionCannotRun(t *testing.T) {
	bin := build(t)
	pr := newPullRequest(t, baseMigrations, map[string]string{"db/000003_x.up.sql": "SELECT 1;\n"})
	gitIn(t, pr.workspace, "remote", "remove", "origin")
	code, stdout, stderr, files := runAction(t, bin, pr, map[string]string{"migrations": "db", "db": "local"})
	if code != 2 {
		t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	want := "--changed-since " + pr.base + ": unknown git ref: the clone does not have it and has no remote origin to fetch it from; " +
		"with actions/checkout, set fetch-depth: 2"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr:\n%s\nwant it to contain\n%s", stderr, want)
	}
	summary := readFile(t, files.summary)
	if !strings.HasPrefix(summary, "## ⚠️ schemagate check could not run\n") || !strings.Contains(summary, want) {
		t.Errorf("summary:\n%s", summary)
	}
	if outputs := readOutputs(t, files.output); len(outputs) != 0 {
		t.Errorf("outputs of a run that did not happen: %v", outputs)
	}
}

// TestActionBadCommand: an unknown command input fails the step with exit
// 2 and says why in the job summary, as every other input error does.
func TestActionBadCommand(t *testing.T) {
	bin := build(t)
	pr := newPullRequest(t, baseMigrations, map[string]string{"db/000003_x.up.sql": "SELECT 1;\n"})
	code, stdout, stderr, files := runAction(t, bin, pr, map[string]string{"command": "bogus", "migrations": "db"})
	if code != 2 {
		t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	want := `input command: "bogus" is neither check nor lint`
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr:\n%s\nwant it to contain %s", stderr, want)
	}
	summary := readFile(t, files.summary)
	if !strings.HasPrefix(summary, "## ⚠️ schemagate could not run\n") || !strings.Contains(summary, want) {
		t.Errorf("summary:\n%s", summary)
	}
}

// TestActionStartedElsewhere: a step started outside the workspace (a
// workflow's working-directory) still reads its relative inputs there.
func TestActionStartedElsewhere(t *testing.T) {
	bin := build(t)
	pr := newPullRequest(t, baseMigrations, map[string]string{
		"db/000003_x.up.sql":   "CREATE INDEX users_id_idx ON users (id);\n",
		"db/000003_x.down.sql": "DROP INDEX users_id_idx;\n",
	})
	pr.startIn = t.TempDir()
	code, stdout, stderr, files := runAction(t, bin, pr, map[string]string{"command": "lint", "migrations": "db", "sarif-file": "out.sarif"})
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the index is not built concurrently)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "file=db/000003_x.up.sql,line=1,title=create-index-non-concurrently::") {
		t.Errorf("annotations:\n%s", stdout)
	}
	for _, f := range []string{"schemagate-report.json", "out.sarif"} {
		if _, err := os.Stat(filepath.Join(pr.workspace, f)); err != nil {
			t.Errorf("%s is not in the workspace: %v", f, err)
		}
	}
	if summary := readFile(t, files.summary); !strings.HasPrefix(summary, "## ❌ schemagate") {
		t.Errorf("summary:\n%s", summary)
	}
}

// TestActionCheckoutPath: a repository checked out in a folder of the
// workspace (actions/checkout's path) is annotated with paths relative to
// the repository, which is where GitHub puts them on the diff; a SARIF file
// in a folder that is not there yet is written all the same.
func TestActionCheckoutPath(t *testing.T) {
	bin := build(t)
	pr := newPullRequest(t, baseMigrations, map[string]string{
		"db/000003_x.up.sql":   "CREATE INDEX users_id_idx ON users (id);\n",
		"db/000003_x.down.sql": "DROP INDEX users_id_idx;\n",
	})
	ws := t.TempDir()
	if err := os.Rename(pr.workspace, filepath.Join(ws, "src")); err != nil {
		t.Fatal(err)
	}
	pr.workspace = ws
	code, stdout, stderr, _ := runAction(t, bin, pr, map[string]string{"command": "lint", "migrations": "src/db", "sarif-file": "reports/schemagate.sarif"})
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the index is not built concurrently)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "file=db/000003_x.up.sql,line=1,title=create-index-non-concurrently::") {
		t.Errorf("annotations are not relative to the repository:\n%s", stdout)
	}
	sarif := readFile(t, filepath.Join(ws, "reports", "schemagate.sarif"))
	if !strings.Contains(sarif, `"uri": "db/000003_x.up.sql"`) {
		t.Errorf("SARIF locations are not relative to the repository:\n%s", sarif)
	}
}
