package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMECommands runs every `go run ./examples/valuereport` command of
// this example's README and of the repository's, and checks that the
// report it writes has data in every section: the first report a new user
// opens shows what the report can do.
func TestREADMECommands(t *testing.T) {
	var cmds [][]string
	for _, readme := range []string{"README.md", filepath.Join("..", "..", "README.md")} {
		f, err := os.Open(readme)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "go run ./examples/valuereport")
			if !ok {
				continue
			}
			line, _, _ = strings.Cut(line, "#")
			line, _, _ = strings.Cut(line, ">")
			cmds = append(cmds, strings.Fields(line))
		}
		f.Close()
	}
	if len(cmds) < 3 {
		t.Fatalf("found %d commands in the READMEs, want at least 3", len(cmds))
	}
	for _, args := range cmds {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report.html")
			args = append([]string(nil), args...)
			for i := range args {
				if args[i] == "-out" && i+1 < len(args) {
					args[i+1] = out
				}
			}
			if err := run(context.Background(), args, io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}
			doc, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, bad := range []string{"no data yet", `class="no_data"`, `class="notice"`} {
				if bytes.Contains(doc, []byte(bad)) {
					t.Errorf("the report shows %s", bad)
				}
			}
			for what, want := range map[string]string{
				"the path to the next phase": "<h3>Your path to ",
				"the plan's table":           `<table class="plan">`,
				"what moves the score":       `<table class="drags">`,
				"what changed":               `<table class="moves">`,
				"a feel-good equivalent":     "<h3>Value you have received</h3>\n\n<p>From ",
				"an action equivalent":       "<h3>What you could do next</h3>\n\n<p>From ",
			} {
				if !bytes.Contains(doc, []byte(want)) {
					t.Errorf("the report lacks %s (%q)", what, want)
				}
			}
			if n := bytes.Count(doc, []byte("<svg")); n < 4 {
				t.Errorf("%d charts, want at least 4 (phases, two plan targets, health)", n)
			}
		})
	}
}
