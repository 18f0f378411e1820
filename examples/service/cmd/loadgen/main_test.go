package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

func TestLoadCountsEveryRequest(t *testing.T) {
	var hits, bad atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if strings.HasSuffix(r.URL.Path, "acct-0003/health") {
			bad.Add(1)
			http.Error(w, "no data", http.StatusUnprocessableEntity)
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	defer ts.Close()
	var out bytes.Buffer
	err := run(context.Background(), []string{"-url", ts.URL, "-c", "8", "-n", "300", "-warmup", "0", "-accounts", "3"}, &out, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, &out)
	}
	if hits.Load() != 300 {
		t.Errorf("server saw %d requests, want 300", hits.Load())
	}
	want := regexp.MustCompile(`^300 requests, 8 concurrent, 100 answered 4xx, 0 errors in [0-9.]+s: [0-9]+ req/s\nlatency p50 [0-9.]+ms  p90 [0-9.]+ms  p99 [0-9.]+ms  p99.9 [0-9.]+ms  max [0-9.]+ms\n$`)
	if !want.MatchString(out.String()) {
		t.Errorf("report:\n%s", &out)
	}
}

func TestLoadFailsOn5xx(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer ts.Close()
	var out bytes.Buffer
	err := run(context.Background(), []string{"-url", ts.URL, "-c", "2", "-n", "10", "-warmup", "0"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "10 of 10 requests failed") {
		t.Errorf("err = %v, want 10 of 10 failed", err)
	}
}

func TestRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-c", "0"}, {"-n", "0"}, {"-duration", "0s"}, {"-accounts", "0"}, {"-warmup", "-1"}} {
		var out bytes.Buffer
		if err := run(context.Background(), args, &out, &out); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestDurationBoundsTheRun(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-make(chan struct{}): // never: the client gives up first
		}
	}))
	defer ts.Close()
	var out bytes.Buffer
	err := run(context.Background(), []string{"-url", ts.URL, "-c", "2", "-n", "100", "-warmup", "0", "-duration", "200ms"}, &out, &out)
	if err == nil {
		t.Errorf("no request could complete, yet no error:\n%s", &out)
	}
}
