package equivalents_test

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/valuepath/valuepath/internal/batch/batchtest"

	"github.com/stretchr/testify/require"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

func TestApplyAllParallelMatchesSerial(t *testing.T) {
	p, err := allBuiltins(t).Path(equivalents.Minute, equivalents.Hour)
	require.NoError(t, err)
	schema := valuepath.Must(valuepath.NewSchema("minutes", "other"))
	other := valuepath.Must(valuepath.NewSchema("x"))
	b, err := p.Bind(schema, "minutes")
	require.NoError(t, err)
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(19, 2))
	snaps := make([]*valuepath.Snapshot, 3000)
	for i := range snaps {
		id := valuepath.AccountID(fmt.Sprintf("acct-%05d", i))
		switch {
		case i%97 == 96: // nil
		case i%89 == 88:
			snaps[i] = valuepath.NewSnapshot(other, id, asOf)
		default:
			s := valuepath.NewSnapshot(schema, id, asOf)
			if r.IntN(20) != 0 {
				require.NoError(t, s.SetAt(0, r.Float64()*1e5))
			}
			snaps[i] = s
		}
	}
	type view struct {
		Account valuepath.AccountID
		Value   string
		Present bool
		Reason  string
	}
	batchtest.CheckParallel(t, snaps, batchtest.ReusingSnapshots, func(in iter.Seq[*valuepath.Snapshot], opt valuepath.BatchOptions) []batchtest.Row[view] {
		return batchtest.Collect(t, b.ApplyAll(in, opt), func(q *equivalents.AccountQuantity) view {
			return view{q.Account, q.Quantity.String(), q.Present, q.Reason}
		})
	})
	batchtest.CheckBreak(t, b.ApplyAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 2}))
}
