package revenue_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

// byAccount cuts events grouped by account into one slice per account.
func byAccount(events []revenue.SubscriptionEvent) [][]revenue.SubscriptionEvent {
	var out [][]revenue.SubscriptionEvent
	for i := 0; i < len(events); {
		j := i + 1
		for j < len(events) && events[j].Account == events[i].Account {
			j++
		}
		out = append(out, events[i:j])
		i = j
	}
	return out
}

// bridgeJSON returns a function that writes a bridge as JSON, failing t on
// an error.
func bridgeJSON(t *testing.T) func(*revenue.Bridge, error) string {
	return func(b *revenue.Bridge, err error) string {
		t.Helper()
		require.NoError(t, err)
		out, err := json.Marshal(b)
		require.NoError(t, err)
		return string(out)
	}
}

// timelinesOf streams ts as NormalizeAll would.
func timelinesOf(ts []revenue.Timeline) iter.Seq2[*revenue.Timeline, error] {
	return func(yield func(*revenue.Timeline, error) bool) {
		for i := range ts {
			if !yield(&ts[i], nil) {
				return
			}
		}
	}
}

// TestBridgeConcurrencyAndStream: the bridge on several goroutines and the
// streaming bridge (fed serially or by NormalizeAll on several goroutines)
// are the serial bridge, to the byte, with and without exchange rates.
func TestBridgeConcurrencyAndStream(t *testing.T) {
	js := bridgeJSON(t)
	r := rand.New(rand.NewPCG(11, 12))
	events := randomEvents(r, 4500, []valuepath.Currency{"USD", "EUR", "JPY"})
	accounts := byAccount(events)
	ts, err := revenue.Normalize(events, revenue.Policy{})
	require.NoError(t, err)
	rates := monthlyRates()
	periods := revenue.Months(day(2022, 3, 1), 18)
	usd := revenue.CurrencyConversion{Currency: "USD", Rates: rates}
	for _, opt := range []revenue.BridgeOptions{{CurrencyConversion: usd}, {CurrencyConversion: usd, NetWithinPeriod: true}, {CurrencyConversion: revenue.CurrencyConversion{Currency: "EUR", Rates: []revenue.ExchangeRate{{From: "USD", Rate: dec("0.9")}, {From: "JPY", Rate: dec("0.0063")}}}}} {
		opt.Batch.Concurrency = 1
		want := js(revenue.NewBridge(ts, periods, opt))
		opt.Batch.Concurrency = 2
		assert.Equal(t, want, js(revenue.NewBridge(ts, periods, opt)), "NewBridge on 2 goroutines")
		assert.Equal(t, want, js(revenue.NewBridgeStream(revenue.NormalizeAll(slices.Values(accounts), revenue.Policy{}, valuepath.BatchOptions{Concurrency: 3}), periods, opt)),
			"NewBridgeStream of NormalizeAll on 3 goroutines")
		assert.Equal(t, want, js(revenue.NewBridgeStream(timelinesOf(ts), periods, opt)), "NewBridgeStream of the timelines")
	}
	// One currency and no options: the reporting currency is the stream's.
	usdOnly, err := revenue.Normalize(randomEvents(r, 4500, []valuepath.Currency{"USD"}), revenue.Policy{ExtraPlaces: 2})
	require.NoError(t, err)
	want := js(revenue.NewBridge(usdOnly, periods, revenue.BridgeOptions{Batch: valuepath.BatchOptions{Concurrency: 1}}))
	assert.Equal(t, want, js(revenue.NewBridge(usdOnly, periods, revenue.BridgeOptions{})))
	assert.Equal(t, want, js(revenue.NewBridge(usdOnly, periods, revenue.BridgeOptions{Batch: valuepath.BatchOptions{Concurrency: 3}})))
	assert.Equal(t, want, js(revenue.NewBridgeStream(timelinesOf(usdOnly), periods, revenue.BridgeOptions{})))
	// Nothing with MRR at all.
	assert.Equal(t, js(revenue.NewBridge(nil, periods, revenue.BridgeOptions{})), js(revenue.NewBridgeStream(timelinesOf(nil), periods, revenue.BridgeOptions{})))
}

// TestBridgeConcurrencyOverflow: totals beyond 18 digits are the same error
// whether the sums were split across goroutines or not.
func TestBridgeConcurrencyOverflow(t *testing.T) {
	js := bridgeJSON(t)
	var events []revenue.SubscriptionEvent
	for i := range 6000 {
		e := ev(fmt.Sprintf("big-%05d", i), "", revenue.Start, day(2024, 1, 1), "4000000000000000", 1) // 4e17 cents each
		events = append(events, e)
	}
	ts, err := revenue.Normalize(events, revenue.Policy{})
	require.NoError(t, err)
	periods := revenue.Months(day(2024, 1, 1), 2)
	for _, conc := range []int{1, 2, 3} {
		_, err := revenue.NewBridge(ts, periods, revenue.BridgeOptions{Batch: valuepath.BatchOptions{Concurrency: conc}})
		require.ErrorIs(t, err, revenue.ErrOverflow, "concurrency %d", conc)
	}
	_, err = revenue.NewBridgeStream(timelinesOf(ts), periods, revenue.BridgeOptions{})
	require.ErrorIs(t, err, revenue.ErrOverflow)
	// 20 of them fit: split or not, the same bridge.
	want := js(revenue.NewBridge(ts[:20], periods, revenue.BridgeOptions{Batch: valuepath.BatchOptions{Concurrency: 1}}))
	assert.Equal(t, want, js(revenue.NewBridge(ts[:20], periods, revenue.BridgeOptions{Batch: valuepath.BatchOptions{Concurrency: 2}})))
}

func TestBridgeStreamProblems(t *testing.T) {
	periods := revenue.Months(day(2024, 1, 1), 3)
	usd, err := normalizeOne([]revenue.SubscriptionEvent{ev("a", "", revenue.Start, day(2024, 1, 1), "10", 1)}, revenue.Policy{})
	require.NoError(t, err)
	eur := ev("b", "", revenue.Start, day(2024, 1, 1), "10", 1)
	eur.Currency = "EUR"
	eurTL, err := normalizeOne([]revenue.SubscriptionEvent{eur}, revenue.Policy{})
	require.NoError(t, err)
	extra, err := normalizeOne([]revenue.SubscriptionEvent{ev("c", "", revenue.Start, day(2024, 1, 1), "10", 1)}, revenue.Policy{ExtraPlaces: 2})
	require.NoError(t, err)

	_, err = revenue.NewBridgeStream(timelinesOf([]revenue.Timeline{usd, eurTL}), periods, revenue.BridgeOptions{})
	require.ErrorIs(t, err, valuepath.ErrCurrencyMismatch)
	assert.Contains(t, err.Error(), "timelines[1]")
	_, err = revenue.NewBridgeStream(timelinesOf([]revenue.Timeline{usd, extra}), periods, revenue.BridgeOptions{})
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	assert.Contains(t, err.Error(), "timelines[1]: invalid value: built with 2 extra places, others with 0")
	_, err = revenue.NewBridgeStream(timelinesOf(nil), nil, revenue.BridgeOptions{})
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	_, err = revenue.NewBridgeStream(timelinesOf([]revenue.Timeline{usd}), periods, revenue.BridgeOptions{CurrencyConversion: revenue.CurrencyConversion{Rates: []revenue.ExchangeRate{{From: "EUR", Rate: dec("-1")}}}})
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	assert.Contains(t, err.Error(), "options.rates[0].rate")
	// The stream's own error ends the bridge, as it is.
	boom := errors.New("cursor closed")
	_, err = revenue.NewBridgeStream(func(yield func(*revenue.Timeline, error) bool) {
		if yield(&usd, nil) {
			yield(nil, boom)
		}
	}, periods, revenue.BridgeOptions{})
	require.ErrorIs(t, err, boom)
}

// TestNormalizeFastPathMatchesGeneral pits the fast path of the common event
// against the general one over whole bases: a tax of one cent, not counted
// under the default policy, sends every event down the general path without
// changing its MRR, so both must give the same timelines.
func TestNormalizeFastPathMatchesGeneral(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, events := range [][]revenue.SubscriptionEvent{benchEvents(2000), randomEvents(r, 2000, []valuepath.Currency{"USD", "JPY", "BHD", "CLF"})} {
		for _, p := range []revenue.Policy{{}, {ExtraPlaces: 3, IncludeTrials: true, ChurnAt: revenue.AtPeriodEnd}} {
			slow := slices.Clone(events)
			for i := range slow {
				if slow[i].Kind != revenue.Cancel {
					slow[i].Tax = dec("0.01")
				}
			}
			fast, err := revenue.Normalize(events, p)
			require.NoError(t, err)
			general, err := revenue.Normalize(slow, p)
			require.NoError(t, err)
			a, err := json.Marshal(fast)
			require.NoError(t, err)
			b, err := json.Marshal(general)
			require.NoError(t, err)
			require.Equal(t, string(b), string(a))
		}
	}
}
