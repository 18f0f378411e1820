// Command loadgen is a bounded HTTP load generator for the valuepath
// service: c concurrent clients send n GET requests in total (and never run
// longer than -duration), cycling over account ids, and it reports the
// throughput, the latency percentiles and the errors.
//
// Run the service, then:
//
//	go build -o /tmp/loadgen ./examples/service/cmd/loadgen
//	/tmp/loadgen -url http://127.0.0.1:8080 -c 200 -n 20000 -path '/v1/accounts/{id}/health'
//
// Every client shares one keep-alive http.Transport with c idle connections
// per host, so the figures measure the service, not connection set-up. A
// warm-up of -warmup requests (not counted) opens the connections first.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// Result is what one load test measured.
type Result struct {
	Requests int // requests completed, whatever their answer
	// Rejected counts 4xx answers: the service refusing a request (an
	// account without data as of asOf answers 422) is not a failure of it.
	Rejected int
	// Errors counts transport errors and 5xx answers.
	Errors  int
	Elapsed time.Duration // wall time of the measured requests
	P50     time.Duration
	P90     time.Duration
	P99     time.Duration
	P999    time.Duration
	Max     time.Duration
}

// RPS returns the completed requests per second.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "base URL of the service")
	path := fs.String("path", "/v1/accounts/{id}/health", "request path; {id} is replaced by an account id")
	c := fs.Int("c", 200, "concurrent clients (1 to 10000)")
	n := fs.Int("n", 20000, "requests in total (1 to 10000000)")
	warmup := fs.Int("warmup", 2000, "requests sent first and not counted")
	duration := fs.Duration("duration", time.Minute, "stop after this long even if -n requests are not done")
	accounts := fs.Int("accounts", 300, "cycle over this many account ids")
	idFormat := fs.String("ids", "acct-%04d", "printf format of the account ids, given 1, 2, ...")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *c < 1 || *c > 10000:
		return fmt.Errorf("-c must be from 1 to 10000, got %d", *c)
	case *n < 1 || *n > 10_000_000:
		return fmt.Errorf("-n must be from 1 to 10000000, got %d", *n)
	case *warmup < 0:
		return fmt.Errorf("-warmup must not be negative")
	case *accounts < 1:
		return fmt.Errorf("-accounts must be at least 1")
	case *duration <= 0:
		return fmt.Errorf("-duration must be positive")
	}
	urls := make([]string, *accounts)
	for i := range urls {
		urls[i] = strings.TrimSuffix(*base, "/") + strings.ReplaceAll(*path, "{id}", fmt.Sprintf(*idFormat, i+1))
	}
	tr := &http.Transport{MaxIdleConns: *c, MaxIdleConnsPerHost: *c, DisableCompression: true, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}

	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	if *warmup > 0 {
		if _, err := load(ctx, client, urls, *c, *warmup); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	r, err := load(ctx, client, urls, *c, *n)
	if r.Requests == 0 {
		return err
	}
	fmt.Fprintf(stdout, "%d requests, %d concurrent, %d answered 4xx, %d errors in %.2fs: %.0f req/s\n", r.Requests, *c, r.Rejected, r.Errors, r.Elapsed.Seconds(), r.RPS())
	fmt.Fprintf(stdout, "latency p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n", ms(r.P50), ms(r.P90), ms(r.P99), ms(r.P999), ms(r.Max))
	if r.Requests < *n {
		fmt.Fprintf(stdout, "stopped by -duration after %d of %d requests\n", r.Requests, *n)
	}
	return err
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// load sends n requests from c workers and measures each one. It stops
// early when ctx is done; the requests not sent are not counted.
func load(ctx context.Context, client *http.Client, urls []string, c, n int) (Result, error) {
	lat := make([]time.Duration, n)
	var next, done, errs, rejected atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range min(c, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				t0 := time.Now()
				status, err := get(ctx, client, urls[i%int64(len(urls))])
				if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
					return // cut off by -duration: not a failure of the server
				}
				lat[i] = max(time.Since(t0), 1)
				done.Add(1)
				if status/100 == 4 {
					rejected.Add(1)
				}
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	got := make([]time.Duration, 0, done.Load())
	for _, d := range lat {
		if d > 0 { // 0: never sent
			got = append(got, d)
		}
	}
	slices.Sort(got)
	r := Result{Requests: len(got), Rejected: int(rejected.Load()), Errors: int(errs.Load()), Elapsed: elapsed}
	if len(got) == 0 {
		if e, ok := firstErr.Load().(error); ok {
			return r, e
		}
		return r, errors.New("no request completed")
	}
	q := func(p float64) time.Duration { return got[min(len(got)-1, int(p*float64(len(got))))] }
	r.P50, r.P90, r.P99, r.P999, r.Max = q(0.5), q(0.9), q(0.99), q(0.999), got[len(got)-1]
	if e, ok := firstErr.Load().(error); ok {
		return r, fmt.Errorf("%d of %d requests failed; the first: %w", r.Errors, r.Requests, e)
	}
	return r, nil
}

// get sends one request and reads the whole body, so that the connection
// is reused. A 5xx answer is an error; a 4xx one is not.
func get(ctx context.Context, client *http.Client, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode/100 == 5 {
		return resp.StatusCode, fmt.Errorf("%s: status %d", url, resp.StatusCode)
	}
	return resp.StatusCode, nil
}
