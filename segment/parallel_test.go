package segment_test

import (
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch/batchtest"
	"github.com/valuepath/valuepath/segment"
)

// reusingInputs yields copies of inputs through reused snapshots and one
// reused attribute map, as a decoding iterator would.
func reusingInputs(inputs []segment.Input) iter.Seq[segment.Input] {
	return func(yield func(segment.Input) bool) {
		var cur, base valuepath.Snapshot
		attrs := map[string]string{}
		for _, in := range inputs {
			out := segment.Input{}
			if in.Current != nil {
				in.Current.CloneInto(&cur)
				out.Current = &cur
			}
			if in.Baseline != nil {
				in.Baseline.CloneInto(&base)
				out.Baseline = &base
			}
			if in.Attrs != nil {
				clear(attrs)
				maps.Copy(attrs, in.Attrs)
				out.Attrs = attrs
			}
			if !yield(out) {
				return
			}
		}
	}
}

// spoiledInputs is n bench inputs and their matcher: every nilEvery-th
// input without a current snapshot and every otherEvery-th with one on a
// schema the rules do not read (both fail), every 7th from the fourth
// without baseline or attributes, and every 11th from the sixth with
// attributes, but none the rules read (absent, not empty).
func spoiledInputs(t *testing.T, n, nilEvery, otherEvery int) (*segment.Matcher, []segment.Input) {
	schema, inputs := benchInputs(n)
	m := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(t, benchRulesJSON))).Bind(schema))
	current := make([]*valuepath.Snapshot, n)
	for i := range inputs {
		inputs[i].Current.Account = valuepath.AccountID(fmt.Sprintf("acct-%05d", i))
		current[i] = inputs[i].Current
		switch {
		case i%7 == 3:
			inputs[i].Baseline, inputs[i].Attrs = nil, nil
		case i%11 == 5:
			inputs[i].Attrs = map[string]string{"region": "emea"}
		}
	}
	batchtest.Spoil(current, nilEvery, otherEvery)
	for i := range inputs {
		inputs[i].Current = current[i]
	}
	return m, inputs
}

// membershipJSON is what the batch checks compare of a membership.
func membershipJSON(t *testing.T) func(*segment.Membership) string {
	return func(ms *segment.Membership) string {
		js, err := json.Marshal(ms)
		require.NoError(t, err)
		return string(js)
	}
}

func TestMatchAllParallelMatchesSerial(t *testing.T) {
	m, inputs := spoiledInputs(t, 3000, 97, 89)
	batchtest.CheckParallel(t, inputs, reusingInputs, func(in iter.Seq[segment.Input], opt valuepath.BatchOptions) []batchtest.Row[string] {
		return batchtest.Collect(t, m.MatchAll(in, opt), membershipJSON(t))
	})
	batchtest.CheckBreak(t, m.MatchAll(slices.Values(inputs), valuepath.BatchOptions{Concurrency: 2}))
}

// MatchSlice gives, index for index, what MatchAll yields, with the same
// errors, at every concurrency, into a fresh dst and into a reused one.
func TestMatchSliceMatchesMatchAll(t *testing.T) {
	m, inputs := spoiledInputs(t, 10_000, 701, 997)
	view := membershipJSON(t)
	want := batchtest.Collect(t, m.MatchAll(slices.Values(inputs), valuepath.BatchOptions{Concurrency: 1}), view)
	batchtest.CheckSlice(t, "segment", "inputs", "inputs", inputs, want, m.MatchSlice, view)

	// A membership from another matcher is made ready for this one.
	dst := []segment.Membership{*valuepath.Must(valuepath.Must(segment.NewRules(mustParse(t, `[{"id": "x", "when": {"metric": "seat_utilisation", "op": ">", "value": 0.5}}]`))).Bind(inputs[0].Current.Schema())).NewMembership()}
	require.NoError(t, m.MatchSlice(inputs[:1], dst, valuepath.BatchOptions{}))
	assert.Equal(t, want[0].V, view(&dst[0]))
}
