package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
)

// HTTPServer returns an http.Server for s with the configured timeouts and
// header limit: a client that sends its header too slowly, or a body too
// slowly, is disconnected instead of holding a goroutine forever. Its error
// log goes to the configured logger.
func (s *Server) HTTPServer(addr string) *http.Server {
	l := s.limits
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Serve serves s on ln until ctx is done, then shuts down gracefully: the
// listener closes (new connections are refused), /healthz answers 503,
// idle connections close, and in-flight requests get up to
// Limits.ShutdownTimeout to finish before every connection is closed. It
// returns nil after a graceful shutdown, or the error that stopped it.
// Wire ctx to SIGINT and SIGTERM with signal.NotifyContext.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := s.HTTPServer(ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", slog.String("addr", ln.Addr().String()))
	select {
	case err := <-errc:
		return err // the listener failed; nothing to drain
	case <-ctx.Done():
	}
	s.draining.Store(true)
	s.log.Info("shutting down", slog.Duration("grace", s.limits.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.limits.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		// The grace period ran out: close what is left.
		err = errors.Join(err, srv.Close())
	}
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		s.log.Error("shutdown", slog.String("error", err.Error()))
		return err
	}
	s.log.Info("stopped")
	return nil
}
