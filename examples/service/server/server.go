package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/engagement"
	"github.com/valuepath/valuepath/health"
)

// AccountInfo is what the service knows about an account besides its data:
// the metadata the engagement agenda needs and the segment the health
// distribution filters on. A host fills it from its own account table.
type AccountInfo struct {
	ID       valuepath.AccountID
	Name     string
	Segment  string
	TimeZone string    // IANA name; empty means UTC
	Start    time.Time // contract start
}

// Limits bounds what one request may cost and how long a connection may
// take. Zero fields take the documented defaults.
type Limits struct {
	// RequestTimeout is the deadline of each request's work, passed to the
	// Provider through the request context. Default 2s. A request that
	// runs out of time gets 504.
	RequestTimeout time.Duration
	// MaxBodyBytes caps a request body; a larger one gets 413. Default 1 MiB.
	MaxBodyBytes int64
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout go to
	// the http.Server built by [Server.HTTPServer]. Defaults 2s, 5s, 10s
	// and 60s.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	// MaxHeaderBytes caps the request header. Default 16 KiB.
	MaxHeaderBytes int
	// ShutdownTimeout is how long [Server.Serve] lets in-flight requests
	// finish after its context is done before closing every connection.
	// Default 10s.
	ShutdownTimeout time.Duration
}

func (l Limits) withDefaults() Limits {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&l.RequestTimeout, 2*time.Second)
	def(&l.ReadHeaderTimeout, 2*time.Second)
	def(&l.ReadTimeout, 5*time.Second)
	def(&l.WriteTimeout, 10*time.Second)
	def(&l.IdleTimeout, 60*time.Second)
	def(&l.ShutdownTimeout, 10*time.Second)
	if l.MaxBodyBytes == 0 {
		l.MaxBodyBytes = 1 << 20
	}
	if l.MaxHeaderBytes == 0 {
		l.MaxHeaderBytes = 16 << 10
	}
	return l
}

// Config is everything a [Server] serves. Provider, Accounts, Derivations,
// Scorecard and DefaultAsOf are required; Effectiveness and Engagement are
// optional (their endpoints answer 404 without them). Any [valuepath.Provider]
// works: the in-memory demo one, or one over a database.
type Config struct {
	// Provider serves the accounts' series and events.
	Provider valuepath.Provider
	// Accounts lists the accounts the service serves, with their metadata.
	// It is copied; ids must be unique and non-empty.
	Accounts []AccountInfo
	// Derivations derives every metric the models read, once per request.
	Derivations *valuepath.Derivations
	// Scorecard scores health; every metric it reads must be derived.
	Scorecard *health.Scorecard
	// Effectiveness places accounts on phases; its metrics must be derived.
	Effectiveness *effectiveness.Model
	// Engagement holds one model per segment; every account's segment must
	// have one.
	Engagement *engagement.Catalog
	// DefaultAsOf is the asOf of requests that give none. The library never
	// reads the clock, and neither does the service: a host that wants
	// "now" sets it at start-up or passes asOf on every request.
	DefaultAsOf time.Time
	// Limits bounds requests and connections.
	Limits Limits
	// Concurrency is how many accounts the distribution endpoint evaluates
	// at once. Zero means GOMAXPROCS.
	Concurrency int
	// CacheEntries bounds the distribution cache (one entry per asOf,
	// segment and bin count); zero means 64, negative disables the cache.
	CacheEntries int
	// CacheTTL is how long a cached distribution is served; zero means one
	// minute. Results as of a past asOf change only if the host's data
	// for that past changes, so a short TTL is enough for most hosts.
	CacheTTL time.Duration
	// Logger receives start-up, shutdown and 5xx errors (with the internal
	// error the client never sees). Nil logs nothing.
	Logger *slog.Logger
	// LogRequests logs one line per request at Info level when Logger is
	// set: method, route (the ServeMux pattern, such as
	// "/v1/accounts/{id}/health", not the raw path), status and duration.
	// The Logger's handler decides the format (slog.NewTextHandler,
	// slog.NewJSONHandler, or the host's own).
	LogRequests bool
}

// Server is the HTTP JSON service: an [http.Handler] over loaded models.
// Make one with [New]; it is safe for concurrent use. Serve it with any
// http.Server, or with [Server.Serve] for the hardened server with graceful
// shutdown.
type Server struct {
	provider    valuepath.Provider
	derivations *valuepath.Derivations
	// healthDerivations is the part of derivations the scorecard reads.
	healthDerivations *valuepath.Derivations
	scorecard         *health.Scorecard
	assessor          *effectiveness.Assessor
	engagement        *engagement.Catalog
	asOf              time.Time
	limits            Limits
	concurrency       int
	log               *slog.Logger
	logRequests       bool

	accounts  map[valuepath.AccountID]*AccountInfo
	ids       []valuepath.AccountID            // sorted
	segments  map[string][]valuepath.AccountID // sorted ids per segment
	segNames  []string
	scoreSet  *valuepath.Schema // the scorecard's metrics, for POST /v1/score
	mux       *http.ServeMux
	states    sync.Pool // *state
	writers   sync.Pool // *statusWriter
	dist      *distCache
	draining  atomic.Bool
	metrics   *metrics
	defaultAs []byte // DefaultAsOf in RFC 3339, for messages
}

// New validates cfg and builds the server. Every problem is reported,
// joined: missing parts, duplicate or empty account ids, unknown time zones,
// metrics the models read that the derivations do not produce, and segments
// without an engagement model.
func New(cfg Config) (*Server, error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("server: config.%s: "+format, append([]any{field}, args...)...))
	}
	if cfg.Provider == nil {
		bad("Provider", "must not be nil")
	}
	if cfg.Derivations == nil {
		bad("Derivations", "must not be nil")
	}
	if cfg.Scorecard == nil {
		bad("Scorecard", "must not be nil")
	}
	if cfg.DefaultAsOf.IsZero() {
		bad("DefaultAsOf", "must not be zero")
	}
	if cfg.Limits.RequestTimeout < 0 || cfg.Limits.MaxBodyBytes < 0 || cfg.Limits.ReadHeaderTimeout < 0 ||
		cfg.Limits.ReadTimeout < 0 || cfg.Limits.WriteTimeout < 0 || cfg.Limits.IdleTimeout < 0 ||
		cfg.Limits.MaxHeaderBytes < 0 || cfg.Limits.ShutdownTimeout < 0 {
		bad("Limits", "must not be negative")
	}
	if cfg.Concurrency < 0 {
		bad("Concurrency", "must not be negative, got %d", cfg.Concurrency)
	}
	s := &Server{
		provider:    cfg.Provider,
		derivations: cfg.Derivations,
		scorecard:   cfg.Scorecard,
		engagement:  cfg.Engagement,
		asOf:        cfg.DefaultAsOf,
		limits:      cfg.Limits.withDefaults(),
		concurrency: cfg.Concurrency,
		log:         cfg.Logger,
		logRequests: cfg.LogRequests && cfg.Logger != nil,
		accounts:    make(map[valuepath.AccountID]*AccountInfo, len(cfg.Accounts)),
		segments:    map[string][]valuepath.AccountID{},
	}
	if s.log == nil {
		s.log = slog.New(discard{})
	}
	infos := slices.Clone(cfg.Accounts)
	for i := range infos {
		a := &infos[i]
		path := "Accounts[" + strconv.Itoa(i) + "]"
		switch {
		case a.ID == "":
			bad(path+".ID", "must not be empty")
			continue
		case s.accounts[a.ID] != nil:
			bad(path+".ID", "duplicate account %q", a.ID)
			continue
		}
		if a.TimeZone != "" && a.TimeZone != "UTC" {
			if _, err := engagement.LoadZone(a.TimeZone); err != nil {
				bad(path+".TimeZone", "%v", err)
			}
		}
		if cfg.Engagement != nil {
			if _, ok := cfg.Engagement.Model(a.Segment); !ok {
				bad(path+".Segment", "no engagement model for segment %q", a.Segment)
			}
		}
		s.accounts[a.ID] = a
		s.ids = append(s.ids, a.ID)
		s.segments[a.Segment] = append(s.segments[a.Segment], a.ID)
	}
	slices.SortFunc(s.ids, cmp.Compare)
	for seg, ids := range s.segments {
		slices.SortFunc(ids, cmp.Compare)
		s.segNames = append(s.segNames, seg)
	}
	slices.Sort(s.segNames)
	if cfg.Derivations != nil && cfg.Scorecard != nil {
		if err := cfg.Scorecard.Check(cfg.Derivations.Schema()); err != nil {
			errs = append(errs, fmt.Errorf("server: config.Scorecard: %w", err))
		}
		schema, err := valuepath.NewSchema(cfg.Scorecard.Metrics()...)
		if err != nil {
			errs = append(errs, fmt.Errorf("server: config.Scorecard: %w", err))
		}
		s.scoreSet = schema
		hd, err := derivationsFor(cfg.Derivations, cfg.Scorecard.Metrics())
		if err != nil {
			errs = append(errs, fmt.Errorf("server: config.Derivations: the scorecard's part: %w", err))
		}
		s.healthDerivations = hd
	}
	if cfg.Derivations != nil && cfg.Effectiveness != nil {
		a, err := cfg.Effectiveness.Bind(cfg.Derivations.Schema(), effectiveness.Options{})
		if err != nil {
			errs = append(errs, fmt.Errorf("server: config.Effectiveness: %w", err))
		}
		s.assessor = a
	}
	if cfg.Derivations != nil && cfg.Engagement != nil {
		if err := cfg.Engagement.Check(cfg.Derivations.Schema()); err != nil {
			errs = append(errs, fmt.Errorf("server: config.Engagement: %w", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	s.defaultAs = s.asOf.AppendFormat(nil, time.RFC3339)
	s.states.New = func() any { return s.newState() }
	s.writers.New = func() any { return new(statusWriter) }
	s.dist = newDistCache(cfg.CacheEntries, cfg.CacheTTL)
	s.metrics = newMetrics(s)
	s.routes()
	return s, nil
}

// discard is a slog.Handler that drops everything.
type discard struct{}

func (discard) Enabled(context.Context, slog.Level) bool  { return false }
func (discard) Handle(context.Context, slog.Record) error { return nil }
func (d discard) WithAttrs([]slog.Attr) slog.Handler      { return d }
func (d discard) WithGroup(string) slog.Handler           { return d }

// routes registers every endpoint. Each path is registered twice: with its
// method, and without one to answer other methods with a JSON 405 (the
// pattern with a method is more specific, so it wins for its method).
func (s *Server) routes() {
	mux := http.NewServeMux()
	handle := func(method, path string, h http.HandlerFunc) {
		mux.HandleFunc(method+" "+path, h)
		s.metrics.route(method + " " + path)
		allow := method
		if method == http.MethodGet {
			allow = "GET, HEAD"
		}
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			s.writeError(w, r, &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
				Message: quoteShort(r.Method) + " is not allowed on " + path + "; use " + method})
		})
	}
	handle(http.MethodGet, "/v1/accounts/{id}/health", s.handleHealth)
	handle(http.MethodGet, "/v1/accounts/{id}/effectiveness", s.handleEffectiveness)
	handle(http.MethodGet, "/v1/accounts/{id}/agenda", s.handleAgenda)
	handle(http.MethodGet, "/v1/health/distribution", s.handleDistribution)
	handle(http.MethodPost, "/v1/score", s.handleScore)
	handle(http.MethodGet, "/healthz", s.handleHealthz)
	handle(http.MethodGet, "/metrics", s.metrics.handler().ServeHTTP)
	mux.HandleFunc("/", s.notFound)
	s.mux = mux
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no endpoint at " + quoteShort(r.URL.Path)})
}

// route answers requests whose path is not clean, which http.ServeMux
// would redirect with an HTML body: a JSON redirect to the clean path
// when an endpoint serves it (308 for methods other than GET and HEAD, so
// that the method and body survive), a JSON 404 otherwise (an empty
// segment, as in /v1/accounts//health, is an empty id, not a path to
// shorten). Every other request goes to the mux.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if r.Method == http.MethodConnect || p == "" || p[0] != '/' {
		s.writeError(w, r, &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no endpoint at " + quoteShort(p)})
		return
	}
	clean := cleanPath(p)
	if clean == p {
		s.mux.ServeHTTP(w, r)
		return
	}
	if strings.Contains(strings.TrimLeft(p, "/"), "//") {
		s.writeError(w, r, &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no endpoint at " + quoteShort(p) + ": the path has an empty segment"})
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path, r2.URL.RawPath = clean, ""
	if _, pattern := s.mux.Handler(r2); pattern == "/" || pattern == "" {
		s.writeError(w, r, &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no endpoint at " + quoteShort(clean)})
		return
	}
	loc := (&url.URL{Path: clean, RawQuery: r.URL.RawQuery}).String()
	status := http.StatusMovedPermanently
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		status = http.StatusPermanentRedirect
	}
	w.Header().Set("Location", loc)
	s.writeError(w, r, &Error{Status: status, Code: "moved", Message: "the path is not canonical; use " + quoteShort(clean)})
}

// cleanPath is what http.ServeMux redirects to: path.Clean, keeping a
// trailing slash.
func cleanPath(p string) string {
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
}

// ServeHTTP implements [http.Handler]. Every response is JSON, the answers
// to unclean paths included (see route). Every request is counted and timed
// for /metrics by the ServeMux pattern that matched it, and logged when
// Config.LogRequests is set.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := s.writers.Get().(*statusWriter)
	sw.ResponseWriter, sw.status, sw.wroteHeader = w, http.StatusOK, false
	s.route(sw, r)
	d := time.Since(start)
	status := sw.status
	sw.ResponseWriter = nil
	s.writers.Put(sw)
	// The mux sets r.Pattern on the request it was given.
	s.metrics.observe(r, status, d)
	if s.logRequests {
		route, _ := strings.CutPrefix(r.Pattern, r.Method+" ")
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("route", route),
			slog.Int("status", status), slog.Duration("duration", d))
	}
}

// statusWriter records the status code for the metrics and the request
// log; pooled, so that the hot path allocates nothing for it.
type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	w.wroteHeader = true
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Accounts returns the served account ids in sorted order.
func (s *Server) Accounts() []valuepath.AccountID { return slices.Clone(s.ids) }

// Draining reports whether the server is shutting down; /healthz then
// answers 503 so that a load balancer stops sending traffic.
func (s *Server) Draining() bool { return s.draining.Load() }
