package server

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
)

// derivationsFor returns the part of d that metrics need: the derivations
// that produce them and, through ratios, every derivation those read, in
// d's declaration order. The health endpoint derives with it instead of
// the whole set, which also serves the effectiveness model and the
// engagement catalog: deriving metrics the scorecard never reads (a
// 365-day transactions window, a 730-day event window, the per-user
// intensities) was a third of a health request's CPU. It returns d itself
// when every derivation is needed.
func derivationsFor(d *valuepath.Derivations, metrics []valuepath.Metric) (*valuepath.Derivations, error) {
	spec := d.Spec()
	byName := make(map[valuepath.Metric]int, len(spec))
	for i, dv := range spec {
		byName[dv.Name] = i
	}
	need := make([]bool, len(spec))
	var visit func(m valuepath.Metric)
	visit = func(m valuepath.Metric) {
		i, ok := byName[m]
		if !ok || need[i] {
			return
		}
		need[i] = true
		if dv := spec[i]; dv.Op == valuepath.OpRatio {
			visit(dv.Numerator)
			visit(dv.Denominator)
		}
	}
	for _, m := range metrics {
		visit(m)
	}
	if !slices.Contains(need, false) {
		return d, nil
	}
	var sub valuepath.DerivationsSpec
	for i, dv := range spec {
		if need[i] {
			sub = append(sub, dv)
		}
	}
	return valuepath.NewDerivations(sub)
}

// deriveHealth derives the scorecard's metrics for the account into
// st.hsnap and returns the snapshot to score. An account without data in
// the scorecard's own windows is derived again with the whole set, so that
// it gets exactly the answer it got when the health endpoint derived
// everything: a score with every measure missing if it has other data, or
// the whole set's no-data error (naming every window searched) if it has
// none.
func (s *Server) deriveHealth(ctx context.Context, st *state, id valuepath.AccountID, asOf time.Time) (*valuepath.Snapshot, error) {
	if s.healthDerivations == s.derivations {
		return st.snap, s.derive(ctx, st, id, asOf)
	}
	err := s.healthDerivations.EvaluateInto(ctx, s.provider, id, asOf, st.hsnap)
	if err == nil || !errors.Is(err, valuepath.ErrNoData) {
		return st.hsnap, err
	}
	return st.snap, s.derive(ctx, st, id, asOf)
}
