package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/examples/service/server"
)

// serve runs s.Serve on a loopback listener and returns its base URL, a
// function that stops it, and the channel Serve's result arrives on.
func serve(t *testing.T, s *server.Server) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		done <- s.Serve(ctx, ln)
		close(finished)
	}()
	t.Cleanup(func() {
		cancel()
		<-finished
	})
	return "http://" + ln.Addr().String(), cancel, done
}

func TestSlowClientIsDisconnected(t *testing.T) {
	cfg := config(t, nil)
	cfg.Limits.ReadHeaderTimeout = 150 * time.Millisecond
	cfg.Limits.ReadTimeout = 300 * time.Millisecond
	url, _, _ := serve(t, newServer(t, cfg))
	conn, err := net.Dial("tcp", url[len("http://"):])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Half a header, then silence.
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := conn.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(conn) // returns when the server closes the connection
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("the server did not close the connection within 5s: %v", err)
	}
	if elapsed < 100*time.Millisecond || elapsed > 3*time.Second {
		t.Errorf("closed after %v, want about the 150ms ReadHeaderTimeout", elapsed)
	}
	if bytes.Contains(got, []byte(`"status":"ok"`)) {
		t.Errorf("the half-sent request was served: %q", got)
	}
}

func TestGracefulShutdown(t *testing.T) {
	ids := activeIDs(t)
	slow := ids[0]
	g := &gated{Provider: base(t).Provider, block: map[valuepath.AccountID]bool{slow: true}, entered: make(chan valuepath.AccountID, 1), release: make(chan struct{})}
	cfg := config(t, g)
	cfg.Limits.ShutdownTimeout = 5 * time.Second
	s := newServer(t, cfg)
	url, stop, done := serve(t, s)
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()

	type result struct {
		code int
		body []byte
		err  error
	}
	inflight := make(chan result, 1)
	go func() {
		resp, err := client.Get(url + "/v1/accounts/" + string(slow) + "/health")
		if err != nil {
			inflight <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		inflight <- result{resp.StatusCode, b, err}
	}()
	select {
	case <-g.entered: // the request is in the provider
	case <-time.After(5 * time.Second):
		t.Fatal("the request never reached the provider")
	}
	stop() // SIGTERM
	if !eventually(2*time.Second, s.Draining) {
		t.Fatal("the server is not draining after its context was cancelled")
	}
	// New connections are refused once the listener is closed.
	refused := eventually(2*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", url[len("http://"):], 200*time.Millisecond)
		if err != nil {
			return true
		}
		c.Close()
		return false
	})
	if !refused {
		t.Error("new connections are still accepted during shutdown")
	}
	select {
	case err := <-done:
		t.Fatalf("Serve returned (%v) before the in-flight request finished", err)
	default:
	}
	close(g.release)
	r := <-inflight
	if r.err != nil || r.code != http.StatusOK || !bytes.Contains(r.body, []byte(`"account":"`+string(slow)+`"`)) {
		t.Fatalf("in-flight request: %d %s %v, want 200 with its score", r.code, r.body, r.err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after a graceful shutdown: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the in-flight request finished")
	}
}

func TestShutdownDeadlineClosesStragglers(t *testing.T) {
	ids := activeIDs(t)
	g := &gated{Provider: base(t).Provider, block: map[valuepath.AccountID]bool{ids[0]: true}, entered: make(chan valuepath.AccountID, 1), release: make(chan struct{})}
	defer close(g.release)
	cfg := config(t, g)
	cfg.Limits.ShutdownTimeout = 100 * time.Millisecond
	cfg.Limits.RequestTimeout = 10 * time.Second
	s := newServer(t, cfg)
	url, stop, done := serve(t, s)
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	errc := make(chan error, 1)
	go func() {
		resp, err := client.Get(url + "/v1/accounts/" + string(ids[0]) + "/health")
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	<-g.entered
	stop()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Serve: %v, want the shutdown deadline", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not give up on the straggler")
	}
	if err := <-errc; err == nil {
		t.Error("the straggler's request succeeded after the server closed")
	}
}

func TestConcurrentLoad(t *testing.T) {
	s := newServer(t, config(t, nil))
	ts := httptest.NewServer(s)
	defer ts.Close()
	ids := activeIDs(t)
	// What each account's body must be, computed one at a time.
	want := map[valuepath.AccountID][]byte{}
	for _, id := range ids {
		code, body := do(t, s, http.MethodGet, "/v1/accounts/"+string(id)+"/health", nil)
		if code != 200 {
			t.Fatalf("%s: %d %s", id, code, body)
		}
		want[id] = body
	}
	const workers, each = 200, 10
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range each {
				id := ids[(w*each+k)%len(ids)]
				target := ts.URL + "/v1/accounts/" + string(id) + "/health"
				var resp *http.Response
				var err error
				switch k % 5 { // distributions and posted scores in the mix
				case 3:
					target = ts.URL + "/v1/score"
					resp, err = client.Post(target, "application/json", strings.NewReader(`{"account":"p","values":{"seat_utilisation":0.4}}`))
				case 4:
					target = ts.URL + "/v1/health/distribution?segment=smb"
					resp, err = client.Get(target)
				default:
					resp, err = client.Get(target)
				}
				if err != nil {
					errs <- err
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				switch {
				case err != nil:
					errs <- err
				case resp.StatusCode != 200:
					errs <- fmt.Errorf("%s: status %d: %s", target, resp.StatusCode, body)
				case k%5 < 3 && !bytes.Equal(body, want[id]):
					errs <- fmt.Errorf("%s: body differs from the one served alone", id)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if n < 5 {
			t.Error(err)
		}
		n++
	}
	if n > 0 {
		t.Errorf("%d of %d requests failed", n, workers*each)
	}
}

func TestNoGoroutineLeaks(t *testing.T) {
	before := runtime.NumGoroutine()
	cfg := config(t, nil)
	cfg.Limits.ReadHeaderTimeout = 300 * time.Millisecond
	s := newServer(t, cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 20}}
	var wg sync.WaitGroup
	for w := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 5 {
				target := fmt.Sprintf("http://%s/v1/accounts/%s/health", ln.Addr(), activeIDs(t)[(w+k)%10])
				if k == 4 {
					target = fmt.Sprintf("http://%s/v1/health/distribution?bins=%d", ln.Addr(), 10+w%3)
				}
				if resp, err := client.Get(target); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}()
	}
	// A client that never finishes its header.
	slow, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(slow, "GET / HTTP/1.1\r\n")
	wg.Wait()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	slow.Close()
	client.CloseIdleConnections()
	var now int
	if !eventually(5*time.Second, func() bool { now = runtime.NumGoroutine(); return now <= before }) {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after shutdown:\n%s", before, now, buf[:runtime.Stack(buf, true)])
	}
}
