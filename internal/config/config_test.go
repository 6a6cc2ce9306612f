package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func load(t *testing.T, text string) (*Config, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(path, func(string) bool { return true })
}

func TestModelsIgnore(t *testing.T) {
	c, err := load(t, "models:\n  ignore:\n    - audit_log\n    - \"reporting.*\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"audit_log", "reporting.*"}, c.Models.Ignore); diff != "" {
		t.Errorf("models.ignore (-want +got):\n%s", diff)
	}
	if _, err := load(t, "models:\n  ignore: [\"users.[a\"]\n"); err == nil || !strings.Contains(err.Error(), `models.ignore: bad pattern "users.[a"`) {
		t.Errorf("a bad pattern: got error %v", err)
	}
	if _, err := load(t, "models:\n  ignored: [x]\n"); err == nil {
		t.Error("a misspelt key under models: no error")
	}
}
