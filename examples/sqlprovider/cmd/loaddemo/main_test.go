package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/valuepath/valuepath/examples/sqlprovider"
)

func TestLoadDemoWritesADatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	var out bytes.Buffer
	if err := run(ctx, &out, []string{"-db", path, "-accounts", "3", "-seed", "7"}); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`wrote .*demo\.db: 3 accounts, 8 metrics, \d+ samples, \d+ events`).MatchString(out.String()) {
		t.Errorf("output:\n%s", out.String())
	}
	p, err := sqlprovider.Open(ctx, path, sqlprovider.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	as, err := p.Accounts(ctx)
	if err != nil || len(as) != 3 {
		t.Errorf("the file holds %d accounts, %v; want 3", len(as), err)
	}
	// A second run must not overwrite the file.
	if err := run(ctx, &out, []string{"-db", path, "-accounts", "3"}); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("second run over the same file: %v", err)
	}
}

func TestLoadDemoRejectsBadFlags(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "-db"},
		{[]string{"-db", filepath.Join(dir, "a.db"), "-accounts", "0"}, "-accounts"},
		{[]string{"-db", filepath.Join(dir, "a.db"), "extra"}, "unexpected argument"},
		{[]string{"-accounts", "x"}, "invalid value"},
		{[]string{"-db", filepath.Join(dir, "missing", "a.db")}, "no such file or directory"},
	} {
		var out bytes.Buffer
		err := run(context.Background(), &out, c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("run(%q): %v, want an error mentioning %s", c.args, err, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "a.db")); !os.IsNotExist(err) {
		t.Errorf("a rejected run left a file behind: %v", err)
	}
}
