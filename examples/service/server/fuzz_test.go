package server_test

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
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
