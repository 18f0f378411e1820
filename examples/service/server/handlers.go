package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/engagement"
	"github.com/valuepath/valuepath/health"
)

// draggers is how many of the measures that cost an account most points a
// score response lists.
const draggers = 3

// state is the per-request scratch space, pooled so that the health
// endpoint allocates next to nothing: a snapshot to derive into, a score
// to score into, and the response buffer.
type state struct {
	snap   *valuepath.Snapshot // on the whole derivation set
	hsnap  *valuepath.Snapshot // on the health endpoint's part of it
	score  health.Score
	drag   []health.MeasureScore
	buf    []byte
	out    bytes.Buffer
	enc    *json.Encoder
	assess *effectiveness.Assessment
	agenda engagement.Agenda
	posted *valuepath.Snapshot // on the scorecard's schema, for POST /v1/score
	cache  encCache            // the score encoder's recurring times and shares
}

func (s *Server) newState() *state {
	st := &state{snap: s.derivations.NewSnapshot(), hsnap: s.healthDerivations.NewSnapshot(), posted: valuepath.NewSnapshot(s.scoreSet, "", time.Time{})}
	st.enc = json.NewEncoder(&st.out)
	st.enc.SetEscapeHTML(false)
	if s.assessor != nil {
		st.assess = s.assessor.NewAssessment()
	}
	return st
}

// maxPooledBuf keeps one huge response from pinning its buffer in the pool.
const maxPooledBuf = 256 << 10

func (s *Server) getState() *state { return s.states.Get().(*state) }

func (s *Server) putState(st *state) {
	if cap(st.buf) > maxPooledBuf || st.out.Cap() > maxPooledBuf {
		return
	}
	st.out.Reset()
	s.states.Put(st)
}

// jsonType is shared by every response: the header map keeps the slice, and
// net/http never modifies it, so setting it costs no allocation.
var jsonType = []string{"application/json"}

// writeJSON writes body with status 200.
func writeJSON(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h["Content-Type"] = jsonType
	h["Content-Length"] = contentLength(len(body))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// contentLengths holds the Content-Length header values of bodies shorter
// than 16 KiB, each made on first use and then shared by every response of
// that length, as jsonType is: a header value costs no allocation.
var contentLengths [16 << 10]atomic.Pointer[[]string]

// contentLength returns the Content-Length header value of an n-byte body.
func contentLength(n int) []string {
	if n < 0 || n >= len(contentLengths) {
		return []string{strconv.Itoa(n)}
	}
	if v := contentLengths[n].Load(); v != nil {
		return *v
	}
	v := []string{strconv.Itoa(n)}
	contentLengths[n].Store(&v)
	return v
}

// encode writes v as JSON through the state's encoder.
func (s *Server) encode(w http.ResponseWriter, r *http.Request, st *state, v any) {
	st.out.Reset()
	if err := st.enc.Encode(v); err != nil {
		s.fail(w, r, err, "")
		return
	}
	writeJSON(w, st.out.Bytes())
}

// params checks that the query holds only the allowed parameters, each at
// most once, and returns it. A typo such as ?asof= is an error rather than
// a silently ignored parameter.
func params(r *http.Request, allowed ...string) (url.Values, *Error) {
	if r.URL.RawQuery == "" {
		return nil, nil
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &Error{Status: http.StatusBadRequest, Code: "bad_query", Message: "malformed query string: " + err.Error()}
	}
	for _, k := range slices.Sorted(maps.Keys(q)) { // the first problem, in a stable order
		v := q[k]
		if !slices.Contains(allowed, k) {
			msg := "unknown query parameter " + quoteShort(k)
			if len(allowed) > 0 {
				msg += "; allowed: " + strings.Join(allowed, ", ")
			}
			return nil, &Error{Status: http.StatusBadRequest, Code: "unknown_parameter", Message: msg, Field: cut(k)}
		}
		if len(v) > 1 {
			return nil, &Error{Status: http.StatusBadRequest, Code: "repeated_parameter", Message: "query parameter " + quoteShort(k) + " is given more than once", Field: cut(k)}
		}
	}
	return q, nil
}

// ParseAsOf reads an asOf parameter: a date (2026-11-01, midnight UTC) or
// an RFC 3339 time (2026-11-01T09:30:00+01:00).
func ParseAsOf(v string) (time.Time, error) {
	layout := time.RFC3339
	if len(v) == len(time.DateOnly) {
		layout = time.DateOnly
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		return time.Time{}, errors.New("asOf must be a date (2006-01-02) or an RFC 3339 time (2006-01-02T15:04:05Z), got " + quoteShort(v))
	}
	if t.Year() < 1900 || t.Year() > 9999 {
		return time.Time{}, errors.New("asOf must be between the years 1900 and 9999, got " + quoteShort(v))
	}
	return t, nil
}

// asOf returns the asOf parameter, or the configured default.
func (s *Server) asOfParam(q url.Values) (time.Time, *Error) {
	v, ok := q["asOf"]
	if !ok {
		return s.asOf, nil
	}
	t, err := ParseAsOf(v[0])
	if err != nil {
		return time.Time{}, &Error{Status: http.StatusBadRequest, Code: "bad_as_of", Message: err.Error(), Field: "asOf"}
	}
	return t, nil
}

// account resolves the {id} wildcard and the query of a per-account GET.
func (s *Server) account(w http.ResponseWriter, r *http.Request) (*AccountInfo, time.Time, bool) {
	q, e := params(r, "asOf")
	if e != nil {
		s.writeError(w, r, e)
		return nil, time.Time{}, false
	}
	id := r.PathValue("id")
	info := s.accounts[valuepath.AccountID(id)]
	if info == nil {
		s.fail(w, r, valuepath.ErrUnknownAccount, valuepath.AccountID(id))
		return nil, time.Time{}, false
	}
	asOf, e := s.asOfParam(q)
	if e != nil {
		s.writeError(w, r, e)
		return nil, time.Time{}, false
	}
	return info, asOf, true
}

// derive derives the account's snapshot into st.snap under the request
// deadline.
func (s *Server) derive(ctx context.Context, st *state, id valuepath.AccountID, asOf time.Time) error {
	return s.derivations.EvaluateInto(ctx, s.provider, id, asOf, st.snap)
}

// handleHealth answers GET /v1/accounts/{id}/health: the explained health
// score. It is the hot path: derive into a pooled snapshot, score into a
// pooled score, encode by hand into a pooled buffer, write once. It derives
// only the metrics the scorecard reads (see derivationsFor).
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	info, asOf, ok := s.account(w, r)
	if !ok {
		return
	}
	ctx := withDeadline(r.Context(), s.limits.RequestTimeout)
	defer ctx.release()
	st := s.getState()
	defer s.putState(st)
	snap, err := s.deriveHealth(ctx, st, info.ID, asOf)
	if err != nil {
		s.fail(w, r, err, info.ID)
		return
	}
	if err := s.scorecard.ScoreInto(snap, &st.score); err != nil {
		s.fail(w, r, err, info.ID)
		return
	}
	st.drag = topDraggers(st.drag[:0], &st.score, draggers)
	st.buf = appendScore(st.buf[:0], &st.score, st.drag, &st.cache)
	writeJSON(w, st.buf)
}

// EffectivenessResponse is the body of GET /v1/accounts/{id}/effectiveness:
// the assessment with the model's name and the names of the phase reached
// and of the next one.
type EffectivenessResponse struct {
	Model     string `json:"model"`
	PhaseName string `json:"phase_name"`
	NextName  string `json:"next_phase_name,omitempty"`
	*effectiveness.Assessment
}

func (s *Server) handleEffectiveness(w http.ResponseWriter, r *http.Request) {
	if s.assessor == nil {
		s.writeError(w, r, &Error{Status: http.StatusNotFound, Code: "not_configured", Message: "this server has no effectiveness model"})
		return
	}
	info, asOf, ok := s.account(w, r)
	if !ok {
		return
	}
	ctx := withDeadline(r.Context(), s.limits.RequestTimeout)
	defer ctx.release()
	st := s.getState()
	defer s.putState(st)
	if err := s.derive(ctx, st, info.ID, asOf); err != nil {
		s.fail(w, r, err, info.ID)
		return
	}
	if err := s.assessor.AssessInto(st.snap, st.assess); err != nil {
		s.fail(w, r, err, info.ID)
		return
	}
	m := s.assessor.Model()
	resp := EffectivenessResponse{Model: m.Name(), PhaseName: "not yet started", Assessment: st.assess}
	if l := st.assess.Level; l > 0 {
		resp.PhaseName = m.Phase(l).Name
	}
	if n := st.assess.Next.Level; n > 0 && n <= m.NumPhases() {
		resp.NextName = m.Phase(n).Name
	}
	s.encode(w, r, st, resp)
}

func (s *Server) handleAgenda(w http.ResponseWriter, r *http.Request) {
	if s.engagement == nil {
		s.writeError(w, r, &Error{Status: http.StatusNotFound, Code: "not_configured", Message: "this server has no engagement catalog"})
		return
	}
	info, asOf, ok := s.account(w, r)
	if !ok {
		return
	}
	if info.Start.After(asOf) {
		s.writeError(w, r, &Error{Status: http.StatusUnprocessableEntity, Code: "before_start",
			Message: "asOf " + asOf.Format(time.RFC3339) + " is before the contract start of " + quoteShort(string(info.ID)) + " (" + info.Start.Format(time.RFC3339) + ")", Field: "asOf"})
		return
	}
	ctx := withDeadline(r.Context(), s.limits.RequestTimeout)
	defer ctx.release()
	st := s.getState()
	defer s.putState(st)
	events, err := s.provider.Events(ctx, info.ID, valuepath.Interval{End: asOf})
	if err != nil {
		s.fail(w, r, err, info.ID)
		return
	}
	// An account with no data yet still has an agenda: its onboarding
	// moments are due. Every metric is then missing.
	if err := s.derive(ctx, st, info.ID, asOf); err != nil && !errors.Is(err, valuepath.ErrNoData) {
		s.fail(w, r, err, info.ID)
		return
	}
	model, _ := s.engagement.Model(info.Segment) // New checked every segment
	acct := engagement.Input{ID: info.ID, Segment: info.Segment, TimeZone: info.TimeZone, Start: info.Start, Events: events, Snapshot: st.snap}
	if err := model.AgendaInto(acct, asOf, &st.agenda); err != nil {
		s.fail(w, r, err, info.ID)
		return
	}
	s.encode(w, r, st, st.agenda)
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		s.writeError(w, r, &Error{Status: http.StatusServiceUnavailable, Code: "draining", Message: "the server is shutting down"})
		return
	}
	writeJSON(w, []byte(`{"status":"ok"}`+"\n"))
}
