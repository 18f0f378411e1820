package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkMetricsObserve is what the metrics middleware adds to each
// request: counting and timing it by its route and status.
func BenchmarkMetricsObserve(b *testing.B) {
	m := newMetrics(&Server{})
	m.route("GET /v1/accounts/{id}/health")
	r := httptest.NewRequest(http.MethodGet, "/v1/accounts/acct-0001/health", nil)
	r.Pattern = "GET /v1/accounts/{id}/health"
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		m.observe(r, http.StatusOK, time.Since(start))
	}
}
