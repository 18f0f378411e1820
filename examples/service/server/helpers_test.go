package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/engagement"
	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/examples/service/server"
)

// The demo base the tests run on: small enough to generate in a few
// milliseconds, large enough to hold every segment and fate.
var (
	baseOnce sync.Once
	testBase *demo.Base
)

func base(tb testing.TB) *demo.Base {
	tb.Helper()
	baseOnce.Do(func() {
		b, err := demo.Generate(demo.Config{Accounts: 60, Seed: 1})
		if err != nil {
			panic(err)
		}
		testBase = b
	})
	return testBase
}

func infos(b *demo.Base) []server.AccountInfo {
	out := make([]server.AccountInfo, len(b.Accounts))
	for i, a := range b.Accounts {
		out[i] = server.AccountInfo{ID: a.ID, Name: a.Name, Segment: a.Segment, TimeZone: a.TimeZone, Start: a.Start}
	}
	return out
}

// config returns the demo configuration over provider p (the demo's when
// nil).
func config(tb testing.TB, p valuepath.Provider) server.Config {
	b := base(tb)
	if p == nil {
		p = b.Provider
	}
	return server.Config{
		Provider:      p,
		Accounts:      infos(b),
		Derivations:   demo.AllDerivations(),
		Scorecard:     demo.Scorecard(),
		Effectiveness: demo.EffectivenessModel(),
		Engagement:    demo.EngagementCatalog(),
		DefaultAsOf:   b.AsOf,
	}
}

func newServer(tb testing.TB, cfg server.Config) *server.Server {
	tb.Helper()
	s, err := server.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// activeIDs returns the ids of the accounts active at the demo's asOf.
func activeIDs(tb testing.TB) []valuepath.AccountID {
	var ids []valuepath.AccountID
	for _, a := range base(tb).Accounts {
		if a.Active() {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

// do serves one request through h and returns the status and body.
func do(tb testing.TB, h http.Handler, method, target string, body io.Reader, header ...string) (int, []byte) {
	tb.Helper()
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		tb.Errorf("%s %s: Content-Type %q, want application/json", method, target, ct)
	}
	return rec.Code, rec.Body.Bytes()
}

// post posts a JSON body to /v1/score.
func post(tb testing.TB, h http.Handler, body string) (int, []byte) {
	tb.Helper()
	return do(tb, h, http.MethodPost, "/v1/score", strings.NewReader(body), "Content-Type", "application/json")
}

// decodeError decodes an error body strictly.
func decodeError(tb testing.TB, body []byte) server.Error {
	tb.Helper()
	var e server.ErrorBody
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		tb.Fatalf("error body %s: %v", body, err)
	}
	return e.Error
}

// gated is a Provider that blocks every call for the accounts in block
// until release is closed or ctx is done, and reports each blocked call on
// entered. It wraps the real demo provider.
type gated struct {
	valuepath.Provider
	block   map[valuepath.AccountID]bool
	entered chan valuepath.AccountID
	release chan struct{}
}

func (g *gated) wait(ctx context.Context, account valuepath.AccountID) error {
	if !g.block[account] {
		return nil
	}
	select {
	case g.entered <- account:
	default:
	}
	select {
	case <-g.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *gated) Series(ctx context.Context, account valuepath.AccountID, m valuepath.Metric, w valuepath.Interval) (valuepath.Series, error) {
	if err := g.wait(ctx, account); err != nil {
		return valuepath.Series{}, err
	}
	return g.Provider.Series(ctx, account, m, w)
}

func (g *gated) Events(ctx context.Context, account valuepath.AccountID, w valuepath.Interval) (valuepath.EventLog, error) {
	if err := g.wait(ctx, account); err != nil {
		return valuepath.EventLog{}, err
	}
	return g.Provider.Events(ctx, account, w)
}

// eventually retries cond for up to d.
func eventually(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// jsonMap round-trips v through JSON into a generic map, to compare JSON
// documents whatever Go types made them.
func jsonMap(tb testing.TB, v any) map[string]any {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatal(err)
	}
	return m
}

func engagementAccount(a demo.Account, log valuepath.EventLog, snap *valuepath.Snapshot) engagement.Input {
	return engagement.Input{ID: a.ID, Segment: a.Segment, TimeZone: a.TimeZone, Start: a.Start, Events: log, Snapshot: snap}
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
