// Command cpucost measures the server CPU time per health request of the
// service against a bare net/http handler that writes the same bytes, in
// one run, over real loopback TCP:
//
//	go run ./examples/service/cmd/cpucost -n 20000 -c 8 -rounds 6
//
// It starts itself again as a child process that serves two listeners on
// 127.0.0.1: the service (server.New over the demo base, served by
// Server.Serve exactly as the service command serves it) and a bare
// handler behind an http.Server with the same timeouts, which looks the
// request path up in a map of the service's own answers, computed at
// start-up, and writes those bytes with the same Content-Type and
// Content-Length. The parent then sends -n GET requests from -c keep-alive
// clients to each in turn, alternating for -rounds rounds so that a busy
// machine disturbs both alike, and reads the child's CPU time
// (getrusage(RUSAGE_SELF), user + system, through a third control
// listener) before and after every round. Only the server's CPU is
// counted, never the load generator's. It prints the CPU per request of
// each, per round and in total, and the ratio service ÷ bare.
//
// -cpuprofile p writes a CPU profile of the child during each service round
// (p.1, p.2, ...; the bare rounds are not profiled); go tool pprof merges
// them: go tool pprof -top cpucost p.*
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/examples/service/server"
)

const childEnv = "VALUEPATH_CPUCOST_CHILD"

func main() {
	var err error
	if os.Getenv(childEnv) != "" {
		err = child(os.Stdin, os.Stdout)
	} else {
		err = run(os.Args[1:], os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cpucost:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cpucost", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 20000, "requests per round and contender")
	c := fs.Int("c", 8, "concurrent keep-alive clients")
	rounds := fs.Int("rounds", 6, "rounds; each sends -n requests to the bare handler, then -n to the service")
	accounts := fs.Int("accounts", 300, "accounts in the demo base")
	warmup := fs.Int("warmup", 2000, "requests sent to each first, not counted")
	procs := fs.Int("procs", 0, "GOMAXPROCS of the server process (0: the Go default)")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the server during each service round to this path with .1, .2, ... appended")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	switch {
	case *n < 1 || *c < 1 || *rounds < 1 || *accounts < 1 || *warmup < 0 || *procs < 0:
		return errors.New("-n, -c, -rounds and -accounts must be positive, -warmup and -procs not negative")
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	if *procs > 0 {
		cmd.Env = append(cmd.Env, "GOMAXPROCS="+strconv.Itoa(*procs))
	}
	cmd.Stderr = stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		in.Close() // the child exits when its stdin closes
		_ = cmd.Wait()
	}()
	fmt.Fprintf(in, "%d %s\n", *accounts, *profile)
	var svcAddr, bareAddr, ctlAddr string
	var paths int
	if _, err := fmt.Fscanln(out, &svcAddr, &bareAddr, &ctlAddr, &paths); err != nil {
		return fmt.Errorf("child did not start: %w", err)
	}
	tr := &http.Transport{MaxIdleConns: *c + 1, MaxIdleConnsPerHost: *c, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	urls := func(addr string) []string {
		u := make([]string, *accounts)
		for i := range u {
			u[i] = fmt.Sprintf("http://%s/v1/accounts/acct-%04d/health", addr, i+1)
		}
		return u
	}
	svc, bare := urls(svcAddr), urls(bareAddr)
	ctl := func(what string) (time.Duration, error) {
		resp, err := client.Get("http://" + ctlAddr + "/" + what)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("control %s: status %d %s %v", what, resp.StatusCode, b, err)
		}
		us, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		return time.Duration(us) * time.Microsecond, err
	}
	// The bodies must be byte-identical, or the comparison means nothing.
	for i := range svc {
		a, sa, err := get(client, svc[i])
		if err != nil {
			return err
		}
		b, sb, err := get(client, bare[i])
		if err != nil {
			return err
		}
		if sa != sb || string(a) != string(b) {
			return fmt.Errorf("%s: the service answered %d with %d bytes, the bare handler %d with %d bytes", svc[i], sa, len(a), sb, len(b))
		}
	}
	if *warmup > 0 {
		if _, err := load(client, bare, *c, *warmup); err != nil {
			return err
		}
		if _, err := load(client, svc, *c, *warmup); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "server CPU per health request over loopback TCP: %d rounds of %d requests each, %d keep-alive clients, %d accounts, %d of them answered 200\n", *rounds, *n, *c, *accounts, paths)
	fmt.Fprintf(stdout, "%-6s %14s %14s %7s %12s\n", "round", "bare µs/req", "service µs/req", "ratio", "body bytes")
	var tBare, tSvc time.Duration
	var ratios []float64
	for r := range *rounds {
		measure := func(urls []string, profiled bool) (time.Duration, int64, error) {
			if profiled && *profile != "" {
				if _, err := ctl("profile-start"); err != nil {
					return 0, 0, err
				}
			}
			before, err := ctl("cpu")
			if err != nil {
				return 0, 0, err
			}
			bytes, err := load(client, urls, *c, *n)
			if err != nil {
				return 0, 0, err
			}
			after, err := ctl("cpu")
			if err != nil {
				return 0, 0, err
			}
			if profiled && *profile != "" {
				if _, err := ctl("profile-stop"); err != nil {
					return 0, 0, err
				}
			}
			return after - before, bytes, nil
		}
		b, bb, err := measure(bare, false)
		if err != nil {
			return err
		}
		s, sb, err := measure(svc, true)
		if err != nil {
			return err
		}
		if bb != sb {
			return fmt.Errorf("round %d: the bare handler sent %d body bytes, the service %d", r+1, bb, sb)
		}
		tBare += b
		tSvc += s
		ratio := float64(s) / float64(b)
		ratios = append(ratios, ratio)
		fmt.Fprintf(stdout, "%-6d %14.2f %14.2f %7.2f %12d\n", r+1, perReq(b, *n), perReq(s, *n), ratio, sb)
	}
	slices.Sort(ratios)
	fmt.Fprintf(stdout, "%-6s %14.2f %14.2f %7.2f\n", "total", perReq(tBare, *n**rounds), perReq(tSvc, *n**rounds), float64(tSvc)/float64(tBare))
	fmt.Fprintf(stdout, "ratio service ÷ bare: %.2f in total, median of rounds %.2f (min %.2f, max %.2f)\n",
		float64(tSvc)/float64(tBare), median(ratios), ratios[0], ratios[len(ratios)-1])
	return nil
}

func perReq(d time.Duration, n int) float64 { return float64(d.Microseconds()) / float64(n) }

func median(s []float64) float64 {
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func get(client *http.Client, url string) ([]byte, int, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, resp.StatusCode, err
}

// load sends n GET requests from c clients, cycling over urls, and returns
// the body bytes received. Any transport error or 5xx stops it.
func load(client *http.Client, urls []string, c, n int) (int64, error) {
	var next, total atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range c {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				resp, err := client.Get(urls[i%int64(len(urls))])
				if err == nil {
					var k int64
					k, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					total.Add(k)
					if err == nil && resp.StatusCode >= 500 {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				if err != nil {
					once.Do(func() { first = err })
					next.Store(int64(n))
					return
				}
			}
		})
	}
	wg.Wait()
	return total.Load(), first
}

// child builds the service and the bare handler, prints the three
// addresses and the number of accounts answered 200, and serves until its
// stdin closes.
func child(stdin io.Reader, stdout io.Writer) error {
	rd := bufio.NewReader(stdin)
	line, err := rd.ReadString('\n')
	if err != nil {
		return err
	}
	f := strings.Fields(line)
	accounts, err := strconv.Atoi(f[0])
	if err != nil {
		return err
	}
	profile := ""
	if len(f) > 1 {
		profile = f[1]
	}
	base, err := demo.Generate(demo.Config{Accounts: accounts, Seed: 1})
	if err != nil {
		return err
	}
	infos := make([]server.AccountInfo, len(base.Accounts))
	for i, a := range base.Accounts {
		infos[i] = server.AccountInfo{ID: a.ID, Name: a.Name, Segment: a.Segment, TimeZone: a.TimeZone, Start: a.Start}
	}
	srv, err := server.New(server.Config{
		Provider:      base.Provider,
		Accounts:      infos,
		Derivations:   demo.AllDerivations(),
		Scorecard:     demo.Scorecard(),
		Effectiveness: demo.EffectivenessModel(),
		Engagement:    demo.EngagementCatalog(),
		DefaultAsOf:   base.AsOf,
		Logger:        slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		return err
	}
	// The bare handler's answers are the service's own, byte for byte.
	type answer struct {
		status int
		body   []byte
		length []string
	}
	answers := map[string]answer{}
	ok := 0
	for i := range accounts {
		p := fmt.Sprintf("/v1/accounts/acct-%04d/health", i+1)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		answers[p] = answer{rec.Code, rec.Body.Bytes(), []string{strconv.Itoa(rec.Body.Len())}}
		if rec.Code == http.StatusOK {
			ok++
		}
	}
	jsonType := []string{"application/json"}
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, found := answers[r.URL.Path]
		if !found {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h["Content-Type"] = jsonType
		h["Content-Length"] = a.length
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	})
	var profFile *os.File
	profiles := 0
	control := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cpu":
			var ru syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			us := ru.Utime.Sec*1e6 + ru.Utime.Usec + ru.Stime.Sec*1e6 + ru.Stime.Usec
			fmt.Fprintln(w, us)
		case "/profile-start":
			// A profile per round: go tool pprof merges the files.
			profiles++
			f, err := os.Create(profile + "." + strconv.Itoa(profiles))
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			profFile = f
			if err := pprof.StartCPUProfile(profFile); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			fmt.Fprintln(w, 0)
		case "/profile-stop":
			pprof.StopCPUProfile()
			if profFile != nil {
				profFile.Close()
				profFile = nil
			}
			fmt.Fprintln(w, 0)
		default:
			http.NotFound(w, r)
		}
	})
	listen := func() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }
	lnSvc, err := listen()
	if err != nil {
		return err
	}
	lnBare, err := listen()
	if err != nil {
		return err
	}
	lnCtl, err := listen()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, lnSvc) }()
	// The bare handler gets the service's http.Server settings, so that
	// the two differ only in the handler.
	hs := srv.HTTPServer(lnBare.Addr().String())
	hs.Handler = bare
	go func() { _ = hs.Serve(lnBare) }()
	go func() { _ = http.Serve(lnCtl, control) }()
	fmt.Fprintln(stdout, lnSvc.Addr(), lnBare.Addr(), lnCtl.Addr(), ok)
	_, _ = io.Copy(io.Discard, rd) // until the parent closes stdin
	if profFile != nil {
		pprof.StopCPUProfile()
		profFile.Close()
	}
	cancel()
	_ = hs.Close()
	return <-done
}
