package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/valuepath/valuepath"
)

// Error is an error the service answers with. It is written as
//
//	{"error": {"status": 400, "code": "bad_as_of", "message": "...", "field": "asOf"}}
//
// Code is a stable machine-readable name; Field names the query parameter,
// path wildcard or JSON field at fault, when there is one.
type Error struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// Error returns the status, code, message and field on one line, for logs.
func (e *Error) Error() string {
	s := strconv.Itoa(e.Status) + " " + e.Code + ": " + e.Message
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	return s
}

// ErrorBody is the JSON body of every error response.
type ErrorBody struct {
	Error Error `json:"error"`
}

// classify maps an error from the library or the provider to the error the
// client sees. Anything it does not recognise is a 500 whose message says
// nothing about the internals; the caller logs the real error.
func classify(err error, account valuepath.AccountID) *Error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, valuepath.ErrUnknownAccount):
		return &Error{Status: http.StatusNotFound, Code: "unknown_account", Message: "no account " + quoteShort(string(account)), Field: "id"}
	case errors.Is(err, valuepath.ErrNoData):
		msg := "account " + quoteShort(string(account)) + " has no data before asOf"
		var nd *valuepath.NoDataError
		if errors.As(err, &nd) {
			// Which windows were empty and when the last data was: the
			// library's words, which name no internals.
			msg = "account " + quoteShort(string(account)) + ": " + nd.Error()
		}
		return &Error{Status: http.StatusUnprocessableEntity, Code: "no_data", Message: msg, Field: "asOf"}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusGatewayTimeout, Code: "timeout", Message: "the request took longer than the server allows"}
	case errors.Is(err, context.Canceled):
		return &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "the request was cancelled; the server may be shutting down"}
	}
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}
}

// fail answers err, logging what the client does not see.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error, account valuepath.AccountID) {
	e := classify(err, account)
	if e.Status >= 500 {
		s.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", e.Status), slog.String("error", err.Error()))
	}
	s.writeError(w, r, e)
}

// writeError writes e as the JSON error body.
func (s *Server) writeError(w http.ResponseWriter, _ *http.Request, e *Error) {
	b := make([]byte, 0, 128+len(e.Message))
	b = append(b, `{"error":{"status":`...)
	b = strconv.AppendInt(b, int64(e.Status), 10)
	b = append(b, `,"code":`...)
	b = appendString(b, e.Code)
	b = append(b, `,"message":`...)
	b = appendString(b, e.Message)
	if e.Field != "" {
		b = append(b, `,"field":`...)
		b = appendString(b, e.Field)
	}
	b = append(b, "}}\n"...)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(e.Status)
	_, _ = w.Write(b)
}

// maxEcho bounds how much of a client's input an error message repeats.
const maxEcho = 64

// cut returns s cut to maxEcho bytes (at a rune boundary), with "…" when
// it was longer, so that an error never echoes a large input back.
func cut(s string) string {
	if len(s) <= maxEcho {
		return s
	}
	n := maxEcho
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// quoteShort quotes s for a message, cut as [cut] does.
func quoteShort(s string) string {
	if len(s) <= maxEcho {
		return strconv.Quote(s)
	}
	return strconv.Quote(cut(s)[:len(cut(s))-len("…")]) + "…"
}
