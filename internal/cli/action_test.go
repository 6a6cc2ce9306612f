package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

// actionYAML is what the tests read of action.yml.
type actionYAML struct {
	Name     string
	Branding map[string]string
	Inputs   map[string]struct {
		Description string
		Default     yaml.Node
	}
	Outputs map[string]struct{ Description string }
	Runs    struct{ Using, Image string }
}

func readActionYAML(t *testing.T) actionYAML {
	t.Helper()
	b, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a actionYAML
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

// flagSets are the flags lint and check really have: the same register
// functions the commands use.
func flagSets() (lint, check *pflag.FlagSet) {
	lint = newFlagSet("lint", "", os.Stderr)
	(&common{}).register(lint)
	check = newFlagSet("check", "", os.Stderr)
	(&common{}).register(check)
	(&checkFlags{}).register(check)
	return lint, check
}

// TestActionYAML keeps action.yml and the binary from drifting apart: every
// input is a flag of check (and of lint unless check-only) or one of the
// Action's own inputs, with a string default that means what the flag's
// default means; the outputs are the ones the Action writes.
func TestActionYAML(t *testing.T) {
	a := readActionYAML(t)
	if a.Name == "" || a.Branding["icon"] == "" || a.Branding["color"] == "" {
		t.Errorf("action.yml needs a name and branding (icon, color): %+v", a)
	}
	if a.Runs.Using != "docker" || a.Runs.Image != "Dockerfile" {
		t.Errorf("runs = %+v, want the Docker image built from Dockerfile", a.Runs)
	}

	var inputs []string
	for name := range a.Inputs {
		inputs = append(inputs, name)
	}
	want := append(slices.Clone(actionFlags), actionOwnInputs...)
	sort.Strings(inputs)
	sort.Strings(want)
	if !slices.Equal(inputs, want) {
		t.Errorf("action.yml inputs\n%v\nwant (actionFlags and actionOwnInputs)\n%v", inputs, want)
	}

	lint, check := flagSets()
	for _, name := range actionFlags {
		f := check.Lookup(name)
		if f == nil {
			t.Errorf("input %s: check has no flag --%s", name, name)
			continue
		}
		if inLint := lint.Lookup(name) != nil; inLint == checkOnly[name] {
			t.Errorf("input %s: lint has the flag: %v, but checkOnly says %v", name, inLint, checkOnly[name])
		}
		in, ok := a.Inputs[name]
		if !ok {
			continue
		}
		def := in.Default
		if def.Kind != yaml.ScalarNode || def.Tag != "!!str" {
			t.Errorf("input %s: default %q is not a string (tag %s): the runner passes strings", name, def.Value, def.Tag)
		}
		// An empty default leaves the flag unset; migration-format auto
		// is left out by the Action too. Any other default must be the
		// flag's own.
		// The value is parsed as the flag parses it ("60s" is "1m0s").
		switch {
		case def.Value == "":
		case name == "migration-format" && def.Value == "auto":
		default:
			if err := f.Value.Set(def.Value); err != nil {
				t.Errorf("input %s: default %q is not a valid --%s: %v", name, def.Value, name, err)
			} else if f.Value.String() != f.DefValue {
				t.Errorf("input %s: default %q, but --%s defaults to %q", name, def.Value, name, f.DefValue)
			}
		}
	}
	for name, in := range a.Inputs {
		if in.Description == "" {
			t.Errorf("input %s has no description", name)
		}
	}

	var outputs []string
	for name, out := range a.Outputs {
		outputs = append(outputs, name)
		if out.Description == "" {
			t.Errorf("output %s has no description", name)
		}
	}
	sort.Strings(outputs)
	wantOut := slices.Clone(actionOutputs)
	sort.Strings(wantOut)
	if !slices.Equal(outputs, wantOut) {
		t.Errorf("action.yml outputs %v, want %v", outputs, wantOut)
	}
}

// TestPipInstall installs a requirements file into the Python the helpers
// use, and on failure shows pip's own words. No index is reachable here:
// PIP_NO_INDEX makes pip say so at once instead of retrying.
func TestPipInstall(t *testing.T) {
	t.Setenv("PIP_NO_INDEX", "1")
	dir := t.TempDir()
	empty := filepath.Join(dir, "requirements.txt")
	if err := os.WriteFile(empty, []byte("# nothing to install\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if err := pipInstall(context.Background(), empty, &log); err != nil {
		t.Fatalf("pip install of an empty requirements file: %v", err)
	}
	if !strings.Contains(log.String(), "installed the requirements of "+empty) {
		t.Errorf("log: %s", log.String())
	}

	missing := filepath.Join(dir, "missing.txt")
	if err := os.WriteFile(missing, []byte("schemagate-no-such-package==1.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := pipInstall(context.Background(), missing, &log)
	if err == nil || !strings.Contains(err.Error(), "No matching distribution found for schemagate-no-such-package==1.0") ||
		!strings.Contains(err.Error(), "pip install -r "+missing+" failed") {
		t.Errorf("err = %v, want pip's output", err)
	}

	if err := pipInstall(context.Background(), filepath.Join(dir, "nope.txt"), &log); err == nil || !strings.Contains(err.Error(), "input requirements") {
		t.Errorf("a requirements file that is not there: %v", err)
	}
}

func TestPullRequestBase(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, payload, want string }{
		{"pull_request", `{"action":"opened","pull_request":{"number":1,"base":{"ref":"main","sha":"0123456789abcdef0123456789abcdef01234567"},"head":{"sha":"fedc"}}}`, "0123456789abcdef0123456789abcdef01234567"},
		{"merge_group", `{"action":"checks_requested","merge_group":{"head_sha":"cccc","base_sha":"dddd","base_ref":"refs/heads/main"}}`, "dddd"},
		{"push", `{"ref":"refs/heads/main","before":"aaaa","after":"bbbb"}`, ""},
	} {
		p := filepath.Join(dir, tc.name+".json")
		if err := os.WriteFile(p, []byte(tc.payload), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Setenv("GITHUB_EVENT_PATH", p)
		got, err := pullRequestBase()
		if err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	t.Setenv("GITHUB_EVENT_PATH", filepath.Join(dir, "absent.json"))
	if got, err := pullRequestBase(); got != "" || err != nil {
		t.Errorf("no payload: %q, %v", got, err)
	}
	t.Setenv("GITHUB_BASE_REF", "main")
	if got, err := pullRequestBase(); got != "origin/main" || err != nil {
		t.Errorf("no payload, GITHUB_BASE_REF=main: %q, %v; want origin/main", got, err)
	}
	t.Setenv("GITHUB_BASE_REF", "")
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{"), 0o644)
	t.Setenv("GITHUB_EVENT_PATH", bad)
	if _, err := pullRequestBase(); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("a broken payload: %v", err)
	}
}
