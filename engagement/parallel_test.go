package engagement_test

import (
	"encoding/json"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/valuepath/valuepath/internal/batch/batchtest"

	"github.com/stretchr/testify/require"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/engagement"
)

// reusingBook yields copies of accts with their snapshots through one
// reused snapshot, as a decoding iterator would.
func reusingBook(accts []engagement.Input) iter.Seq[engagement.Input] {
	return func(yield func(engagement.Input) bool) {
		var buf valuepath.Snapshot
		for _, a := range accts {
			if a.Snapshot != nil {
				a.Snapshot.CloneInto(&buf)
				a.Snapshot = &buf
			}
			if !yield(a) {
				return
			}
		}
	}
}

func TestAgendaAllParallelMatchesSerial(t *testing.T) {
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	cat, err := engagement.NewCatalog(engagement.CatalogSpec{benchSpec()})
	require.NoError(t, err)
	accts := benchBook(t, 1000, asOf)
	for i := range accts {
		switch {
		case i%97 == 96:
			accts[i].Segment = "smb" // no model
		case i%389 == 388:
			accts[i].TimeZone = "Nowhere/Atlantis"
		case i%83 == 82:
			accts[i].Snapshot = nil
		}
	}
	batchtest.CheckParallel(t, accts, reusingBook, func(in iter.Seq[engagement.Input], opt valuepath.BatchOptions) []batchtest.Row[string] {
		return batchtest.Collect(t, cat.AgendaAll(in, asOf, opt), func(a *engagement.Agenda) string {
			js, err := json.Marshal(a)
			require.NoError(t, err)
			return string(js)
		})
	})
	batchtest.CheckBreak(t, cat.AgendaAll(slices.Values(accts), asOf, valuepath.BatchOptions{Concurrency: 2}))
}
