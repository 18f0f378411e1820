package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/examples/service/server"
	"github.com/valuepath/valuepath/health"
)

// scoreBody is the body of the score endpoints.
type scoreBody struct {
	health.Score
	Draggers []health.MeasureScore `json:"draggers"`
}

// libraryScore is what the library says about id as of asOf.
func libraryScore(t *testing.T, id valuepath.AccountID, asOf time.Time) (*valuepath.Snapshot, *health.Score) {
	t.Helper()
	snap, err := demo.AllDerivations().Evaluate(context.Background(), base(t).Provider, id, asOf)
	if err != nil {
		t.Fatal(err)
	}
	score, err := demo.Scorecard().Score(snap)
	if err != nil {
		t.Fatal(err)
	}
	return snap, score
}

// nonNil makes nil slices empty, as the service writes them.
func nonNil(s *health.Score) {
	if s.Rules == nil {
		s.Rules = []health.RuleFiring{}
	}
	if s.Groups == nil {
		s.Groups = []health.GroupScore{}
	}
}

func TestHealthMatchesLibrary(t *testing.T) {
	s := newServer(t, config(t, nil))
	asOfs := []struct {
		param string
		at    time.Time
	}{
		{"", base(t).AsOf},
		{"?asOf=2026-06-15", time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)},
		{"?asOf=2026-09-01T12:30:00%2B02:00", time.Date(2026, 9, 1, 10, 30, 0, 0, time.UTC)},
	}
	bands := map[health.Band]int{}
	var ids []valuepath.AccountID
	for _, a := range base(t).Accounts {
		if a.Active() && a.Start.Before(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)) && len(ids) < 20 {
			ids = append(ids, a.ID)
		}
	}
	for _, id := range ids {
		for _, a := range asOfs {
			code, body := do(t, s, http.MethodGet, "/v1/accounts/"+string(id)+"/health"+a.param, nil)
			if code != http.StatusOK {
				t.Fatalf("%s%s: status %d: %s", id, a.param, code, body)
			}
			var got scoreBody
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			_, want := libraryScore(t, id, a.at)
			nonNil(want)
			if !got.AsOf.Equal(want.AsOf) {
				t.Errorf("%s%s: as_of %v, want %v", id, a.param, got.AsOf, want.AsOf)
			}
			got.AsOf = want.AsOf
			if diff := cmp.Diff(*want, got.Score); diff != "" {
				t.Errorf("%s%s: score differs from Scorecard.Score (-library +service):\n%s", id, a.param, diff)
			}
			if diff := cmp.Diff(want.Draggers(3), got.Draggers); diff != "" && !(len(got.Draggers) == 0 && len(want.Draggers(3)) == 0) {
				t.Errorf("%s%s: draggers (-library +service):\n%s", id, a.param, diff)
			}
			bands[got.Band]++
		}
	}
	if len(bands) < 2 {
		t.Errorf("every score fell in one band (%v): the test does not cover much", bands)
	}
}

func TestEffectivenessMatchesLibrary(t *testing.T) {
	s := newServer(t, config(t, nil))
	model := demo.EffectivenessModel()
	d := demo.AllDerivations()
	assessor, err := model.Bind(d.Schema(), effectiveness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	levels := map[int]int{}
	for _, id := range activeIDs(t)[:15] {
		code, body := do(t, s, http.MethodGet, "/v1/accounts/"+string(id)+"/effectiveness", nil)
		if code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", id, code, body)
		}
		snap, err := d.Evaluate(context.Background(), base(t).Provider, id, base(t).AsOf)
		if err != nil {
			t.Fatal(err)
		}
		a, err := assessor.Assess(snap)
		if err != nil {
			t.Fatal(err)
		}
		want := jsonMap(t, a)
		got := jsonMap(t, json.RawMessage(body))
		if got["model"] != model.Name() {
			t.Errorf("%s: model %v, want %q", id, got["model"], model.Name())
		}
		wantName := "not yet started"
		if a.Level > 0 {
			wantName = model.Phase(a.Level).Name
		}
		if got["phase_name"] != wantName {
			t.Errorf("%s: phase_name %v, want %q", id, got["phase_name"], wantName)
		}
		delete(got, "model")
		delete(got, "phase_name")
		delete(got, "next_phase_name")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: assessment differs (-library +service):\n%s", id, diff)
		}
		levels[a.Level]++
	}
	if len(levels) < 2 {
		t.Errorf("every account on one level (%v): the test does not cover much", levels)
	}
}

func TestAgendaMatchesLibrary(t *testing.T) {
	s := newServer(t, config(t, nil))
	b := base(t)
	cat := demo.EngagementCatalog()
	d := demo.AllDerivations()
	segments := map[string]bool{}
	for _, a := range b.Accounts[:20] {
		code, body := do(t, s, http.MethodGet, "/v1/accounts/"+string(a.ID)+"/agenda", nil)
		if code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", a.ID, code, body)
		}
		log, err := b.Provider.Events(context.Background(), a.ID, valuepath.Interval{End: b.AsOf})
		if err != nil {
			t.Fatal(err)
		}
		snap, err := d.Evaluate(context.Background(), b.Provider, a.ID, b.AsOf)
		if err != nil && !strings.Contains(err.Error(), valuepath.ErrNoData.Error()) {
			t.Fatal(err)
		}
		m, _ := cat.Model(a.Segment)
		ag, err := m.Agenda(engagementAccount(a, log, snap), b.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(jsonMap(t, ag), jsonMap(t, json.RawMessage(body))); diff != "" {
			t.Errorf("%s: agenda differs (-library +service):\n%s", a.ID, diff)
		}
		if len(ag.Items) == 0 {
			t.Errorf("%s: empty agenda", a.ID)
		}
		segments[a.Segment] = true
	}
	if len(segments) < 2 {
		t.Errorf("only segments %v covered", segments)
	}
}

func TestDistributionMatchesLibrary(t *testing.T) {
	s := newServer(t, config(t, nil))
	b := base(t)
	sc := demo.Scorecard()
	d := demo.AllDerivations()
	early := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) // some accounts have no data yet
	noData := 0
	for _, c := range []struct {
		segment string
		asOf    time.Time
	}{{"", b.AsOf}, {demo.SMB, b.AsOf}, {demo.Enterprise, b.AsOf}, {"", early}} {
		var scores []*health.Score
		for _, a := range b.Accounts {
			if c.segment != "" && a.Segment != c.segment {
				continue
			}
			snap, err := d.Evaluate(context.Background(), b.Provider, a.ID, c.asOf)
			if errors.Is(err, valuepath.ErrNoData) {
				scores = append(scores, &health.Score{Account: a.ID}) // not present, as /health answers 422
				noData++
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			score, err := sc.Score(snap)
			if err != nil {
				t.Fatal(err)
			}
			scores = append(scores, score)
		}
		want, err := sc.Distribution(scores, health.DistributionOptions{Bins: 10})
		if err != nil {
			t.Fatal(err)
		}
		target := "/v1/health/distribution?bins=10&asOf=" + c.asOf.Format(time.DateOnly)
		if c.segment != "" {
			target += "&segment=" + c.segment
		}
		for range 2 { // the second answer comes from the cache
			code, body := do(t, s, http.MethodGet, target, nil)
			if code != http.StatusOK {
				t.Fatalf("%s: status %d: %s", target, code, body)
			}
			var got server.DistributionResponse
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if got.Accounts != len(scores) || got.Segment != c.segment || !got.AsOf.Equal(c.asOf) || got.Scorecard != sc.Hash() {
				t.Errorf("%s: header %d %q %v %q, want %d %q %v %q", target, got.Accounts, got.Segment, got.AsOf, got.Scorecard, len(scores), c.segment, c.asOf, sc.Hash())
			}
			if diff := cmp.Diff(want, got.Distribution); diff != "" {
				t.Errorf("%s: distribution differs (-library +service):\n%s", target, diff)
			}
		}
		if want.Count == 0 || len(want.AtRisk.Accounts)+len(want.Advocates.Accounts) == 0 {
			t.Errorf("%s: degenerate distribution %+v", target, want)
		}
	}
	if noData == 0 {
		t.Error("no account without data as of 2025-06-01: the unavailable path is not covered")
	}
}

func TestScorePostMatchesLibrary(t *testing.T) {
	s := newServer(t, config(t, nil))
	sc := demo.Scorecard()
	for _, id := range activeIDs(t)[:10] {
		snap, _ := libraryScore(t, id, base(t).AsOf)
		values := map[string]float64{}
		for _, m := range sc.Metrics() {
			if v, ok := snap.Value(m); ok {
				values[string(m)] = v
			}
		}
		body, _ := json.Marshal(map[string]any{"account": "posted-" + string(id), "asOf": "2026-10-01", "values": values})
		code, resp := post(t, s, string(body))
		if code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", id, code, resp)
		}
		var got scoreBody
		if err := json.Unmarshal(resp, &got); err != nil {
			t.Fatal(err)
		}
		// The posted snapshot holds the same values on another schema, so
		// the score must be the same but for the account and time.
		want, err := sc.Score(snap)
		if err != nil {
			t.Fatal(err)
		}
		nonNil(want)
		want.Account, want.AsOf = "posted-"+id, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
		if diff := cmp.Diff(*want, got.Score); diff != "" {
			t.Errorf("%s: posted score differs (-library +service):\n%s", id, diff)
		}
	}
}

func TestErrors(t *testing.T) {
	cfg := config(t, nil)
	cfg.Limits.MaxBodyBytes = 1 << 10
	s := newServer(t, cfg)
	first := base(t).Accounts[0]
	// An account whose contract started after 2025-06-01, for asOf before
	// its data.
	var young demo.Account
	for _, a := range base(t).Accounts {
		if a.Start.After(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)) && a.Active() {
			young = a
			break
		}
	}
	if young.ID == "" {
		t.Fatal("no account started after 2025-06-01")
	}
	good := `{"account":"a","values":{"seat_utilisation":0.5}}`
	tests := []struct {
		name, method, target, body, ctype string
		status                            int
		code, field                       string
	}{
		{"unknown account", "GET", "/v1/accounts/nobody/health", "", "", 404, "unknown_account", "id"},
		{"unknown account agenda", "GET", "/v1/accounts/nobody/agenda", "", "", 404, "unknown_account", "id"},
		{"unknown path", "GET", "/v2/things", "", "", 404, "not_found", ""},
		{"bad asOf", "GET", "/v1/accounts/" + string(first.ID) + "/health?asOf=yesterday", "", "", 400, "bad_as_of", "asOf"},
		{"bad asOf date", "GET", "/v1/accounts/" + string(first.ID) + "/effectiveness?asOf=2026-13-01", "", "", 400, "bad_as_of", "asOf"},
		{"unknown parameter", "GET", "/v1/accounts/" + string(first.ID) + "/health?asof=2026-01-01", "", "", 400, "unknown_parameter", "asof"},
		{"repeated parameter", "GET", "/v1/health/distribution?asOf=2026-01-01&asOf=2026-02-01", "", "", 400, "repeated_parameter", "asOf"},
		{"malformed query", "GET", "/v1/health/distribution?asOf=%zz", "", "", 400, "bad_query", ""},
		{"asOf before data", "GET", "/v1/accounts/" + string(young.ID) + "/health?asOf=2024-01-01", "", "", 422, "no_data", "asOf"},
		{"asOf before data effectiveness", "GET", "/v1/accounts/" + string(young.ID) + "/effectiveness?asOf=2024-01-01", "", "", 422, "no_data", "asOf"},
		{"asOf before start agenda", "GET", "/v1/accounts/" + string(young.ID) + "/agenda?asOf=2024-01-01", "", "", 422, "before_start", "asOf"},
		{"unknown segment", "GET", "/v1/health/distribution?segment=giant", "", "", 400, "unknown_segment", "segment"},
		{"bad bins", "GET", "/v1/health/distribution?bins=0", "", "", 400, "bad_bins", "bins"},
		{"wrong method", "DELETE", "/v1/accounts/" + string(first.ID) + "/health", "", "", 405, "method_not_allowed", ""},
		{"GET on score", "GET", "/v1/score", "", "", 405, "method_not_allowed", ""},
		{"POST on health", "POST", "/v1/accounts/" + string(first.ID) + "/health", good, "application/json", 405, "method_not_allowed", ""},
		{"no content type", "POST", "/v1/score", good, "", 415, "unsupported_media_type", "Content-Type"},
		{"wrong content type", "POST", "/v1/score", good, "text/plain", 415, "unsupported_media_type", "Content-Type"},
		{"oversized body", "POST", "/v1/score", `{"account":"` + strings.Repeat("x", 2000) + `","values":{}}`, "application/json", 413, "body_too_large", ""},
		{"oversized white space", "POST", "/v1/score", good + strings.Repeat(" ", 2000), "application/json", 413, "body_too_large", ""},
		{"empty body", "POST", "/v1/score", "", "application/json", 400, "malformed_json", ""},
		{"malformed JSON", "POST", "/v1/score", `{"account": "a", "values": {`, "application/json", 400, "malformed_json", ""},
		{"syntax error", "POST", "/v1/score", `{"account" "a"}`, "application/json", 400, "malformed_json", ""},
		{"two values", "POST", "/v1/score", good + good, "application/json", 400, "malformed_json", ""},
		{"unknown field", "POST", "/v1/score", `{"account":"a","values":{"seat_utilisation":1},"color":"red"}`, "application/json", 400, "unknown_field", "color"},
		{"wrong type", "POST", "/v1/score", `{"account":"a","values":{"seat_utilisation":"high"}}`, "application/json", 400, "bad_type", "values.seat_utilisation"},
		{"values not an object", "POST", "/v1/score", `{"account":"a","values":[1,2]}`, "application/json", 400, "bad_type", "values"},
		{"unknown metric", "POST", "/v1/score", `{"account":"a","values":{"seat_utilisation":1,"happiness":3}}`, "application/json", 400, "unknown_metric", "values.happiness"},
		{"bad asOf in body", "POST", "/v1/score", `{"account":"a","asOf":"soon","values":{"seat_utilisation":1}}`, "application/json", 400, "bad_as_of", "asOf"},
		{"query on score", "POST", "/v1/score?debug=1", good, "application/json", 400, "unknown_parameter", "debug"},
		{"empty account", "POST", "/v1/score", `{"account":"","values":{"seat_utilisation":1}}`, "application/json", 422, "invalid", "account"},
		{"no values", "POST", "/v1/score", `{"account":"a","values":{}}`, "application/json", 422, "invalid", "values"},
		{"null body", "POST", "/v1/score", `null`, "application/json", 400, "bad_type", ""},
		{"duplicate metric", "POST", "/v1/score", `{"account": "a", "values": {"seat_utilisation": 0.5, "seat_utilisation": 0.9}}`, "application/json", 400, "duplicate_name", "values.seat_utilisation"},
		{"case-variant field", "POST", "/v1/score", `{"ACCOUNT": "a", "values": {}}`, "application/json", 400, "unknown_field", "ACCOUNT"},
		{"null value", "POST", "/v1/score", `{"account":"a","values":{"seat_utilisation":null}}`, "application/json", 422, "invalid", "values.seat_utilisation"},
		{"overflowing value", "POST", "/v1/score", `{"account":"a","values":{"seat_utilisation":1e400}}`, "application/json", 422, "not_finite", "values.seat_utilisation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			if tt.ctype != "" {
				header = []string{"Content-Type", tt.ctype}
			}
			code, body := do(t, s, tt.method, tt.target, strings.NewReader(tt.body), header...)
			if code != tt.status {
				t.Fatalf("status %d, want %d: %s", code, tt.status, body)
			}
			e := decodeError(t, body)
			if e.Status != tt.status || e.Code != tt.code || e.Field != tt.field || e.Message == "" {
				t.Errorf("error %+v, want status %d code %q field %q", e, tt.status, tt.code, tt.field)
			}
		})
	}
}

func TestMethodNotAllowedListsAllow(t *testing.T) {
	s := newServer(t, config(t, nil))
	for target, allow := range map[string]string{"/v1/score": "POST", "/v1/health/distribution": "GET, HEAD"} {
		method := http.MethodPut
		req, _ := http.NewRequest(method, target, nil)
		rec := newRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 405 || rec.Header().Get("Allow") != allow {
			t.Errorf("%s %s: %d Allow %q, want 405 Allow %q", method, target, rec.Code, rec.Header().Get("Allow"), allow)
		}
	}
}

// failing is a provider that fails every call with an error the service
// does not know, and says so in a message that must not reach the client.
type failing struct{ valuepath.Provider }

func (failing) Series(context.Context, valuepath.AccountID, valuepath.Metric, valuepath.Interval) (valuepath.Series, error) {
	return valuepath.Series{}, fmt.Errorf("dial tcp 10.0.0.7:5432: secret-db-host refused")
}

func TestInternalErrorDoesNotLeak(t *testing.T) {
	s := newServer(t, config(t, failing{base(t).Provider}))
	code, body := do(t, s, http.MethodGet, "/v1/accounts/"+string(activeIDs(t)[0])+"/health", nil)
	if code != 500 {
		t.Fatalf("status %d, want 500: %s", code, body)
	}
	if e := decodeError(t, body); e.Code != "internal" || strings.Contains(string(body), "secret") || strings.Contains(string(body), "10.0.0.7") {
		t.Errorf("500 body leaks internals or has the wrong code: %s", body)
	}
}

func TestRequestTimeout(t *testing.T) {
	id := activeIDs(t)[0]
	g := &gated{Provider: base(t).Provider, block: map[valuepath.AccountID]bool{id: true}, entered: make(chan valuepath.AccountID, 1), release: make(chan struct{})}
	cfg := config(t, g)
	cfg.Limits.RequestTimeout = 50 * time.Millisecond
	s := newServer(t, cfg)
	start := time.Now()
	code, body := do(t, s, http.MethodGet, "/v1/accounts/"+string(id)+"/health", nil)
	if code != http.StatusGatewayTimeout || decodeError(t, body).Code != "timeout" {
		t.Errorf("status %d %s, want 504 timeout", code, body)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v; the provider did not get the deadline", d)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	cfg := config(t, nil)
	cfg.Provider = nil
	cfg.DefaultAsOf = time.Time{}
	cfg.Accounts = append(slices.Clone(cfg.Accounts), server.AccountInfo{ID: cfg.Accounts[0].ID, Segment: demo.SMB},
		server.AccountInfo{ID: "tz", Segment: demo.SMB, TimeZone: "Mars/Olympus"}, server.AccountInfo{ID: "seg", Segment: "galactic"})
	_, err := server.New(cfg)
	if err == nil {
		t.Fatal("New accepted a bad config")
	}
	for _, want := range []string{"config.Provider", "config.DefaultAsOf", "duplicate account", "Mars/Olympus", `segment "galactic"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
	// A scorecard that reads a metric the derivations do not produce.
	cfg = config(t, nil)
	cfg.Scorecard = valuepath.Must(health.NewScorecard(health.ScorecardSpec{Name: "x", Groups: []health.Group{{ID: "g", Weight: 1, Measures: []health.Measure{{ID: "m", Metric: "nps", Weight: 1,
		Scheme: health.Scheme{Kind: health.Thresholds, Points: []health.Point{{Value: 0, Score: 0}, {Value: 10, Score: 100}}}}}}}}))
	if _, err := server.New(cfg); err == nil || !strings.Contains(err.Error(), "nps") {
		t.Errorf("New with a scorecard reading an underived metric: %v", err)
	}
}

func TestDoesNotMutateConfig(t *testing.T) {
	cfg := config(t, nil)
	before := slices.Clone(cfg.Accounts)
	s := newServer(t, cfg)
	cfg.Accounts[0].ID = "changed-after-new"
	if diff := cmp.Diff(before[1:], cfg.Accounts[1:]); diff != "" {
		t.Errorf("New changed the accounts:\n%s", diff)
	}
	if code, _ := do(t, s, http.MethodGet, "/v1/accounts/"+string(before[0].ID)+"/agenda", nil); code != 200 {
		t.Errorf("the server shares the caller's slice: status %d after the caller changed it", code)
	}
}

func TestHealthz(t *testing.T) {
	s := newServer(t, config(t, nil))
	code, body := do(t, s, http.MethodGet, "/healthz", nil)
	if code != 200 || string(body) != "{\"status\":\"ok\"}\n" {
		t.Errorf("healthz: %d %s", code, body)
	}
}

func TestCancelledRequestIs503(t *testing.T) {
	s := newServer(t, config(t, nil))
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client went away, or the server is closing
	req := httptest.NewRequest(http.MethodGet, "/v1/accounts/"+string(activeIDs(t)[0])+"/health", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if e := decodeError(t, rec.Body.Bytes()); rec.Code != http.StatusServiceUnavailable || e.Code != "unavailable" {
		t.Errorf("status %d %+v, want 503 unavailable", rec.Code, e)
	}
}

func TestRequestLog(t *testing.T) {
	var logs bytes.Buffer
	cfg := config(t, failing{base(t).Provider})
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	cfg.LogRequests = true
	s := newServer(t, cfg)
	do(t, s, http.MethodGet, "/v1/accounts/nobody/health", nil)
	do(t, s, http.MethodGet, "/v1/accounts/"+string(activeIDs(t)[0])+"/health", nil)
	out := logs.String()
	for _, want := range []string{
		`msg=request method=GET route=/v1/accounts/{id}/health status=404 duration=`,
		`msg=request method=GET route=/v1/accounts/{id}/health status=500 duration=`,
		`level=ERROR msg="request failed"`, `secret-db-host refused`, // the 500's cause, in the log only
		`status=500`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	// One line per request, and never the raw path (it names an account).
	if n := strings.Count(out, "msg=request "); n != 2 {
		t.Errorf("%d request lines, want 2:\n%s", n, out)
	}
	if strings.Contains(out, "nobody") {
		t.Errorf("the request log shows the raw path:\n%s", out)
	}
}

// TestRequestLogJSON: the handler is the host's choice; with a JSON
// handler every request is one JSON object with the four fields.
func TestRequestLogJSON(t *testing.T) {
	var logs bytes.Buffer
	cfg := config(t, nil)
	cfg.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	cfg.LogRequests = true
	s := newServer(t, cfg)
	do(t, s, http.MethodPost, "/v1/accounts/x/health", nil)
	var line struct {
		Msg, Method, Route string
		Status             int
		Duration           int64
	}
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("%v: %s", err, logs.Bytes())
	}
	if line.Msg != "request" || line.Method != "POST" || line.Route != "/v1/accounts/{id}/health" || line.Status != 405 || line.Duration <= 0 {
		t.Errorf("log line %+v", line)
	}
}

func TestParseAsOf(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-11-01", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), true},
		{"2026-11-01T09:30:00+01:00", time.Date(2026, 11, 1, 8, 30, 0, 0, time.UTC), true},
		{"2026-11-01T09:30:00.5Z", time.Date(2026, 11, 1, 9, 30, 0, 5e8, time.UTC), true},
		{"0001-01-01", time.Time{}, false},
		{"1899-12-31", time.Time{}, false},
		{"2026-02-30", time.Time{}, false},
		{"2026-11-01 09:30", time.Time{}, false},
		{"20261101", time.Time{}, false},
		{"", time.Time{}, false},
	} {
		got, err := server.ParseAsOf(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseAsOf(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestDistributionCountsAccountsWithoutDataAsUnavailable lists one more account than the provider knows, as a
// host does when an account is created before any of its data arrives.
func TestDistributionCountsAccountsWithoutDataAsUnavailable(t *testing.T) {
	cfg := config(t, nil)
	cfg.Accounts = append(slices.Clone(cfg.Accounts), server.AccountInfo{ID: "acct-new", Segment: demo.SMB, Start: base(t).AsOf.AddDate(0, 0, -1)})
	s := newServer(t, cfg)
	code, body := do(t, s, http.MethodGet, "/v1/health/distribution", nil)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	var got server.DistributionResponse
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Accounts != len(cfg.Accounts) || got.Count+got.Unavailable != len(cfg.Accounts) || got.Unavailable < 1 {
		t.Errorf("accounts %d, count %d, unavailable %d; want %d in all with the new one unavailable", got.Accounts, got.Count, got.Unavailable, len(cfg.Accounts))
	}
	// Its own endpoints say it is unknown to the data.
	if code, body := do(t, s, http.MethodGet, "/v1/accounts/acct-new/health", nil); code != http.StatusNotFound {
		t.Errorf("health of an account without data: %d %s, want 404", code, body)
	}
}
