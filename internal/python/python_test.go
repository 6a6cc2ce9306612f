package python

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestFindSystemPython(t *testing.T) {
	in, err := Find(context.Background(), "", "json")
	if err != nil {
		t.Fatalf("Find: %v", err)
	}
	if !strings.HasPrefix(in.Version, "3.") {
		t.Errorf("version %q, want 3.x", in.Version)
	}
}

func TestFindMissingModule(t *testing.T) {
	_, err := Find(context.Background(), "", "schemagate_no_such_module")
	var miss *MissingError
	if !errors.As(err, &miss) {
		t.Fatalf("err = %v, want *MissingError", err)
	}
	for _, want := range []string{"schemagate_no_such_module", "pip install", "--python"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestFindExplicitMissing(t *testing.T) {
	_, err := Find(context.Background(), "/nonexistent/python3", "json")
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/python3: not found") {
		t.Fatalf("err = %v, want it to name the missing interpreter", err)
	}
	if strings.Contains(err.Error(), "--python") {
		t.Errorf("error %q suggests --python though it was given", err)
	}
}

func TestRun(t *testing.T) {
	in, err := Find(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res, err := in.Run(context.Background(), Run{
		Script: []byte("import os, sys\nprint(sys.argv[1], os.environ['X'], sys.path[1] == os.getcwd())\n"),
		Args:   []string{"hello"}, Dir: dir, Env: []string{"X=y"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(res.Stdout)); got != "hello y True" {
		t.Errorf("stdout %q, want %q", got, "hello y True")
	}
	_, err = in.Run(context.Background(), Run{Script: []byte("raise SystemExit('boom')\n"), Name: "h.py"})
	var se *ScriptError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want a ScriptError saying boom", err)
	}
}
