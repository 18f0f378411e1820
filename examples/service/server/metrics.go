package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/valuepath/valuepath/health"
)

// Metric names, in Prometheus's naming conventions: the valuepath_ prefix,
// base units (seconds), _total on counters. The service README lists them.
const (
	metricRequests       = "valuepath_http_requests_total"
	metricRequestSeconds = "valuepath_http_request_duration_seconds"
	metricHealthAccounts = "valuepath_health_accounts"
	metricHealthAsOf     = "valuepath_health_as_of_timestamp_seconds"
	metricHealthErrors   = "valuepath_health_distribution_errors_total"
)

// requestBuckets are the latency histogram's upper bounds in seconds: the
// health endpoint answers in tens of microseconds warm, a distribution of
// a large base in hundreds of milliseconds.
var requestBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}

// metrics holds the service's collectors and its registry.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec   // method, route, code
	seconds  *prometheus.HistogramVec // method, route
	routes   map[string]*routeMetrics // by ServeMux pattern
}

// routeMetrics caches the children of one pattern that names its method, so
// that the hot path does no label hashing: the histogram child, and one
// counter per status code, made on first use.
type routeMetrics struct {
	method, route string
	seconds       prometheus.Observer
	codes         [600]atomic.Pointer[prometheus.Counter]
}

func (m *routeMetrics) counter(vec *prometheus.CounterVec, code int) prometheus.Counter {
	if code < 100 || code >= len(m.codes) {
		return vec.WithLabelValues(m.method, m.route, strconv.Itoa(code))
	}
	if c := m.codes[code].Load(); c != nil {
		return *c
	}
	c := vec.WithLabelValues(m.method, m.route, strconv.Itoa(code))
	m.codes[code].Store(&c)
	return c
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: metricRequests,
			Help: "HTTP requests served, by method, route (the ServeMux pattern, not the raw path) and status code.",
		}, []string{"method", "route", "code"}),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    metricRequestSeconds,
			Help:    "Time to serve an HTTP request, by method and route, in seconds.",
			Buckets: requestBuckets,
		}, []string{"method", "route"}),
		routes: map[string]*routeMetrics{},
	}
	m.reg.MustRegister(m.requests, m.seconds, &healthCollector{s: s},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// route registers pattern ("GET /v1/…") for the fast path.
func (m *metrics) route(pattern string) {
	method, route, ok := strings.Cut(pattern, " ")
	if !ok {
		return
	}
	m.routes[pattern] = &routeMetrics{method: method, route: route, seconds: m.seconds.WithLabelValues(method, route)}
}

// observe records one request. pattern is the ServeMux pattern that
// matched; a pattern without a method (the 405 answers, and "/" for
// paths without an endpoint) takes the method from the request, limited
// to the standard ones so that a client cannot grow the label set.
func (m *metrics) observe(r *http.Request, code int, d time.Duration) {
	if rm := m.routes[r.Pattern]; rm != nil {
		rm.counter(m.requests, code).Inc()
		rm.seconds.Observe(d.Seconds())
		return
	}
	method := r.Method
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
	default:
		method = "other"
	}
	route := r.Pattern
	if route == "" {
		route = "none"
	}
	m.requests.WithLabelValues(method, route, strconv.Itoa(code)).Inc()
	m.seconds.WithLabelValues(method, route).Observe(d.Seconds())
}

// handler serves the registry in the exposition format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// healthCollector reports the base's health as of Config.DefaultAsOf:
// accounts per band and segment (band "unavailable" for accounts without
// data), read through the distribution cache, so a scrape recomputes the
// base at most once per Config.CacheTTL and shares the work with
// /v1/health/distribution requests for the same asOf and segment.
type healthCollector struct {
	s      *Server
	errors atomic.Uint64
}

var (
	healthAccountsDesc = prometheus.NewDesc(metricHealthAccounts,
		"Accounts per health band and segment as of the service's default asOf; band \"unavailable\" counts accounts without data in the windows.",
		[]string{"segment", "band"}, nil)
	healthAsOfDesc = prometheus.NewDesc(metricHealthAsOf,
		"The asOf of the valuepath_health_accounts gauges, as a Unix time in seconds.", nil, nil)
	healthErrorsDesc = prometheus.NewDesc(metricHealthErrors,
		"Scrapes whose health distribution of a segment could not be computed (the gauges of that segment are then left out).", nil, nil)
)

func (c *healthCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- healthAccountsDesc
	ch <- healthAsOfDesc
	ch <- healthErrorsDesc
}

func (c *healthCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	asOf := s.asOf
	ch <- prometheus.MustNewConstMetric(healthAsOfDesc, prometheus.GaugeValue, float64(asOf.UnixNano())/1e9)
	var wg sync.WaitGroup
	for _, seg := range s.segNames {
		key := distKey{asOf: asOf.UnixNano(), segment: seg, bins: defaultBins}
		ids := s.segments[seg]
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), s.limits.RequestTimeout)
			defer cancel()
			body, err := s.dist.get(ctx, key, s.limits.RequestTimeout, func(ctx context.Context) ([]byte, error) {
				return s.distribution(ctx, ids, asOf, seg, defaultBins)
			})
			// The cache holds the encoded answer of
			// /v1/health/distribution?segment=seg: read its counts back.
			var res struct {
				Bands       []health.BandCount `json:"bands"`
				Unavailable int                `json:"unavailable"`
			}
			if err == nil {
				err = json.Unmarshal(body, &res)
			}
			if err != nil {
				c.errors.Add(1)
				s.log.Warn("metrics: health distribution", "segment", seg, "error", err.Error())
				return
			}
			for _, b := range res.Bands {
				ch <- prometheus.MustNewConstMetric(healthAccountsDesc, prometheus.GaugeValue, float64(b.Count), seg, string(b.Band))
			}
			ch <- prometheus.MustNewConstMetric(healthAccountsDesc, prometheus.GaugeValue, float64(res.Unavailable), seg, "unavailable")
		})
	}
	wg.Wait()
	ch <- prometheus.MustNewConstMetric(healthErrorsDesc, prometheus.CounterValue, float64(c.errors.Load()))
}
