package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/examples/sqlprovider"
)

func TestRunServesAndShutsDown(t *testing.T) {
	dir := t.TempDir()
	// A valid model file replaces the demo's: the demo scorecard itself.
	sc := filepath.Join(dir, "scorecard.json")
	if err := os.WriteFile(sc, []byte(demo.HealthScorecardJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	got := serveAndGet(t, []string{"-accounts", "20", "-asof", "2026-10-01", "-scorecard", sc}, []string{"/v1/accounts/acct-0002/health"})
	if !strings.HasPrefix(got[0], "200 OK ") || !strings.Contains(got[0], `"as_of":"2026-10-01T00:00:00Z"`) {
		t.Errorf("health: %s; want 200 as of the -asof default", got[0])
	}
}

func TestRunRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badScorecard := write("bad-scorecard.json", `{"name": "x", "groups": [{"id": "g", "weight": -1, "measures": []}]}`)
	unknownField := write("eff.json", `{"name": "x", "phasez": []}`)
	badCatalog := write("eng.json", `[`)
	// A catalog without the demo's segments fails at start-up too.
	partial := write("partial.json", strings.Replace(demo.EngagementCatalogJSON, `"segment": "smb"`, `"segment": "tiny"`, 1))
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-scorecard", badScorecard}, "-scorecard: " + badScorecard},
		{[]string{"-scorecard", filepath.Join(dir, "missing.json")}, "no such file"},
		{[]string{"-effectiveness", unknownField}, "phasez"},
		{[]string{"-engagement", badCatalog}, "-engagement"},
		{[]string{"-engagement", partial}, `no engagement model for segment "smb"`},
		{[]string{"-asof", "tomorrow"}, "-asof"},
		{[]string{"-log", "loud"}, "-log"},
		{[]string{"-log", "requests", "-log-format", "yaml"}, "-log-format"},
		{[]string{"-accounts", "-5"}, "accounts"},
		{[]string{"-addr", "256.0.0.1:1"}, "256.0.0.1"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-db", filepath.Join(dir, "missing.db")}, "-db: "},
		{[]string{"-db", badCatalog}, "-db: "},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"-accounts", "5", "-addr", "127.0.0.1:0", "-log", "off"}, tt.args...), &out, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: err = %v, want it to mention %q", tt.args, err, tt.want)
		}
	}
}

// TestRunServesFromDatabase serves the same demo base once from memory and
// once from a SQLite file written by the sqlprovider example, and expects
// byte-identical answers.
func TestRunServesFromDatabase(t *testing.T) {
	ctx := context.Background()
	base, err := demo.Generate(demo.Config{Accounts: 6, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	p, err := sqlprovider.Create(ctx, path, sqlprovider.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlprovider.LoadDemo(ctx, p, base); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	paths := []string{"/v1/accounts/acct-0002/health", "/v1/accounts/acct-0003/effectiveness",
		"/v1/accounts/acct-0004/agenda", "/v1/health/distribution", "/v1/accounts/acct-0099/health"}
	fromMemory := serveAndGet(t, []string{"-accounts", "6", "-seed", "3"}, paths)
	fromDB := serveAndGet(t, []string{"-db", path}, paths)
	for i, path := range paths {
		if fromMemory[i] != fromDB[i] {
			t.Errorf("GET %s differs:\nmemory:   %s\ndatabase: %s", path, fromMemory[i], fromDB[i])
		}
	}
	if !strings.Contains(fromDB[0], `"account":"acct-0002"`) || !strings.Contains(fromDB[4], "404") {
		t.Errorf("unexpected answers from the database: %q, %q", fromDB[0], fromDB[4])
	}
}

// serveAndGet runs the command with args, GETs each path, stops it, and
// returns each answer as "status body".
func serveAndGet(t *testing.T, args []string, paths []string) []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var logs bytes.Buffer
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-log", "off"}, args...), &logs, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run %v: %v\n%s", args, err, &logs)
	case <-time.After(20 * time.Second):
		t.Fatalf("run %v: the server did not start", args)
	}
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	var out []string
	for _, path := range paths {
		resp, err := client.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, resp.Status+" "+string(body))
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run %v after shutdown: %v", args, err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("run %v did not return after its context was cancelled", args)
	}
	return out
}
