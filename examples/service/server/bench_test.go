package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkHealthHandler is the server's own cost of one health request:
// routing, deriving through the in-memory provider, scoring and encoding,
// through ServeHTTP on a reused recorder.
func BenchmarkHealthHandler(b *testing.B) {
	s := newServer(b, config(b, nil))
	ids := activeIDs(b)
	reqs := make([]*http.Request, len(ids))
	for i, id := range ids {
		reqs[i] = httptest.NewRequest(http.MethodGet, "/v1/accounts/"+string(id)+"/health", nil)
	}
	rec := &recorder{h: http.Header{}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		rec.reset()
		s.ServeHTTP(rec, reqs[i%len(reqs)])
		if rec.code != http.StatusOK || rec.n < 1000 {
			b.Fatalf("status %d, %d bytes", rec.code, rec.n)
		}
		i++
	}
}

// recorder is a ResponseWriter that keeps the status and counts the bytes,
// reusable across iterations (httptest.ResponseRecorder is not), so that
// the benchmark measures the server and not the recorder.
type recorder struct {
	h    http.Header
	code int
	n    int
}

func (r *recorder) Header() http.Header  { return r.h }
func (r *recorder) WriteHeader(code int) { r.code = code }
func (r *recorder) Write(p []byte) (int, error) {
	r.n += len(p)
	return len(p), nil
}
func (r *recorder) reset() {
	clear(r.h)
	r.code, r.n = 0, 0
}

// BenchmarkScorePost is the cost of scoring a posted snapshot, body
// decoding and validation included.
func BenchmarkScorePost(b *testing.B) {
	s := newServer(b, config(b, nil))
	body := `{"account":"acct-x","values":{"seat_utilisation":0.52,"logins_per_seat_30d":18,"records_per_seat_30d":90,"survey_score_latest":8,"days_since_qbr":40}}`
	rec := &recorder{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		rec.reset()
		req := httptest.NewRequest(http.MethodPost, "/v1/score", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		s.ServeHTTP(rec, req)
		if rec.code != http.StatusOK {
			b.Fatalf("status %d", rec.code)
		}
	}
}

// BenchmarkHealthLoopback is the end-to-end cost of one health request
// over a keep-alive loopback connection, client included: what a caller
// of the service pays per account, sequentially (ns/op is the latency) and
// in parallel (ns/op is the inverse throughput on this machine).
func BenchmarkHealthLoopback(b *testing.B) {
	s := newServer(b, config(b, nil))
	ts := httptest.NewServer(s)
	defer ts.Close()
	ids := activeIDs(b)
	urls := make([]string, len(ids))
	for i, id := range ids {
		urls[i] = ts.URL + "/v1/accounts/" + string(id) + "/health"
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	defer client.CloseIdleConnections()
	get := func(b *testing.B, url string) {
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.Run("sequential", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			get(b, urls[i%len(urls)])
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				get(b, urls[i%len(urls)])
				i++
			}
		})
	})
}
