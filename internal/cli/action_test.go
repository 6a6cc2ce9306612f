package cli

import (
	"os"
	"slices"
	"sort"
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
