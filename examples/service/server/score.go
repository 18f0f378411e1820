package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/valuepath/valuepath"
)

// ScoreRequest is the body of POST /v1/score: a snapshot the caller
// supplies, scored against the scorecard without the provider.
//
//	{"account": "acct-0001", "asOf": "2026-11-01", "values": {"seat_utilisation": 0.52}}
//
// Values holds the scorecard's metrics by name; a metric left out is
// missing. AsOf is optional and defaults to the server's. Go clients can
// marshal a ScoreRequest to build the body.
type ScoreRequest struct {
	Account string             `json:"account"`
	AsOf    string             `json:"asOf,omitempty"`
	Values  map[string]float64 `json:"values"`
}

// scoreRequest is how the server decodes a ScoreRequest: each value raw, so
// that a null, a string or an out-of-range number is reported with the
// metric's name.
type scoreRequest struct {
	Account string                     `json:"account"`
	AsOf    string                     `json:"asOf"`
	Values  map[string]json.RawMessage `json:"values"`
}

// maxAccountLen bounds the account id of a posted snapshot.
const maxAccountLen = 256

func (s *Server) handleScore(w http.ResponseWriter, r *http.Request) {
	if _, e := params(r); e != nil {
		s.writeError(w, r, e)
		return
	}
	if e := checkJSONType(r); e != nil {
		s.writeError(w, r, e)
		return
	}
	var req scoreRequest
	if e := decodeBody(w, r, s.limits.MaxBodyBytes, &req); e != nil {
		s.writeError(w, r, e)
		return
	}
	st := s.getState()
	defer s.putState(st)
	if e := s.snapshotOf(&req, st.posted); e != nil {
		s.writeError(w, r, e)
		return
	}
	if err := s.scorecard.ScoreInto(st.posted, &st.score); err != nil {
		s.fail(w, r, err, st.posted.Account)
		return
	}
	st.drag = topDraggers(st.drag[:0], &st.score, draggers)
	st.buf = appendScore(st.buf[:0], &st.score, st.drag, &st.cache)
	writeJSON(w, st.buf)
}

// checkJSONType requires a JSON Content-Type on a request with a body.
func checkJSONType(r *http.Request) *Error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		got := "none"
		if ct != "" {
			got = quoteShort(ct)
		}
		return &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Message: "Content-Type must be application/json, got " + got, Field: "Content-Type"}
	}
	return nil
}

// decodeBody reads the body, at most limit bytes, and decodes it with
// valuepath.DecodeJSON, the SDK's strict decoder: unknown fields, names in
// another case, a name twice (metrics included: {"a": 0.5, "a": 0.9} is
// refused, not read as 0.9), null and trailing data are errors with their
// JSON path.
func decodeBody(w http.ResponseWriter, r *http.Request, limit int64, v any) *Error {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return decodeError(err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return decodeError(io.EOF)
	}
	if err := valuepath.DecodeJSON(data, v, valuepath.JSONOptions{MaxBytes: int(limit)}); err != nil {
		return strictError(err)
	}
	return nil
}

// strictError maps the first problem valuepath.DecodeJSON reports to the
// client's error, with its JSON path as the field.
func strictError(err error) *Error {
	var je *valuepath.JSONError
	if !errors.As(err, &je) {
		return &Error{Status: http.StatusBadRequest, Code: "malformed_json", Message: "cannot decode the request body; send a JSON object with account, asOf and values"}
	}
	code, msg := "malformed_json", je.Error()
	switch what := je.Err.Error(); {
	case strings.HasPrefix(what, "unknown field"):
		code = "unknown_field"
		msg += "; allowed: account, asOf, values"
	case strings.HasPrefix(what, "duplicate name"):
		code = "duplicate_name"
	case strings.HasPrefix(what, "wrong JSON type"), strings.HasPrefix(what, "null"):
		code = "bad_type"
	}
	field := cut(je.Path)
	if je.Line > 0 {
		field = "" // a syntax error is about the text, not a field
	}
	return &Error{Status: http.StatusBadRequest, Code: code, Message: msg, Field: field}
}

// decodeError maps an error of encoding/json or of the body reader to the
// client's error.
func decodeError(err error) *Error {
	var (
		mbe    *http.MaxBytesError
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, os.ErrDeadlineExceeded):
		// The connection's read deadline (Limits.ReadTimeout) passed
		// before the body arrived. The error's text names both socket
		// addresses; the client gets none of it.
		return &Error{Status: http.StatusRequestTimeout, Code: "body_timeout",
			Message: "the request body did not arrive within the server's read timeout"}
	case errors.As(err, &mbe):
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
			Message: "the request body is larger than " + strconv.FormatInt(mbe.Limit, 10) + " bytes"}
	case errors.Is(err, io.EOF):
		return &Error{Status: http.StatusBadRequest, Code: "malformed_json", Message: "the request body is empty; send a JSON object"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Status: http.StatusBadRequest, Code: "malformed_json", Message: "the request body ends in the middle of a JSON value"}
	case errors.As(err, &syntax):
		return &Error{Status: http.StatusBadRequest, Code: "malformed_json",
			Message: "malformed JSON at byte " + strconv.FormatInt(syntax.Offset, 10) + ": " + strings.TrimPrefix(syntax.Error(), "json: ")}
	case errors.As(err, &typ):
		field := typ.Field
		if strings.HasPrefix(typ.Value, "number") && (typ.Type.Kind() == reflect.Float64 || typ.Type.Kind() == reflect.Float32) {
			// A number too large for a float64 (1e400): valid JSON, not a
			// finite value.
			return &Error{Status: http.StatusUnprocessableEntity, Code: "not_finite",
				Message: "value " + strings.TrimPrefix(typ.Value, "number ") + " is out of range for a finite number", Field: field}
		}
		msg := "wrong JSON type: got " + typ.Value + ", want " + jsonKind(typ.Type.Kind().String())
		return &Error{Status: http.StatusBadRequest, Code: "bad_type", Message: msg, Field: field}
	case errors.Is(err, errTrailing):
		return &Error{Status: http.StatusBadRequest, Code: "malformed_json", Message: "the request body holds more than one JSON value"}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name, _ = strconv.Unquote(name)
		return &Error{Status: http.StatusBadRequest, Code: "unknown_field", Message: "unknown field " + quoteShort(name) + "; allowed: account, asOf, values", Field: cut(name)}
	}
	if !strings.HasPrefix(err.Error(), "json: ") {
		// Not a decoding problem but a failed read (a reset connection):
		// its text would name socket addresses.
		return &Error{Status: http.StatusBadRequest, Code: "body_unreadable", Message: "the request body could not be read"}
	}
	// Any other error of encoding/json names Go types; say what is wanted.
	return &Error{Status: http.StatusBadRequest, Code: "malformed_json", Message: "cannot decode the request body; send a JSON object with account, asOf and values"}
}

var errTrailing = errors.New("trailing data")

// jsonKind names a Go kind the way a JSON client thinks of it.
func jsonKind(k string) string {
	switch k {
	case "float64", "float32", "int", "int64":
		return "number"
	case "map", "struct":
		return "object"
	case "slice":
		return "array"
	case "ptr":
		return "number"
	}
	return k
}

// snapshotOf validates req and fills snap (on the scorecard's schema).
func (s *Server) snapshotOf(req *scoreRequest, snap *valuepath.Snapshot) *Error {
	switch {
	case req.Account == "":
		return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "account must not be empty", Field: "account"}
	case len(req.Account) > maxAccountLen:
		return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "account must be at most " + strconv.Itoa(maxAccountLen) + " bytes", Field: "account"}
	case len(req.Values) == 0:
		return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "values must hold at least one of the scorecard's metrics", Field: "values"}
	}
	asOf := s.asOf
	if req.AsOf != "" {
		t, err := ParseAsOf(req.AsOf)
		if err != nil {
			return &Error{Status: http.StatusBadRequest, Code: "bad_as_of", Message: err.Error(), Field: "asOf"}
		}
		asOf = t
	}
	names := make([]string, 0, len(req.Values))
	for m := range req.Values {
		names = append(names, m)
	}
	slices.Sort(names) // report the first problem in a stable order
	snap.Reset(valuepath.AccountID(req.Account), asOf)
	for _, m := range names {
		field := "values." + cut(m)
		raw := req.Values[m]
		if string(raw) == "null" {
			return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "null is not a number; leave the metric out to mark it missing", Field: field}
		}
		var v float64
		if err := json.Unmarshal(raw, &v); err != nil {
			e := decodeError(err)
			e.Field = field
			return e
		}
		switch err := snap.Set(valuepath.Metric(m), v); {
		case errors.Is(err, valuepath.ErrUnknownMetric):
			known := make([]string, 0, s.scoreSet.Len())
			for _, k := range s.scoreSet.Metrics() {
				known = append(known, string(k))
			}
			return &Error{Status: http.StatusBadRequest, Code: "unknown_metric",
				Message: "the scorecard reads no metric " + quoteShort(m) + "; it reads " + strings.Join(known, ", "), Field: field}
		case errors.Is(err, valuepath.ErrNotFinite):
			return &Error{Status: http.StatusUnprocessableEntity, Code: "not_finite", Message: m + " must be a finite number", Field: field}
		case err != nil:
			return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: m + ": " + err.Error(), Field: field}
		}
	}
	return nil
}
