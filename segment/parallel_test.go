package segment_test

import (
	"encoding/json"
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

func TestMatchAllParallelMatchesSerial(t *testing.T) {
	schema, inputs := benchInputs(3000)
	m := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(t, benchRulesJSON))).Bind(schema))
	other := valuepath.Must(valuepath.NewSchema("x"))
	for i := range inputs {
		inputs[i].Current.Account = valuepath.AccountID("acct-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676)))
		switch {
		case i%97 == 96:
			inputs[i].Current = nil
		case i%89 == 88:
			inputs[i].Current = valuepath.NewSnapshot(other, inputs[i].Current.Account, inputs[i].Current.AsOf)
		case i%7 == 3:
			inputs[i].Baseline, inputs[i].Attrs = nil, nil
		case i%11 == 5:
			// Attributes, but none the rules read: absent, not empty.
			inputs[i].Attrs = map[string]string{"region": "emea"}
		}
	}
	batchtest.CheckParallel(t, inputs, reusingInputs, func(in iter.Seq[segment.Input], opt valuepath.BatchOptions) []batchtest.Row[string] {
		return batchtest.Collect(t, m.MatchAll(in, opt), func(ms *segment.Membership) string {
			js, err := json.Marshal(ms)
			require.NoError(t, err)
			return string(js)
		})
	})
	batchtest.CheckBreak(t, m.MatchAll(slices.Values(inputs), valuepath.BatchOptions{Concurrency: 2}))
}

// MatchSlice gives, index for index, what MatchAll yields, with the same
// errors, at every concurrency, into a fresh dst and into a reused one.
func TestMatchSliceMatchesMatchAll(t *testing.T) {
	schema, inputs := benchInputs(10_000)
	m := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(t, benchRulesJSON))).Bind(schema))
	other := valuepath.Must(valuepath.NewSchema("x"))
	for i := range inputs {
		switch {
		case i%701 == 700:
			inputs[i].Current = nil
		case i%997 == 996:
			inputs[i].Current = valuepath.NewSnapshot(other, inputs[i].Current.Account, inputs[i].Current.AsOf)
		case i%7 == 3:
			inputs[i].Baseline, inputs[i].Attrs = nil, nil
		}
	}
	view := func(ms *segment.Membership) string {
		js, err := json.Marshal(ms)
		require.NoError(t, err)
		return string(js)
	}
	want := batchtest.Collect(t, m.MatchAll(slices.Values(inputs), valuepath.BatchOptions{Concurrency: 1}), view)
	batchtest.CheckSlice(t, "segment", "inputs", "inputs", inputs, want, m.MatchSlice, view)

	// A membership from another matcher is made ready for this one.
	dst := []segment.Membership{*valuepath.Must(valuepath.Must(segment.NewRules(mustParse(t, `[{"id": "x", "when": {"metric": "seat_utilisation", "op": ">", "value": 0.5}}]`))).Bind(schema)).NewMembership()}
	require.NoError(t, m.MatchSlice(inputs[:1], dst, valuepath.BatchOptions{}))
	assert.Equal(t, want[0].V, view(&dst[0]))
}
