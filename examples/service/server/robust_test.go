package server_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

// leaks lists what no response may carry: socket addresses, stacks and the
// names of Go types or packages.
var leaks = []string{"127.0.0.1", "tcp", "goroutine", "panic", "json:", "Go struct", "float64", "server.", "scoreRequest", "map[", "main."}

func assertNoLeak(t *testing.T, body []byte) {
	t.Helper()
	for _, l := range leaks {
		assert.NotContains(t, string(body), l, "response leaks %q", l)
	}
}

// TestUncleanPathsAnswerJSON: what http.ServeMux would redirect with an
// HTML body gets a JSON redirect to an endpoint, or a JSON 404.
func TestUncleanPathsAnswerJSON(t *testing.T) {
	s := newServer(t, config(t, nil))
	id := string(activeIDs(t)[0])
	tests := []struct {
		method, target string
		status         int
		code, location string
	}{
		{"GET", "//v1/health/distribution", 301, "moved", "/v1/health/distribution"},
		{"GET", "/v1/./health/distribution?bins=5", 301, "moved", "/v1/health/distribution?bins=5"},
		{"GET", "/v1/accounts/x/../" + id + "/health", 301, "moved", "/v1/accounts/" + id + "/health"},
		{"POST", "/v1/nothing/../score", 308, "moved", "/v1/score"},
		{"GET", "/v1/accounts//health", 404, "not_found", ""},
		{"GET", "///v1//health/distribution", 404, "not_found", ""},
		{"GET", "/v1/../../etc/passwd", 404, "not_found", ""},
		{"GET", "/v1/health/distribution/", 404, "not_found", ""},
		{"GET", "/v1/accounts/" + strings.Repeat("x", 10000) + "/health", 404, "unknown_account", ""},
		{"GET", "/" + strings.Repeat("y", 10000), 404, "not_found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target[:min(len(tt.target), 40)], func(t *testing.T) {
			req, err := http.NewRequest(tt.method, "http://x"+tt.target, nil)
			require.NoError(t, err)
			rec := newRecorder()
			s.ServeHTTP(rec, req)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			assert.Equal(t, tt.location, rec.Header().Get("Location"))
			e := decodeError(t, rec.Body.Bytes())
			assert.Equal(t, tt.code, e.Code)
			assert.Less(t, len(rec.Body.Bytes()), 400, "the error echoes a long input")
		})
	}
}

// TestSlowBodyIs408: a body that does not arrive within ReadTimeout gets
// 408 with a plain message, not 400 with the socket addresses.
func TestSlowBodyIs408(t *testing.T) {
	cfg := config(t, nil)
	cfg.Limits.ReadTimeout = 300 * time.Millisecond
	url, _, _ := serve(t, newServer(t, cfg))
	conn, err := net.Dial("tcp", url[len("http://"):])
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"account\":")
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusRequestTimeout, resp.StatusCode, string(body))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Equal(t, "body_timeout", decodeError(t, body).Code)
	assertNoLeak(t, body)
}

// TestErrorBodiesLeakNothing runs the decode error paths and checks that no
// message names an address, a stack or a Go type.
func TestErrorBodiesLeakNothing(t *testing.T) {
	s := newServer(t, config(t, nil))
	for _, body := range []string{
		`{"account" "a"}`, `{"account":"a","values":{"seat_utilisation":"high"}}`, `{"account":1,"values":{}}`,
		`{"account":"a","values":[1]}`, `[1,2]`, `"x"`, `{"account":"a","values":{"seat_utilisation":1e400}}`,
		`{"account":"a","values":{"seat_utilisation":true}}`, `{"account":{"x":1}}`, `{"account":"a"`, `{"asOf":5}`,
	} {
		code, got := post(t, s, body)
		assert.GreaterOrEqual(t, code, 400, body)
		assertNoLeak(t, got)
	}
}

// TestNoScoresSaysSo: a distribution in which no account has a score is
// an error saying why, not a distribution of zeros; asOf years are bounded.
func TestNoScoresSaysSo(t *testing.T) {
	s := newServer(t, config(t, nil))
	code, body := do(t, s, http.MethodGet, "/v1/health/distribution?asOf=9999-12-31", nil)
	require.Equal(t, http.StatusUnprocessableEntity, code, string(body))
	e := decodeError(t, body)
	assert.Equal(t, "no_scores", e.Code)
	assert.Contains(t, e.Message, "none of the 60 accounts has a health score as of 9999-12-31T00:00:00Z: 60 have no data in any window")
	assert.NotContains(t, e.Message, "newest data", "none in the year before the windows")
	code, body = do(t, s, http.MethodGet, "/v1/health/distribution?asOf=2029-03-01", nil)
	require.Equal(t, http.StatusUnprocessableEntity, code, string(body))
	assert.Contains(t, decodeError(t, body).Message, "the newest data before their windows is from 2026-10-31")
	code, body = do(t, s, http.MethodGet, "/v1/health/distribution?asOf=1950-01-01&segment="+demo.SMB, nil)
	require.Equal(t, http.StatusUnprocessableEntity, code, string(body))
	assert.NotContains(t, decodeError(t, body).Message, "newest data", "there is none before 1950")
	for _, asOf := range []string{"1899-12-31", "0001-01-01", "10000-01-01", "9999-12-31T23:59:60Z"} {
		code, body := do(t, s, http.MethodGet, "/v1/health/distribution?asOf="+asOf, nil)
		assert.Equal(t, http.StatusBadRequest, code, asOf)
		assert.Equal(t, "bad_as_of", decodeError(t, body).Code, asOf)
	}
}

// TestNoDataSaysWhichWindowAndLastSample: the 422 for an account without
// data repeats the library's precise error.
func TestNoDataSaysWhichWindowAndLastSample(t *testing.T) {
	s := newServer(t, config(t, nil))
	id := string(activeIDs(t)[0])
	code, body := do(t, s, http.MethodGet, "/v1/accounts/"+id+"/health?asOf=2029-03-01", nil)
	require.Equal(t, http.StatusUnprocessableEntity, code, string(body))
	e := decodeError(t, body)
	assert.Equal(t, "no_data", e.Code)
	assert.Contains(t, e.Message, "no data in any window as of 2029-03-01T00:00:00Z (")
	assert.Contains(t, e.Message, "over [2029-")
	assert.Contains(t, e.Message, "the last data is from 2026-10-31")
	code, body = do(t, s, http.MethodGet, "/v1/accounts/"+id+"/health?asOf=1950-01-01", nil)
	require.Equal(t, http.StatusUnprocessableEntity, code, string(body))
	assert.Contains(t, decodeError(t, body).Message, "days before asOf either")
}
