package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
)

// DistributionResponse is the body of GET /v1/health/distribution: the
// health distribution of the base (or of one segment) as of asOf.
type DistributionResponse struct {
	AsOf      time.Time `json:"as_of"`
	Segment   string    `json:"segment,omitempty"`
	Accounts  int       `json:"accounts"` // accounts evaluated: Count + Unavailable
	Scorecard string    `json:"scorecard"`
	*health.Distribution
}

// defaultBins gives 5-point bins, which never straddle a default band edge.
const defaultBins = 20

func (s *Server) handleDistribution(w http.ResponseWriter, r *http.Request) {
	q, e := params(r, "asOf", "segment", "bins")
	if e != nil {
		s.writeError(w, r, e)
		return
	}
	asOf, e := s.asOfParam(q)
	if e != nil {
		s.writeError(w, r, e)
		return
	}
	ids := s.ids
	seg, bySegment := q["segment"]
	segment := ""
	if bySegment {
		segment = seg[0]
		var ok bool
		if ids, ok = s.segments[segment]; !ok {
			s.writeError(w, r, &Error{Status: http.StatusBadRequest, Code: "unknown_segment",
				Message: "no accounts in segment " + quoteShort(segment) + "; segments: " + strings.Join(s.segNames, ", "), Field: "segment"})
			return
		}
	}
	bins := defaultBins
	if v, ok := q["bins"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > 100 {
			s.writeError(w, r, &Error{Status: http.StatusBadRequest, Code: "bad_bins", Message: "bins must be an integer from 1 to 100, got " + quoteShort(v[0]), Field: "bins"})
			return
		}
		bins = n
	}
	key := distKey{asOf: asOf.UnixNano(), segment: segment, all: !bySegment, bins: bins}
	compute := func(ctx context.Context) ([]byte, error) {
		return s.distribution(ctx, ids, asOf, segment, bins)
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.limits.RequestTimeout)
	defer cancel()
	body, err := s.dist.get(ctx, key, s.limits.RequestTimeout, compute)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	writeJSON(w, body)
}

// distribution evaluates ids as of asOf with bounded concurrency, summarises
// each without explanation, and encodes the distribution. Accounts without
// data in the windows (churned long before asOf, or not yet started), and
// accounts the provider does not know yet (listed by the host before any of
// their data arrived), are counted as unavailable: one of them must not fail
// the whole base.
func (s *Server) distribution(ctx context.Context, ids []valuepath.AccountID, asOf time.Time, segment string, bins int) ([]byte, error) {
	scores := make([]health.Score, 0, len(ids))
	var (
		failed          error
		noData, unknown int
		lastData        time.Time
	)
	snaps := func(yield func(*valuepath.Snapshot) bool) {
		for snap, err := range s.derivations.EvaluateAll(ctx, s.provider, slices.Values(ids), asOf, valuepath.BatchOptions{Concurrency: s.concurrency}) {
			if err != nil {
				var nd *valuepath.NoDataError
				switch {
				case snap == nil:
					failed = err
					return
				case errors.As(err, &nd):
					noData++
					if nd.LastSample.After(lastData) {
						lastData = nd.LastSample
					}
				case errors.Is(err, valuepath.ErrNoData):
					noData++
				case errors.Is(err, valuepath.ErrUnknownAccount):
					unknown++
				default:
					failed = err
					return
				}
				// What /health answers 422 or 404 for is not present
				// here: with every metric missing, no measure has data,
				// whatever the missing-value policies.
				snap.Reset(snap.Account, asOf)
			}
			if !yield(snap) {
				return
			}
		}
	}
	// EvaluateAll above already uses the cores; summarizing is cheap.
	for sum, err := range s.scorecard.SummarizeAll(snaps, valuepath.BatchOptions{Concurrency: 1}) {
		if err != nil {
			return nil, err
		}
		scores = append(scores, health.Score{Account: sum.Account, AsOf: sum.AsOf, Present: sum.Present, Reason: sum.Reason,
			Value: sum.Value, Band: sum.Band, DataBand: sum.DataBand, Coverage: sum.Coverage})
	}
	if failed != nil {
		return nil, failed
	}
	ptrs := make([]*health.Score, len(scores))
	for i := range scores {
		ptrs[i] = &scores[i]
	}
	d, err := s.scorecard.Distribution(ptrs, health.DistributionOptions{Bins: bins})
	if err != nil {
		return nil, err
	}
	if d.Count == 0 {
		return nil, noScores(len(ids), asOf, noData, unknown, lastData)
	}
	st := s.getState()
	defer s.putState(st)
	st.out.Reset()
	if err := st.enc.Encode(DistributionResponse{AsOf: asOf, Segment: segment, Accounts: len(ids), Scorecard: s.scorecard.Hash(), Distribution: d}); err != nil {
		return nil, err
	}
	return slices.Clone(st.out.Bytes()), nil
}

// noScores is the answer for a distribution with no account scored: a
// histogram of zeros would read as a base of unhealthy accounts.
func noScores(accounts int, asOf time.Time, noData, unknown int, lastData time.Time) *Error {
	msg := "none of the " + strconv.Itoa(accounts) + " accounts has a health score as of " + asOf.Format(time.RFC3339) + ": " +
		strconv.Itoa(noData) + " have no data in any window"
	if unknown > 0 {
		msg += ", " + strconv.Itoa(unknown) + " are unknown to the data"
	}
	if other := accounts - noData - unknown; other > 0 {
		msg += ", " + strconv.Itoa(other) + " lack the measures a score needs"
	}
	if !lastData.IsZero() {
		msg += "; the newest data before their windows is from " + lastData.Format(time.RFC3339)
	}
	return &Error{Status: http.StatusUnprocessableEntity, Code: "no_scores", Message: msg, Field: "asOf"}
}

// distKey identifies one distribution.
type distKey struct {
	asOf    int64
	segment string
	all     bool
	bins    int
}

// distCache holds encoded distributions: at most max entries, each served
// for ttl, evicted oldest first. Concurrent requests for the same missing
// key share one computation, which runs under its own deadline so that one
// client going away does not fail the others. A nil *distCache caches
// nothing.
type distCache struct {
	mu      sync.Mutex
	max     int
	ttl     time.Duration
	entries map[distKey]*distEntry
	order   []distKey // insertion order, oldest first
}

type distEntry struct {
	done chan struct{} // closed when body and err are set
	body []byte
	err  error
	at   time.Time
}

func newDistCache(entries int, ttl time.Duration) *distCache {
	if entries < 0 {
		return nil
	}
	if entries == 0 {
		entries = 64
	}
	if ttl <= 0 {
		ttl = time.Minute
	}
	return &distCache{max: entries, ttl: ttl, entries: map[distKey]*distEntry{}}
}

// get returns the cached body for key, computing it if needed. ctx bounds
// how long this caller waits; the computation itself gets timeout.
func (c *distCache) get(ctx context.Context, key distKey, timeout time.Duration, compute func(context.Context) ([]byte, error)) ([]byte, error) {
	if c == nil {
		return compute(ctx)
	}
	c.mu.Lock()
	e := c.entries[key]
	if e != nil {
		select {
		case <-e.done:
			if time.Since(e.at) > c.ttl {
				c.remove(key)
				e = nil
			}
		default: // in flight: wait for it below
		}
	}
	if e == nil {
		e = &distEntry{done: make(chan struct{})}
		c.entries[key] = e
		c.order = append(c.order, key)
		for len(c.order) > c.max {
			c.remove(c.order[0])
		}
		c.mu.Unlock()
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		e.body, e.err = compute(cctx)
		cancel()
		e.at = time.Now()
		close(e.done)
		if e.err != nil {
			c.mu.Lock()
			if c.entries[key] == e {
				c.remove(key)
			}
			c.mu.Unlock()
		}
		return e.body, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.body, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// remove drops key; c.mu must be held.
func (c *distCache) remove(key distKey) {
	delete(c.entries, key)
	if i := slices.Index(c.order, key); i >= 0 {
		c.order = slices.Delete(c.order, i, i+1)
	}
}

// len returns the number of entries, for tests.
func (c *distCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
