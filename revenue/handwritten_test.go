package revenue_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

// handRow is one period of the hand-written bridge, in cents.
type handRow struct {
	open, newV, exp, react, contr, churn, close int64
	counts                                      revenue.Counts
	cohort, retained                            int
	start, gross, net                           int64
}

type handSub struct {
	id              string
	started, active bool
	units           int64
	lastKind        revenue.EventKind
	lastAt          int64
}

var (
	handMin = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	handMax = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	pow10s  = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14}
)

// handCents converts an amount to whole cents, refusing what the library
// refuses (negative, more than 12 decimal places) and what a hand-written
// loop would not bother with (more than 18 digits, finer than a cent).
func handCents(d decimal.Decimal) (int64, bool) {
	exp := d.Exponent()
	if d.Sign() < 0 || exp < -12 || exp > 12 || d.NumDigits() > 18 {
		return 0, false
	}
	c := d.CoefficientInt64()
	switch {
	case exp >= -2:
		return c * pow10s[exp+2], c <= 9e18/pow10s[exp+2] // 18 digits × 10^14 would overflow
	case c%pow10s[-exp-2] == 0:
		return c / pow10s[-exp-2], true
	}
	return 0, false
}

// handBridge is the contender: a hand-written one-pass loop that normalises
// each account's events (grouped by account, USD, default policy) and adds
// them to a monthly bridge at once. It enforces what revenue.Normalize
// checks for such a base — account named and the same throughout, times
// set, in range and in order, known kinds, the ISO currency shared by the
// account, amounts plain and not negative, a discount within the amount,
// no negative tax, the interval in range, no duplicate event, a start only
// of a new subscription, a change or cancel only of an active one, a
// reactivation only of a cancelled one — and stops at the first problem.
func handBridge(accounts [][]revenue.SubscriptionEvent, bounds []int64, rows []handRow) (handRow, error) {
	var whole handRow
	var subs []handSub
	var at, mrr []int64
	for _, events := range accounts {
		if len(events) == 0 {
			return whole, errors.New("no events")
		}
		acct, cur := events[0].Account, events[0].Currency
		if acct == "" || !cur.Valid() {
			return whole, errors.New("bad account or currency")
		}
		subs, at, mrr = subs[:0], at[:0], mrr[:0]
		var total, lastAt int64
		pending := false
		for i := range events {
			e := &events[i]
			ns := e.At.UnixNano()
			if e.Account != acct || e.At.IsZero() || ns < handMin || ns >= handMax || (i > 0 && ns < lastAt) {
				return whole, fmt.Errorf("%s: event %d: bad account or time", acct, i)
			}
			if pending && ns != lastAt { // the changes stamped lastAt are netted: keep their total
				if len(mrr) == 0 || mrr[len(mrr)-1] != total {
					at, mrr = append(at, lastAt), append(mrr, total)
				}
				pending = false
			}
			lastAt = ns
			var s *handSub
			for k := range subs {
				if subs[k].id == e.Subscription {
					s = &subs[k]
					break
				}
			}
			if s == nil {
				subs = append(subs, handSub{id: e.Subscription})
				s = &subs[len(subs)-1]
			}
			if s.lastAt == ns && s.lastKind == e.Kind && s.started {
				return whole, fmt.Errorf("%s: event %d: duplicate", acct, i)
			}
			var units int64
			if e.Kind != revenue.Cancel {
				a, ok1 := handCents(e.Amount)
				d, ok2 := handCents(e.Discount)
				_, ok3 := handCents(e.Tax)
				if e.Currency != cur || !ok1 || !ok2 || !ok3 || d > a || e.IntervalMonths < 0 || e.IntervalMonths > 120 {
					return whole, fmt.Errorf("%s: event %d: bad amount, currency or interval", acct, i)
				}
				if !e.Trial {
					months := int64(max(e.IntervalMonths, 1))
					v := a - d
					q, r := v/months, v%months
					if 2*r > months || (2*r == months && q%2 != 0) {
						q++
					}
					units = q
				}
			}
			switch e.Kind {
			case revenue.Start:
				if s.started {
					return whole, fmt.Errorf("%s: event %d: start of a started subscription", acct, i)
				}
				s.started, s.active = true, true
			case revenue.Change:
				if !s.active {
					return whole, fmt.Errorf("%s: event %d: change of an inactive subscription", acct, i)
				}
			case revenue.Cancel:
				if !s.active {
					return whole, fmt.Errorf("%s: event %d: cancel of an inactive subscription", acct, i)
				}
				s.active = false
			case revenue.Reactivate:
				if s.active || !s.started {
					return whole, fmt.Errorf("%s: event %d: reactivation of an active subscription", acct, i)
				}
				s.active = true
			default:
				return whole, fmt.Errorf("%s: event %d: unknown kind", acct, i)
			}
			s.lastKind, s.lastAt = e.Kind, ns
			total += units - s.units
			s.units = units
			pending = true
		}
		if pending && (len(mrr) == 0 || mrr[len(mrr)-1] != total) {
			at, mrr = append(at, lastAt), append(mrr, total)
		}
		handWalk(at, mrr, bounds, rows, &whole)
	}
	return whole, nil
}

// handWalk adds one account's MRR steps to the bridge's rows.
func handWalk(at, mrr, bounds []int64, rows []handRow, whole *handRow) {
	j, cur, ever := 0, int64(0), false
	for j < len(at) && at[j] < bounds[0] {
		cur, ever = mrr[j], ever || mrr[j] > 0
		j++
	}
	first := cur
	for k := range rows {
		s := &rows[k]
		open := cur
		for ; j < len(at) && at[j] < bounds[k+1]; j++ {
			prev := cur
			cur = mrr[j]
			switch {
			case prev == 0 && cur > 0 && ever:
				s.react += cur
				s.counts.Reactivation++
			case prev == 0 && cur > 0:
				s.newV += cur
				s.counts.New++
			case cur == 0 && prev > 0:
				s.churn += prev
				s.counts.Churn++
			case cur > prev:
				s.exp += cur - prev
				s.counts.Expansion++
			case cur < prev:
				s.contr += prev - cur
				s.counts.Contraction++
			}
			ever = ever || cur > 0
		}
		s.open += open
		s.close += cur
		if open > 0 {
			s.counts.Opening++
			s.cohort++
			s.start += open
			s.net += cur
			s.gross += min(open, cur)
			if cur == 0 {
				s.counts.Lost++
			} else {
				s.retained++
			}
		}
		if cur > 0 {
			s.counts.Closing++
		}
	}
	if first > 0 {
		whole.cohort++
		whole.start += first
		whole.net += cur
		whole.gross += min(first, cur)
		if cur > 0 {
			whole.retained++
		}
	}
}

// handBridgeParallel runs handBridge on two halves of the accounts and
// adds the rows: the hand-written loop on two cores.
func handBridgeParallel(accounts [][]revenue.SubscriptionEvent, bounds []int64, rows []handRow, workers int) error {
	if workers == 1 {
		_, err := handBridge(accounts, bounds, rows)
		return err
	}
	parts := make([][]handRow, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		parts[w] = make([]handRow, len(rows))
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo, hi := len(accounts)*w/workers, len(accounts)*(w+1)/workers
			_, errs[w] = handBridge(accounts[lo:hi], bounds, parts[w])
		}()
	}
	wg.Wait()
	for w := range workers {
		if errs[w] != nil {
			return errs[w]
		}
		for k := range rows {
			d, s := &rows[k], &parts[w][k]
			d.open, d.newV, d.exp, d.react = d.open+s.open, d.newV+s.newV, d.exp+s.exp, d.react+s.react
			d.contr, d.churn, d.close = d.contr+s.contr, d.churn+s.churn, d.close+s.close
			d.counts.Opening += s.counts.Opening
			d.counts.Closing += s.counts.Closing
			d.counts.New += s.counts.New
			d.counts.Expansion += s.counts.Expansion
			d.counts.Contraction += s.counts.Contraction
			d.counts.Churn += s.counts.Churn
			d.counts.Reactivation += s.counts.Reactivation
			d.counts.Lost += s.counts.Lost
			d.cohort, d.retained = d.cohort+s.cohort, d.retained+s.retained
			d.start, d.gross, d.net = d.start+s.start, d.gross+s.gross, d.net+s.net
		}
	}
	return nil
}

func bridgeBounds(periods []valuepath.Interval) []int64 {
	bounds := make([]int64, 0, len(periods)+1)
	for _, p := range periods {
		bounds = append(bounds, p.Start.UnixNano())
	}
	return append(bounds, periods[len(periods)-1].End.UnixNano())
}

// TestHandBridgeMatchesLibrary: the benchmark's contender computes the
// library's bridge, row for row, and refuses what the library refuses.
func TestHandBridgeMatchesLibrary(t *testing.T) {
	events := benchEvents(3000)
	accounts := byAccount(events)
	periods := revenue.Months(day(2022, 1, 1), 36)
	bounds := bridgeBounds(periods)
	b, err := revenue.NewBridge(mustNormalize(t, events), periods, revenue.BridgeOptions{})
	require.NoError(t, err)
	cents := func(u int64) string { return decimal.New(u, -2).StringFixed(2) }
	for _, workers := range []int{1, 2} {
		rows := make([]handRow, len(periods))
		require.NoError(t, handBridgeParallel(accounts, bounds, rows, workers))
		for k, p := range b.Periods {
			h := rows[k]
			got := fmt.Sprint(cents(h.open), cents(h.newV), cents(h.exp), cents(h.react), cents(h.contr), cents(h.churn), cents(h.close), h.counts,
				h.cohort, h.retained, cents(h.start), cents(h.gross), cents(h.net))
			r := p.Retention
			want := fmt.Sprint(p.Opening.Amount().StringFixed(2), p.New.Amount().StringFixed(2), p.Expansion.Amount().StringFixed(2), p.Reactivation.Amount().StringFixed(2),
				p.Contraction.Amount().StringFixed(2), p.Churn.Amount().StringFixed(2), p.Closing.Amount().StringFixed(2), p.Accounts,
				r.Accounts, r.Retained, r.Starting.Amount().StringFixed(2), r.Gross.Amount().StringFixed(2), r.Net.Amount().StringFixed(2))
			require.Equal(t, want, got, "period %d with %d workers", k, workers)
		}
	}
	// What the library refuses, the contender refuses.
	for _, spoil := range []func(e *revenue.SubscriptionEvent){
		func(e *revenue.SubscriptionEvent) { e.Amount = dec("-1") },
		func(e *revenue.SubscriptionEvent) { e.Discount = e.Amount.Add(dec("1")) },
		func(e *revenue.SubscriptionEvent) { e.Tax = dec("-0.01") },
		func(e *revenue.SubscriptionEvent) { e.Currency = "EUR" },
		func(e *revenue.SubscriptionEvent) { e.IntervalMonths = 121 },
		func(e *revenue.SubscriptionEvent) { e.Kind = revenue.Start },
		func(e *revenue.SubscriptionEvent) { e.At = time.Time{} },
		func(e *revenue.SubscriptionEvent) { e.Kind = "pause" },
	} {
		bad := slices.Clone(accounts[7])
		spoil(&bad[1])
		_, libErr := revenue.Normalize(bad, revenue.Policy{})
		require.Error(t, libErr)
		_, err := handBridge([][]revenue.SubscriptionEvent{bad}, bounds, make([]handRow, len(periods)))
		require.Error(t, err, "the library refuses: %v", libErr)
	}
}

func mustNormalize(t testing.TB, events []revenue.SubscriptionEvent) []revenue.Timeline {
	ts, err := revenue.Normalize(events, revenue.Policy{})
	require.NoError(t, err)
	return ts
}
