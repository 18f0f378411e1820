// Command service runs valuepath as an HTTP JSON service over the demo
// customer base: account health, effectiveness, engagement agendas, the
// health distribution, and scoring of posted snapshots.
//
// Run it from the repository root:
//
//	go run ./examples/service -addr 127.0.0.1:8080
//	curl -s localhost:8080/v1/accounts/acct-0001/health
//
// With -db, metrics, events and the account table come from a SQLite file
// written by examples/sqlprovider (go run ./examples/sqlprovider/cmd/loaddemo
// -db /tmp/demo.db) instead of the in-memory demo base:
//
//	go run ./examples/service -db /tmp/demo.db
//
// The file is opened read-only (it may be on a read-only volume); a file
// whose load has not finished (demo.db.partial) is refused with a message
// saying so.
//
// The models are the demo's unless -scorecard, -effectiveness or
// -engagement name JSON files to load instead; they are validated at
// start-up, and a bad file stops the command with exit code 1. SIGINT or
// SIGTERM shuts the server down gracefully. See README.md for every
// endpoint and the load-test figures.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/engagement"
	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/examples/service/server"
	"github.com/valuepath/valuepath/examples/sqlprovider"
	"github.com/valuepath/valuepath/health"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "service:", err)
		stop()
		os.Exit(1)
	}
}

// run parses args, builds the server and serves until ctx is done. If ready
// is not nil, the listening address is sent on it once the server listens.
func run(ctx context.Context, args []string, stderr io.Writer, ready chan<- string) error {
	fs := flag.NewFlagSet("service", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	accounts := fs.Int("accounts", 300, "accounts in the demo base")
	seed := fs.Uint64("seed", 1, "seed of the demo base")
	dbFile := fs.String("db", "", "SQLite file written by examples/sqlprovider/cmd/loaddemo to serve instead of the in-memory demo base")
	asOfFlag := fs.String("asof", "", "default asOf of requests (2006-01-02 or RFC 3339); default the demo base's AsOf")
	scorecardFile := fs.String("scorecard", "", "JSON health scorecard to load instead of the demo's")
	effFile := fs.String("effectiveness", "", "JSON effectiveness model to load instead of the demo's")
	engFile := fs.String("engagement", "", "JSON engagement catalog to load instead of the demo's")
	logMode := fs.String("log", "errors", "what to log to stderr: off, errors (5xx and lifecycle) or requests")
	logFormat := fs.String("log-format", "text", "format of the log: text or json (log/slog's handlers)")
	timeout := fs.Duration("timeout", 2*time.Second, "deadline of each request's work")
	grace := fs.Duration("grace", 10*time.Second, "how long in-flight requests may finish on shutdown")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file, for go tool pprof")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var logger *slog.Logger
	switch *logMode {
	case "off":
	case "errors", "requests":
		switch *logFormat {
		case "text":
			logger = slog.New(slog.NewTextHandler(stderr, nil))
		case "json":
			logger = slog.New(slog.NewJSONHandler(stderr, nil))
		default:
			return fmt.Errorf("-log-format: want text or json, got %q", *logFormat)
		}
	default:
		return fmt.Errorf("-log: want off, errors or requests, got %q", *logMode)
	}

	var (
		provider valuepath.Provider
		infos    []server.AccountInfo
		asOf     = demo.DefaultAsOf
		err      error
	)
	if *dbFile != "" {
		// The database holds the data and the account table; -accounts
		// and -seed do not apply.
		// Read-only: the service never writes, and the file may sit on a
		// read-only volume.
		db, err := sqlprovider.Open(ctx, *dbFile, sqlprovider.Options{ReadOnly: true})
		if err != nil {
			return fmt.Errorf("-db: %w", err)
		}
		defer db.Close()
		accts, err := db.Accounts(ctx)
		if err != nil {
			return fmt.Errorf("-db: %w", err)
		}
		infos = make([]server.AccountInfo, len(accts))
		for i, a := range accts {
			infos[i] = server.AccountInfo{ID: a.ID, Name: a.Name, Segment: a.Segment, TimeZone: a.TimeZone, Start: a.Start}
		}
		provider = db
	} else {
		base, err := demo.Generate(demo.Config{Accounts: *accounts, Seed: *seed})
		if err != nil {
			return err
		}
		infos = make([]server.AccountInfo, len(base.Accounts))
		for i, a := range base.Accounts {
			infos[i] = server.AccountInfo{ID: a.ID, Name: a.Name, Segment: a.Segment, TimeZone: a.TimeZone, Start: a.Start}
		}
		provider, asOf = base.Provider, base.AsOf
	}
	if *asOfFlag != "" {
		if asOf, err = server.ParseAsOf(*asOfFlag); err != nil {
			return fmt.Errorf("-asof: %w", err)
		}
	}
	sc := demo.Scorecard()
	if *scorecardFile != "" {
		if sc, err = load(*scorecardFile, health.ParseScorecard); err != nil {
			return fmt.Errorf("-scorecard: %w", err)
		}
	}
	eff := demo.EffectivenessModel()
	if *effFile != "" {
		if eff, err = load(*effFile, effectiveness.ParseModel); err != nil {
			return fmt.Errorf("-effectiveness: %w", err)
		}
	}
	eng := demo.EngagementCatalog()
	if *engFile != "" {
		if eng, err = load(*engFile, engagement.ParseCatalog); err != nil {
			return fmt.Errorf("-engagement: %w", err)
		}
	}
	srv, err := server.New(server.Config{
		Provider:      provider,
		Accounts:      infos,
		Derivations:   demo.AllDerivations(),
		Scorecard:     sc,
		Effectiveness: eff,
		Engagement:    eng,
		DefaultAsOf:   asOf,
		Limits:        server.Limits{RequestTimeout: *timeout, ShutdownTimeout: *grace},
		Logger:        logger,
		LogRequests:   *logMode == "requests",
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			ln.Close()
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			ln.Close()
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if ready != nil {
		ready <- ln.Addr().String()
	}
	return srv.Serve(ctx, ln)
}

// load reads a model file and compiles it with parse.
func load[T any](path string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	data, err := os.ReadFile(path)
	if err != nil {
		return zero, err
	}
	m, err := parse(data)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
