package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/valuepath/valuepath/examples/service/server"
)

// FuzzScoreRequest posts arbitrary bodies and content types to /v1/score:
// the answer is never a 5xx and never a panic; it is either a score with
// finite numbers or a JSON error with a 4xx status that matches its body.
func FuzzScoreRequest(f *testing.F) {
	cfg := config(f, nil)
	cfg.Limits.MaxBodyBytes = 4 << 10
	s := newServer(f, cfg)
	for _, seed := range []string{
		`{"account":"a","values":{"seat_utilisation":0.5}}`,
		`{"account":"a","asOf":"2026-01-01","values":{"seat_utilisation":0.5,"logins_per_seat_30d":12,"survey_score_latest":9}}`,
		`{"account":"a","asOf":"2026-01-01T10:00:00+02:00","values":{"days_since_qbr":400}}`,
		`{"account":"a","values":{"seat_utilisation":1e400}}`,
		`{"account":"a","values":{"seat_utilisation":null}}`,
		`{"account":"a","values":{"seat_utilisation":"1"}}`,
		`{"account":"a","values":{"nope":1}}`,
		`{"account":"","values":{}}`,
		`{"account":"a","values":{"seat_utilisation":1},"x":1}`,
		`{"account":"a"} {}`,
		`[1,2,3]`, `null`, `"x"`, `{`, ``, "\xff\xfe", `{"account":"\ud800","values":{"seat_utilisation":-0}}`,
	} {
		f.Add(seed, "application/json")
	}
	f.Add(`{"account":"a","values":{"seat_utilisation":0.5}}`, "text/plain")
	f.Add(`{"account":"a","values":{"seat_utilisation":0.5}}`, "application/json; charset=utf-8")
	f.Fuzz(func(t *testing.T, body, ctype string) {
		req := httptest.NewRequest(http.MethodPost, "/v1/score", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", ctype)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		if rec.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("Content-Type %q", rec.Header().Get("Content-Type"))
		}
		if rec.Code != http.StatusOK {
			var e server.ErrorBody
			dec := json.NewDecoder(rec.Body)
			dec.DisallowUnknownFields()
			if err := dec.Decode(&e); err != nil || e.Error.Status != rec.Code || e.Error.Code == "" || e.Error.Message == "" || rec.Code < 400 {
				t.Fatalf("status %d with body %s (%v)", rec.Code, rec.Body, err)
			}
			return
		}
		var got scoreBody
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("200 with a body that is not a score: %v: %s", err, rec.Body)
		}
		if got.Account == "" || math.IsNaN(got.Value) || got.Value < 0 || got.Value > 100 || len(got.Measures) == 0 {
			t.Fatalf("bad score for %q: %s", body, rec.Body)
		}
	})
}

// FuzzPath sends arbitrary methods and paths: every answer is JSON (an
// error body for anything but 200), never a 5xx or a panic, never echoes
// more than a short prefix of the path, and a redirect points at a clean
// path.
func FuzzPath(f *testing.F) {
	s := newServer(f, config(f, nil))
	id := string(activeIDs(f)[0])
	for _, p := range []string{
		"/v1/accounts/" + id + "/health", "//v1/health/distribution", "/v1/accounts//health", "/v1/./score",
		"/v1/accounts/x/../" + id + "/agenda", "/../../etc/passwd", "/v1/health/distribution/", "", "*", "/%2e%2e/",
		"/v1/accounts/" + id + "/effectiveness/", "/healthz", "///", "/v1/accounts/\x00/health",
	} {
		f.Add("GET", p)
	}
	f.Add("POST", "//v1/score")
	f.Add("DELETE", "/v1/score")
	f.Add("CONNECT", "/v1/score")
	f.Fuzz(func(t *testing.T, method, p string) {
		if !validMethod(method) {
			return
		}
		req := &http.Request{Method: method, URL: &url.URL{Path: p}, Header: http.Header{}, Host: "x", Body: http.NoBody}
		req = req.WithContext(context.Background())
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: status %d: %s", method, p, rec.Code, rec.Body)
		}
		if rec.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("%s %q: Content-Type %q: %s", method, p, rec.Header().Get("Content-Type"), rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %q: body is not JSON: %s", method, p, rec.Body)
		}
		if rec.Code == http.StatusOK {
			return
		}
		var e server.ErrorBody
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Status != rec.Code || e.Error.Code == "" {
			t.Fatalf("%s %q: status %d with body %s", method, p, rec.Code, rec.Body)
		}
		if len(e.Error.Message) > 300 {
			t.Fatalf("%s %q: a %d-byte message", method, p, len(e.Error.Message))
		}
		if loc := rec.Header().Get("Location"); loc != "" {
			u, err := url.Parse(loc)
			if err != nil || path.Clean(u.Path) != u.Path {
				t.Fatalf("%s %q: redirect to %q", method, p, loc)
			}
		}
	})
}

// validMethod reports whether m is an HTTP token, as net/http requires of
// a request's method.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range []byte(m) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}
