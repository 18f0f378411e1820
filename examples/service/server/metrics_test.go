package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/examples/service/server"
)

// scrape GETs /metrics and parses the exposition format.
func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := rec.Body.Bytes()
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("/metrics: %d %q %s", rec.Code, rec.Header().Get("Content-Type"), body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics is not in the exposition format: %v\n%s", err, body)
	}
	return fams
}

// find returns the metric of fam whose labels are exactly labels.
func find(fam *dto.MetricFamily, labels map[string]string) *dto.Metric {
	if fam == nil {
		return nil
	}
next:
	for _, m := range fam.Metric {
		if len(m.Label) != len(labels) {
			continue
		}
		for _, l := range m.Label {
			if labels[l.GetName()] != l.GetValue() {
				continue next
			}
		}
		return m
	}
	return nil
}

func TestMetrics(t *testing.T) {
	s := newServer(t, config(t, nil))
	ids := activeIDs(t)
	for _, id := range ids[:3] {
		do(t, s, http.MethodGet, "/v1/accounts/"+string(id)+"/health", nil)
	}
	do(t, s, http.MethodGet, "/v1/accounts/nobody/health", nil)     // 404
	do(t, s, http.MethodDelete, "/v1/accounts/x/health", nil)       // 405
	do(t, s, "BREW", "/v1/accounts/x/health", nil)                  // 405, method outside the label set
	do(t, s, http.MethodGet, "/no/such/endpoint", nil)              // 404 on "/"
	do(t, s, http.MethodGet, "/v1/health/distribution?bins=x", nil) // 400
	fams := scrape(t, s)

	requests := fams["valuepath_http_requests_total"]
	if requests.GetType() != dto.MetricType_COUNTER {
		t.Fatalf("valuepath_http_requests_total: type %v", requests.GetType())
	}
	for _, c := range []struct {
		method, route, code string
		want                float64
	}{
		{"GET", "/v1/accounts/{id}/health", "200", 3},
		{"GET", "/v1/accounts/{id}/health", "404", 1},
		{"DELETE", "/v1/accounts/{id}/health", "405", 1},
		{"other", "/v1/accounts/{id}/health", "405", 1},
		{"GET", "/", "404", 1},
		{"GET", "/v1/health/distribution", "400", 1},
	} {
		m := find(requests, map[string]string{"method": c.method, "route": c.route, "code": c.code})
		if got := m.GetCounter().GetValue(); got != c.want {
			t.Errorf("requests{method=%s,route=%s,code=%s} = %v, want %v", c.method, c.route, c.code, got, c.want)
		}
	}
	seconds := fams["valuepath_http_request_duration_seconds"]
	h := find(seconds, map[string]string{"method": "GET", "route": "/v1/accounts/{id}/health"}).GetHistogram()
	if h.GetSampleCount() != 4 || h.GetSampleSum() <= 0 || len(h.Bucket) == 0 {
		t.Errorf("health latency histogram: count %d sum %v buckets %d, want 4 requests", h.GetSampleCount(), h.GetSampleSum(), len(h.Bucket))
	}

	// The base's health per segment and band equals the distribution
	// endpoint's counts for that segment, and covers every account.
	accounts := fams["valuepath_health_accounts"]
	if accounts.GetType() != dto.MetricType_GAUGE {
		t.Fatalf("valuepath_health_accounts: type %v", accounts.GetType())
	}
	total := 0.0
	for _, seg := range []string{demo.SMB, demo.MidMarket, demo.Enterprise} {
		code, body := do(t, s, http.MethodGet, "/v1/health/distribution?segment="+seg, nil)
		if code != http.StatusOK {
			t.Fatalf("distribution %s: %d %s", seg, code, body)
		}
		var d server.DistributionResponse
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		for _, b := range d.Bands {
			m := find(accounts, map[string]string{"segment": seg, "band": string(b.Band)})
			if got := m.GetGauge().GetValue(); got != float64(b.Count) {
				t.Errorf("health_accounts{segment=%s,band=%s} = %v, want %d", seg, b.Band, got, b.Count)
			}
			total += float64(b.Count)
		}
		m := find(accounts, map[string]string{"segment": seg, "band": "unavailable"})
		if got := m.GetGauge().GetValue(); got != float64(d.Unavailable) {
			t.Errorf("health_accounts{segment=%s,band=unavailable} = %v, want %d", seg, got, d.Unavailable)
		}
		total += float64(d.Unavailable)
	}
	if want := float64(len(base(t).Accounts)); total != want {
		t.Errorf("health gauges count %v accounts, want %v", total, want)
	}
	asOf := fams["valuepath_health_as_of_timestamp_seconds"].GetMetric()
	if len(asOf) != 1 || asOf[0].GetGauge().GetValue() != float64(base(t).AsOf.Unix()) {
		t.Errorf("as_of gauge %v, want %d", asOf, base(t).AsOf.Unix())
	}
	if fams["go_goroutines"] == nil || fams["process_cpu_seconds_total"] == nil {
		t.Error("the Go and process collectors are missing")
	}

	// The second scrape counts the first.
	again := scrape(t, s)
	m := find(again["valuepath_http_requests_total"], map[string]string{"method": "GET", "route": "/metrics", "code": "200"})
	if got := m.GetCounter().GetValue(); got != 1 {
		t.Errorf("requests{route=/metrics,code=200} = %v, want 1 (the first scrape)", got)
	}
}
