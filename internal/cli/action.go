package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"

	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/history"
	"github.com/schemagate/schemagate/internal/python"
	"github.com/schemagate/schemagate/internal/report"
)

// actionFlags maps the Action's inputs to the flags of lint and check: each
// input is the long flag name without "--". action.yml declares exactly
// these inputs and actionOwnInputs (TestActionYAML).
var actionFlags = []string{
	"migration-format", "config", "fail-on", "pg-version", "changed-since",
	// check only:
	"db", "image", "models-sql", "models-cmd", "models-sqlalchemy", "statement-timeout",
}

// actionOwnInputs are the inputs that are not flags.
var actionOwnInputs = []string{"command", "migrations", "requirements", "sarif-file"}

// actionOutputs are the outputs the Action sets, as action.yml declares them.
var actionOutputs = []string{"errors", "warnings", "notices", "report-json", "sarif-file"}

var checkOnly = map[string]bool{
	"db": true, "image": true, "models-sql": true, "models-cmd": true, "models-sqlalchemy": true, "statement-timeout": true,
}

// reportFile is where the Action writes the JSON report, in the workspace.
const reportFile = "schemagate-report.json"

// input reads an Action input as the runner sets it: INPUT_ and the name in
// upper case, hyphens kept (INPUT_FAIL-ON).
func input(name string) string {
	return strings.TrimSpace(os.Getenv("INPUT_" + strings.ToUpper(name)))
}

// runAction is the Docker image's entry point. It turns the Action's inputs
// into a lint or check command line, runs it with a JSON report, and from
// that report writes the annotations (standard output), the job summary,
// the outputs, the JSON report and, when asked, SARIF into the workspace.
// It exits as lint or check would.
func runAction(ctx context.Context, stdout, stderr io.Writer) (int, error) {
	gh := githubactions.New(githubactions.WithWriter(stdout))
	command := input("command")
	if command == "" {
		command = "check"
	}
	var code int
	var err error
	if command != "check" && command != "lint" {
		code, err = ExitFailure, &usageError{fmt.Sprintf("input command: %q is neither check nor lint", command)}
		command = "" // the summary names no command that does not exist
	} else {
		var workspace string
		if workspace, err = enterWorkspace(); err == nil {
			code, err = action(ctx, command, workspace, gh, stdout, stderr)
		} else {
			code = ExitFailure
		}
	}
	if err != nil && os.Getenv("GITHUB_STEP_SUMMARY") != "" {
		// The red cross alone says nothing: say why in the summary too.
		if serr := safely(func() { gh.AddStepSummary(report.FailureSummary(command, err)) }); serr != nil {
			fmt.Fprintf(stderr, "schemagate: write the job summary: %v\n", serr)
		}
	}
	return code, err
}

// enterWorkspace makes GITHUB_WORKSPACE, when set and there, the working
// directory, so that relative inputs (migrations, config, models-sql,
// requirements) mean the same wherever the process was started: the runner
// starts the container in the workspace, but a workflow may override the
// working directory. It returns the workspace as an absolute path, "" when
// not set; a workspace that does not exist is left alone, as when run by
// hand.
func enterWorkspace() (string, error) {
	ws := os.Getenv("GITHUB_WORKSPACE")
	if ws == "" {
		return "", nil
	}
	abs, err := filepath.Abs(ws)
	if err != nil {
		return ws, nil
	}
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		return ws, nil
	}
	if err := os.Chdir(abs); err != nil {
		return "", fmt.Errorf("change into GITHUB_WORKSPACE %s: %w", abs, err)
	}
	return abs, nil
}

func action(ctx context.Context, command, workspace string, gh *githubactions.Action, stdout, stderr io.Writer) (int, error) {
	dir := input("migrations")
	// where git looks: the migrations, else the repository (the workspace
	// is the working directory).
	where := dir
	if where == "" {
		where = "."
	}
	if workspace != "" {
		trustWorkspace(workspace, dir)
	}
	// lint needs them too: reading Alembic revisions runs their Python.
	if req := input("requirements"); req != "" {
		if err := pipInstall(ctx, req, stderr); err != nil {
			return ExitFailure, err
		}
	}

	changedSince := input("changed-since")
	if changedSince == "" {
		base, err := pullRequestBase()
		if err != nil {
			return ExitFailure, err
		}
		changedSince = base
	}
	if changedSince != "" {
		fetched, err := history.Fetch(ctx, where, changedSince)
		if err != nil {
			return ExitFailure, err
		}
		if fetched {
			fmt.Fprintf(stderr, "fetched %s from origin: the checkout is shallow\n", changedSince)
		}
	}

	args := []string{"--output", "json"}
	for _, name := range actionFlags {
		v := input(name)
		if name == "changed-since" {
			v = changedSince
		}
		if v == "" || (command == "lint" && checkOnly[name]) {
			continue
		}
		if name == "migration-format" && v == "auto" {
			continue
		}
		args = append(args, "--"+name, v)
	}
	if dir != "" {
		args = append(args, dir)
	}
	fmt.Fprintf(stderr, "schemagate %s %s\n", command, strings.Join(args, " "))
	var out bytes.Buffer
	var code int
	var err error
	if command == "lint" {
		code, err = runLint(ctx, args, &out, stderr)
	} else {
		code, err = runCheck(ctx, args, &out, stderr)
	}
	if err != nil {
		return ExitFailure, err
	}
	rep, err := report.ReadJSON(bytes.NewReader(out.Bytes()))
	if err != nil {
		return ExitFailure, err
	}
	rep.Tool, rep.ToolVersion, rep.Rules = "schemagate", version(), reportRules()

	// Paths in the annotations, SARIF and the summary are relative to the
	// repository's root, which is the workspace unless the workflow checked
	// the repository out in a folder of it (actions/checkout's path).
	root := reportRoot(ctx, workspace, where)
	// The reports go into the workspace, where later steps (upload-sarif,
	// upload-artifact) find them.
	inWorkspace := func(p string) string {
		if workspace == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(workspace, p)
	}
	jsonPath := ""
	if workspace != "" { // not when run by hand, outside a runner
		jsonPath = reportFile
		if err := os.WriteFile(inWorkspace(reportFile), out.Bytes(), 0o644); err != nil {
			return ExitFailure, fmt.Errorf("write the JSON report: %w", err)
		}
	}
	sarifPath := input("sarif-file")
	if sarifPath != "" {
		if err := writeReportFile(inWorkspace(sarifPath), "sarif", rep, root); err != nil {
			return ExitFailure, err
		}
	}

	opts := report.Options{Root: root, SummaryURL: runURL()}
	if changedSince != "" {
		// Annotations on the lines the pull request changed go first:
		// GitHub shows those in the diff.
		if changes, err := history.Since(ctx, changedSince, where); err == nil {
			opts.InDiff = changes.LineChanged
		}
	}
	if err := report.Write(stdout, "github", rep, opts); err != nil {
		return ExitFailure, err
	}

	if os.Getenv("GITHUB_STEP_SUMMARY") != "" {
		md := report.Summary(rep, report.SummaryOptions{Root: root, ReportPath: jsonPath, SARIFPath: sarifPath})
		if err := safely(func() { gh.AddStepSummary(md) }); err != nil {
			return ExitFailure, fmt.Errorf("write the job summary: %w", err)
		}
	}
	if os.Getenv("GITHUB_OUTPUT") != "" {
		c := finding.Count(rep.Findings)
		outputs := map[string]string{
			"errors": strconv.Itoa(c.Errors), "warnings": strconv.Itoa(c.Warnings), "notices": strconv.Itoa(c.Notices),
			"report-json": jsonPath, "sarif-file": sarifPath,
		}
		err := safely(func() {
			for _, k := range actionOutputs {
				gh.SetOutput(k, outputs[k])
			}
		})
		if err != nil {
			return ExitFailure, fmt.Errorf("write the outputs: %w", err)
		}
	}
	return code, nil
}

// safely runs f, which writes with go-githubactions: the library panics
// when it cannot write a file command.
func safely(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	f()
	return nil
}

// writeReportFile writes rep in format to path.
func writeReportFile(path, format string, rep *report.Report, root string) error {
	var buf bytes.Buffer
	if err := report.Write(&buf, format, rep, report.Options{Root: root}); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write the %s report: %w", format, err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write the %s report: %w", format, err)
	}
	return nil
}

// pullRequestBase is the base commit of the pull request the workflow runs
// for (or of the merge queue's group), from the event payload; without a payload, the base branch the
// runner names (GITHUB_BASE_REF, set for pull request events only) as
// origin/<branch>; "" for other events.
func pullRequestBase() (string, error) {
	path := os.Getenv("GITHUB_EVENT_PATH")
	var b []byte
	var err error
	if path != "" {
		b, err = os.ReadFile(path)
	}
	if path == "" || errors.Is(err, os.ErrNotExist) {
		if base := os.Getenv("GITHUB_BASE_REF"); base != "" {
			return "origin/" + base, nil
		}
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the event payload: %w", err)
	}
	var event struct {
		PullRequest *struct {
			Base struct {
				SHA string `json:"sha"`
			} `json:"base"`
		} `json:"pull_request"`
		// A merge queue runs the required checks on merge_group events.
		MergeGroup *struct {
			BaseSHA string `json:"base_sha"`
		} `json:"merge_group"`
	}
	if err := json.Unmarshal(b, &event); err != nil {
		return "", fmt.Errorf("read the event payload %s: %w", path, err)
	}
	switch {
	case event.PullRequest != nil:
		return event.PullRequest.Base.SHA, nil
	case event.MergeGroup != nil:
		return event.MergeGroup.BaseSHA, nil
	}
	return "", nil
}

// runURL is the page of the workflow run, which shows the job summary.
func runURL() string {
	server, repo, id := os.Getenv("GITHUB_SERVER_URL"), os.Getenv("GITHUB_REPOSITORY"), os.Getenv("GITHUB_RUN_ID")
	if server == "" || repo == "" || id == "" {
		return ""
	}
	return server + "/" + repo + "/actions/runs/" + id
}

// trustWorkspace lets git work in the workspace. The checkout belongs to
// the runner's user on the host, the container runs as root, and git
// refuses a repository another user owns ("detected dubious ownership").
// safe.directory counts only in protected configuration, which includes
// the GIT_CONFIG_COUNT variables (the "command" scope): set there, it
// holds for the git commands this process runs and leaves the user's
// configuration alone. Every directory from the migrations up to the
// workspace is listed, since the repository may be checked out in a
// subdirectory (actions/checkout's path).
func trustWorkspace(workspace, dir string) {
	var dirs []string
	add := func(d string) {
		for _, p := range []string{d, realPath(d)} {
			if p != "" && !contains(dirs, p) {
				dirs = append(dirs, p)
			}
		}
	}
	add(workspace)
	if dir != "" {
		d := dir
		if !filepath.IsAbs(d) {
			d = filepath.Join(workspace, d)
		}
		for d = filepath.Clean(d); strings.HasPrefix(d, workspace+string(filepath.Separator)); d = filepath.Dir(d) {
			add(d)
		}
	}
	n, _ := strconv.Atoi(os.Getenv("GIT_CONFIG_COUNT"))
	for _, d := range dirs {
		os.Setenv(fmt.Sprintf("GIT_CONFIG_KEY_%d", n), "safe.directory")
		os.Setenv(fmt.Sprintf("GIT_CONFIG_VALUE_%d", n), d)
		n++
	}
	os.Setenv("GIT_CONFIG_COUNT", strconv.Itoa(n))
}

func realPath(p string) string {
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		return ""
	}
	return r
}

// pipInstall installs a requirements file into the Python that the models
// and Alembic helpers will use, and shows pip's output when it fails.
func pipInstall(ctx context.Context, req string, stderr io.Writer) error {
	if _, err := os.Stat(req); err != nil {
		return fmt.Errorf("input requirements: %w", err)
	}
	py, err := python.Find(ctx, "", "pip", "sqlalchemy")
	if err != nil {
		if py, err = python.Find(ctx, "", "pip"); err != nil {
			return fmt.Errorf("input requirements: %w", err)
		}
	}
	start := time.Now()
	cmd := exec.CommandContext(ctx, py.Path, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", req)
	// The image's Python is Debian's: pip refuses to install into it
	// (PEP 668) unless told that this is meant, which in a throwaway
	// container it is; and it warns about running as root, which GitHub
	// runs container actions as.
	cmd.Env = append(os.Environ(), "PIP_BREAK_SYSTEM_PACKAGES=1", "PIP_ROOT_USER_ACTION=ignore")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("input requirements: %s -m pip install -r %s failed (%v):\n%s", py.Path, req, err, bytes.TrimSpace(out))
	}
	fmt.Fprintf(stderr, "installed the requirements of %s into %s (Python %s) in %s\n", req, py.Path, py.Version, round(time.Since(start)))
	return nil
}
