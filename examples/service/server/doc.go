// Package server is an HTTP JSON service that embeds valuepath models: it
// scores account health, assesses effectiveness, lists engagement agendas and
// summarises the health distribution of a customer base, reading data through
// any [valuepath.Provider].
//
// Build a [Config] with the provider, the account metadata and the compiled
// models, call [New] (which validates everything once, as the models do), and
// serve the [Server] — an [http.Handler] — with [Server.Serve] for the
// hardened http.Server and graceful shutdown:
//
//	srv, err := server.New(server.Config{Provider: p, Accounts: accounts,
//		Derivations: d, Scorecard: sc, DefaultAsOf: asOf})
//	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
//	defer stop()
//	ln, err := net.Listen("tcp", "127.0.0.1:8080")
//	err = srv.Serve(ctx, ln)
//
// # Endpoints
//
//	GET  /v1/accounts/{id}/health          explained health score, with draggers
//	GET  /v1/accounts/{id}/effectiveness   phase, behaviors, path to the next phase
//	GET  /v1/accounts/{id}/agenda          engagement agenda
//	GET  /v1/health/distribution           histogram, percentiles, bands, tails (?segment=, ?bins=)
//	POST /v1/score                         score a posted snapshot (see [ScoreRequest])
//	GET  /healthz                          200, or 503 while shutting down
//
// The GET endpoints take asOf as a date (2026-11-01) or an RFC 3339 time;
// without it they use Config.DefaultAsOf. Unknown query parameters are
// errors.
//
// # Errors
//
// Every error is JSON, an [ErrorBody]: 301 or 308 (with Location) for a
// path that is clean only once cleaned, as http.ServeMux would redirect;
// 400 for malformed JSON, a bad or unknown parameter, an unknown JSON field
// or metric; 404 for an unknown account or path; 405 for a wrong method;
// 408 for a body slower than Limits.ReadTimeout; 413 for a body over
// Limits.MaxBodyBytes; 415 for a POST that is not application/json; 422 for
// well-formed input that is invalid (an empty account, a null value, no
// data in any window as of asOf, a distribution with no account scored);
// 503 while shutting down; 504 when a request runs past
// Limits.RequestTimeout; 500 for anything else, with the details logged
// and not sent. No message carries a socket address, a stack or a Go type
// name, or repeats more than 64 bytes of the request.
//
// # Performance
//
// The health endpoint derives into a pooled snapshot, scores into a pooled
// score and writes JSON it encodes by hand into a pooled buffer, in one
// write; see the README of examples/service for the measured latencies.
package server
