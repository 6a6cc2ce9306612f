package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/schemagate/schemagate/internal/finding"
)

func summaryReport(n int) *Report {
	r := &Report{
		Migrations: []Migration{
			{ID: "1", Name: "users", Up: "db/1_users.up.sql", Down: "db/1_users.down.sql"},
			{ID: "2", Name: "orders", Up: "db/2_orders.up.sql", Down: "db/2_orders.down.sql"},
		},
		Run: &Run{Command: "check", FailOn: "error", ChangedSince: "main", Changed: []string{"2"}, Replayed: []string{"2"},
			Timings: []Timing{{Phase: "server start", Took: Duration(1200 * time.Millisecond)}, {Phase: "replay and trace", Took: Duration(300 * time.Millisecond)}}},
		Statements: []Statement{{Migration: "2", File: "db/2_orders.up.sql", Line: 1, Statement: "ALTER TABLE users | x\nADD COLUMN y int",
			Locks: []Lock{{Relation: "public.users", Mode: "ACCESS EXCLUSIVE", Blocks: "reads and writes"}}, Rewrites: []string{"public.users"}, LocksObserved: true}},
	}
	for i := range n {
		r.Findings = append(r.Findings, finding.Finding{
			Rule: "add-column-rewrite", Severity: finding.Error, Phase: finding.Lint, Migration: "2",
			Location: finding.Location{File: "db/2_orders.up.sql", Line: 1 + i%2, Column: 1},
			Message:  fmt.Sprintf("finding %d <b>with markup</b> and a | pipe", i), Help: "help",
		})
	}
	return r
}

func TestSummary(t *testing.T) {
	r := summaryReport(1)
	r.Findings = append(r.Findings, finding.Finding{Rule: "down-not-reverting", Severity: finding.Error, Phase: finding.Replay, Migration: "2", Direction: finding.Down,
		Location: finding.Location{File: "db/2_orders.down.sql", Line: 1}, Message: "after up and down, the schema differs:\n  table users"})
	md := Summary(r, SummaryOptions{ReportPath: "schemagate-report.json"})
	for _, want := range []string{
		"## ❌ schemagate: 2 errors\n",
		"| 2 orders | 2 | — | — | ✅ · ❌ does not revert · ✅ |",
		"| 1 | <code>ALTER TABLE users &#124; x ADD COLUMN y int</code> | ❌ **add-column-rewrite** finding 0 &lt;b&gt;with markup&lt;/b&gt; and a &#124; pipe | `ACCESS EXCLUSIVE` on public.users (blocks reads and writes) | **yes**: public.users |",
		"| 1 (down) | ❌ **down-not-reverting** after up and down, the schema differs: … |",
		"<details><summary>1 migration not changed by this change</summary>",
		"| **total** | **1.5s** |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "<b>") {
		t.Errorf("markup from a message reached the summary:\n%s", md)
	}
}

// TestSummaryLimit: a run with more findings than fit in GitHub's 1 MiB
// stays under the limit, keeps the verdict and the time table, closes
// every <details>, and says how many rows were left out.
func TestSummaryLimit(t *testing.T) {
	r := summaryReport(20000)
	md := Summary(r, SummaryOptions{})
	if len(md) > SummaryLimit {
		t.Fatalf("summary is %d bytes, over %d", len(md), SummaryLimit)
	}
	if !strings.HasPrefix(md, "## ❌ schemagate: 20000 errors") {
		t.Errorf("the verdict is not first: %.100q", md)
	}
	if !strings.Contains(md, "### Time") || !strings.HasSuffix(md, "says why a rule exists and what to do instead.\n") {
		t.Errorf("the end of the summary was lost: %q", md[len(md)-300:])
	}
	if open, closed := strings.Count(md, "<details>"), strings.Count(md, "</details>"); open != closed {
		t.Errorf("%d <details> but %d </details>", open, closed)
	}
	if !strings.Contains(md, "left out: the job summary must stay under 1 MiB") {
		t.Errorf("the summary does not say rows were left out")
	}
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "|") && !strings.HasSuffix(line, "|") {
			t.Fatalf("a table row was cut: %q", line)
		}
	}

	small := Summary(r, SummaryOptions{Limit: 4000})
	if len(small) > 4000 || !strings.HasPrefix(small, "## ❌") {
		t.Errorf("with a 4000-byte limit: %d bytes: %.200q", len(small), small)
	}
}

// TestSummaryLimitKeepsModels: when a long history fills the summary, the
// models drift is still shown, and the summary names the sections it left
// out rather than ending early without a word.
func TestSummaryLimitKeepsModels(t *testing.T) {
	r := summaryReport(0)
	r.Run.Changed, r.Run.Replayed = nil, nil
	r.Migrations = nil
	for i := range 300 {
		id := fmt.Sprintf("%06d", i+1)
		r.Migrations = append(r.Migrations, Migration{ID: id, Name: "m", Up: "db/" + id + ".up.sql"})
		r.Run.Changed = append(r.Run.Changed, id)
		for j := range 40 {
			r.Findings = append(r.Findings, finding.Finding{Rule: "add-column-rewrite", Severity: finding.Error, Phase: finding.Lint, Migration: id,
				Location: finding.Location{File: "db/" + id + ".up.sql", Line: j + 1}, Message: strings.Repeat("x", 60)})
		}
	}
	r.Findings = append(r.Findings, finding.Finding{Rule: "models-drift", Severity: finding.Error, Phase: finding.Models,
		Location: finding.Location{File: "models.py", Line: 3}, Message: "column users.nick is in the models, not in the migrations"})
	md := Summary(r, SummaryOptions{Limit: 200 << 10})
	if len(md) > 200<<10 {
		t.Fatalf("summary is %d bytes, over the limit", len(md))
	}
	if !strings.Contains(md, "### Models") || !strings.Contains(md, "users.nick") {
		t.Errorf("the models drift was pushed out of the summary")
	}
	if !strings.Contains(md, "*Left out, for the job summary must stay under 1 MiB: migrations 0000") || !strings.Contains(md, " to 000300, all findings.") {
		t.Errorf("the summary does not name the sections it left out:\n%s", md[len(md)-2000:])
	}
}

// TestSummarySyntaxErrorFailsTheReplay: check reports a statement that
// does not parse once, as the lint's syntax-error; the replay column
// still says the up failed.
func TestSummarySyntaxErrorFailsTheReplay(t *testing.T) {
	r := summaryReport(0)
	r.Findings = append(r.Findings, finding.Finding{Rule: "syntax-error", Severity: finding.Error, Phase: finding.Lint, Migration: "2", Direction: finding.Up,
		Location: finding.Location{File: "db/2_orders.up.sql", Line: 1, Column: 8}, Message: `syntax error at or near "TABEL"`})
	if md := Summary(r, SummaryOptions{}); !strings.Contains(md, "| 2 orders | 1 | — | — | ❌ up fails · not run · not run |") {
		t.Errorf("the replay column does not say the up failed:\n%s", md)
	}
}

// TestSummaryModelsGetWhatIsLeft: a long drift is shown whole when the
// rest of the summary leaves room for it, beyond the quarter it is sure of.
func TestSummaryModelsGetWhatIsLeft(t *testing.T) {
	r := summaryReport(0)
	for i := range 3000 {
		r.Findings = append(r.Findings, finding.Finding{Rule: "models-drift", Severity: finding.Error, Phase: finding.Models,
			Location: finding.Location{File: "models.py", Line: i + 1}, Message: fmt.Sprintf("column users.c%04d is in the models, not in the migrations", i)})
	}
	md := Summary(r, SummaryOptions{})
	if len(md) > SummaryLimit {
		t.Fatalf("summary is %d bytes, over the limit", len(md))
	}
	if !strings.Contains(md, "users.c2999") || strings.Contains(md, "differences left out") {
		t.Errorf("the drift was cut though the summary had room (%d bytes)", len(md))
	}
}

func TestSummaryPasses(t *testing.T) {
	r := &Report{Migrations: []Migration{{ID: "1", Name: "a", Up: "a.sql"}}, Run: &Run{Command: "lint", FailOn: "error"},
		Findings: []finding.Finding{{Rule: "prefer-text", Severity: finding.Notice, Phase: finding.Lint, Migration: "1", Location: finding.Location{File: "a.sql", Line: 1}, Message: "m"}}}
	md := Summary(r, SummaryOptions{})
	if !strings.HasPrefix(md, "## ✅ schemagate: 1 notice\n\n**This change passes** (`fail-on: error`).") {
		t.Errorf("%s", md)
	}
	if strings.Contains(md, "### Models") || strings.Contains(md, "replay") {
		t.Errorf("lint summary speaks of the replay or models:\n%s", md)
	}
}

// TestSummaryNotes: objects the models name otherwise are one collapsed
// line under Models, whether or not there is drift, and no finding.
func TestSummaryNotes(t *testing.T) {
	r := summaryReport(0)
	r.Run.Timings = append(r.Run.Timings, Timing{Phase: "models", Took: Duration(time.Second)})
	r.Notes = []Note{{Phase: finding.Models, Kind: "foreign key", Table: "orders", Migrations: "orders_user_id_fkey", Models: "fk_orders_user_id_users",
		Message: "foreign key orders_user_id_fkey on orders is named fk_orders_user_id_users in the models (same definition)"}}
	for _, drift := range []bool{false, true} {
		if drift {
			r.Findings = []finding.Finding{{Rule: "models-drift", Severity: finding.Error, Phase: finding.Models,
				Location: finding.Location{File: "schema.sql", Line: 3}, Message: "column users.email: in models, not created by any migration"}}
		}
		md := Summary(r, SummaryOptions{})
		want := "<details><summary>1 object named otherwise in the models, with the same definition: not drift</summary>\n\n" +
			"- foreign key orders_user_id_fkey on orders is named fk_orders_user_id_users in the models (same definition)\n\n</details>\n"
		models := md[strings.Index(md, "### Models"):]
		if !strings.Contains(models, want) {
			t.Errorf("drift %v: the Models section lacks\n%s\nin:\n%s", drift, want, md)
		}
	}
}

// TestSummaryTransactionControl: the BEGIN and COMMIT that Alembic emits
// around a revision get no row of their own when nothing is on them.
func TestSummaryTransactionControl(t *testing.T) {
	r := summaryReport(0)
	r.Statements = append([]Statement{{Migration: "2", File: "db/2_orders.up.sql", Line: 1, Statement: "BEGIN", LocksObserved: true}},
		append(r.Statements, Statement{Migration: "2", File: "db/2_orders.up.sql", Line: 1, Statement: "COMMIT", LocksObserved: true})...)
	md := Summary(r, SummaryOptions{})
	if strings.Contains(md, "<code>BEGIN</code>") || strings.Contains(md, "<code>COMMIT</code>") {
		t.Errorf("transaction control has rows:\n%s", md)
	}
	if !strings.Contains(md, "<code>ALTER TABLE users &#124; x ADD COLUMN y int</code>") {
		t.Errorf("the statement lost its row:\n%s", md)
	}
}
