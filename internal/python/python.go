// Package python finds a Python 3 interpreter that can import what one of
// schemagate's embedded helper scripts needs (SQLAlchemy, Alembic,
// psycopg2), and runs such scripts.
//
// The helpers are Python source kept in the Go binary (go:embed) beside
// the Go code that uses them; they are written to a temporary file and run
// with the interpreter found here, so nothing is installed.
package python

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Interpreter is a Python 3 that imports the modules it was found for.
type Interpreter struct {
	// Path is the executable.
	Path string
	// Version is what the interpreter says of itself: "3.11.2".
	Version string
}

// candidates are the interpreters tried, in order, when none is named: the
// first python3 on PATH, then the system's, which on Debian and Ubuntu is
// the one that sees python3-sqlalchemy and python3-alembic even when a
// pyenv or virtualenv python3 comes first on PATH.
var candidates = []string{"python3", "python", "/usr/bin/python3", "/usr/local/bin/python3"}

// MissingError says that no interpreter could import what a helper needs.
type MissingError struct {
	// Explicit is the interpreter the user named, "" when none was.
	Explicit string
	// Tried lists each interpreter tried and why it did not do.
	Tried []string
	// Modules are the modules that were needed.
	Modules []string
}

func (e *MissingError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "no Python 3 that can import %s", strings.Join(e.Modules, ", "))
	if len(e.Tried) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(e.Tried, "; "))
	}
	b.WriteString(": install them into your Python (pip install ")
	b.WriteString(strings.Join(pipNames(e.Modules), " "))
	b.WriteString(", or on Debian and Ubuntu apt-get install ")
	b.WriteString(strings.Join(debNames(e.Modules), " "))
	b.WriteString(")")
	if e.Explicit == "" {
		b.WriteString(", or name the interpreter that has them with --python")
	}
	return b.String()
}

func pipNames(mods []string) []string {
	out := make([]string, len(mods))
	for i, m := range mods {
		switch m {
		case "psycopg2":
			out[i] = "psycopg2-binary"
		default:
			out[i] = m
		}
	}
	return out
}

func debNames(mods []string) []string {
	out := make([]string, len(mods))
	for i, m := range mods {
		out[i] = "python3-" + m
	}
	return out
}

// Find returns the first interpreter that imports every module in modules:
// explicit when it is not "" (the --python flag), else the first of the
// usual candidates that does.
func Find(ctx context.Context, explicit string, modules ...string) (*Interpreter, error) {
	list := candidates
	if explicit != "" {
		list = []string{explicit}
	}
	miss := &MissingError{Explicit: explicit, Modules: modules}
	seen := map[string]bool{}
	for _, c := range list {
		path, err := exec.LookPath(c)
		if err != nil {
			if explicit != "" {
				miss.Tried = append(miss.Tried, fmt.Sprintf("%s: not found", c))
			}
			continue
		}
		// Helpers run in the project's directory: "./venv/bin/python"
		// must still name this interpreter there.
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		if real, err := filepath.EvalSymlinks(path); err == nil {
			if seen[real] {
				continue
			}
			seen[real] = true
		}
		version, err := probe(ctx, path, modules)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			miss.Tried = append(miss.Tried, fmt.Sprintf("%s: %v", path, err))
			continue
		}
		return &Interpreter{Path: path, Version: version}, nil
	}
	if len(miss.Tried) == 0 {
		miss.Tried = append(miss.Tried, "no python3 on PATH")
	}
	return nil, miss
}

// probe imports modules with the interpreter at path and returns its
// version.
func probe(ctx context.Context, path string, modules []string) (string, error) {
	var src strings.Builder
	src.WriteString("import sys\n")
	src.WriteString("if sys.version_info < (3, 7): sys.exit('Python %d.%d is too old: schemagate needs 3.7 or later' % sys.version_info[:2])\n")
	src.WriteString("missing = []\n")
	for _, m := range modules {
		fmt.Fprintf(&src, "try:\n    import %s\nexcept Exception as e:\n    missing.append('%s (%%s)' %% e)\n", m, m)
	}
	src.WriteString("if missing: sys.exit('cannot import ' + ', '.join(missing))\n")
	src.WriteString("print('%d.%d.%d' % sys.version_info[:3])\n")
	cmd := exec.CommandContext(ctx, path, "-c", src.String())
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		if msg == "" {
			msg = err.Error()
		}
		return "", errors.New(msg)
	}
	return strings.TrimSpace(stdout.String()), nil
}

// Run runs script (Python source) with args. Dir is its working directory
// and is put first on sys.path, so that the user's project imports as it
// does for its own tools; env is added to the environment.
type Run struct {
	// Script is the helper's source; Name its file name, shown in
	// tracebacks.
	Script []byte
	Name   string
	Args   []string
	Dir    string
	Env    []string
}

// Result is what a script printed.
type Result struct {
	Stdout, Stderr []byte
}

// ScriptError is a helper that exited with an error; Stderr holds what it
// printed (a traceback, usually).
type ScriptError struct {
	Name   string
	Err    error
	Stderr string
}

func (e *ScriptError) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		return fmt.Sprintf("%s: %v", e.Name, e.Err)
	}
	return fmt.Sprintf("%s: %v:\n%s", e.Name, e.Err, msg)
}

func (e *ScriptError) Unwrap() error { return e.Err }

// Run runs r and returns what it printed; a non-zero exit is a
// *ScriptError.
func (in *Interpreter) Run(ctx context.Context, r Run) (*Result, error) {
	tmp, err := os.MkdirTemp("", "schemagate-py-")
	if err != nil {
		return nil, fmt.Errorf("python helper: %w", err)
	}
	defer os.RemoveAll(tmp)
	name := r.Name
	if name == "" {
		name = "schemagate_helper.py"
	}
	path := filepath.Join(tmp, name)
	if err := os.WriteFile(path, r.Script, 0o600); err != nil {
		return nil, fmt.Errorf("python helper: %w", err)
	}
	cmd := exec.CommandContext(ctx, in.Path, append([]string{path}, r.Args...)...)
	cmd.Dir = r.Dir
	env := append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1")
	if r.Dir != "" {
		abs, err := filepath.Abs(r.Dir)
		if err == nil {
			pp := abs
			if old := os.Getenv("PYTHONPATH"); old != "" {
				pp += string(os.PathListSeparator) + old
			}
			env = append(env, "PYTHONPATH="+pp)
		}
	}
	cmd.Env = append(env, r.Env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	res := &Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	if err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		return res, &ScriptError{Name: name, Err: err, Stderr: stderr.String()}
	}
	return res, nil
}
