package main

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
)

// The hand-written loops compute the same answers the way a team would
// write them for its own scorecard, AUC and bridge: flat arrays, nothing
// but the arithmetic and the validation the answer needs.

// handHealth scores row-major measure values (NaN missing) with the
// scorecard of healthSpec.
func handHealth(d healthData) healthAnswer {
	var a healthAnswer
	for i := range d.n {
		s, ok := handScore(d.vals[i*healthMeasures : (i+1)*healthMeasures : (i+1)*healthMeasures])
		if !ok {
			a.add(false, 0, "")
			continue
		}
		a.add(true, s, bandOf(s))
	}
	return a
}

// handScore is healthSpec's weighted score of one account's 12 values.
func handScore(v []float64) (float64, bool) {
	var sums, ws [3]float64
	for j := range healthMeasures {
		x := v[j]
		if x != x { // NaN: missing
			continue
		}
		var sc float64
		switch {
		case x <= 0:
			sc = 0
		case x <= 50:
			sc = x / 50 * 60
		case x <= 100:
			sc = 60 + (x-50)/50*40
		default:
			sc = 100
		}
		g, w := j/4, float64(j%4+1)
		sums[g] += w * sc
		ws[g] += w
	}
	var total, totalW float64
	for g := range 3 {
		if ws[g] > 0 {
			total += healthGroupWeights[g] * sums[g] / ws[g]
			totalW += healthGroupWeights[g]
		}
	}
	if totalW == 0 {
		return 0, false
	}
	return total / totalW, true
}

// handAUC is the Mann-Whitney statistic: sort the scores once, give tied
// scores their average rank, and sum the ranks of the retained accounts.
func handAUC(d aucData) (aucAnswer, error) {
	type obs struct {
		s float64
		c bool
	}
	o := make([]obs, len(d.scores))
	nc := 0
	for i, s := range d.scores {
		if s != s || s-s != 0 {
			return aucAnswer{}, fmt.Errorf("scores[%d]: not finite", i)
		}
		o[i] = obs{s, d.churned[i]}
		if d.churned[i] {
			nc++
		}
	}
	nr := len(o) - nc
	if nc == 0 || nr == 0 {
		return aucAnswer{}, errors.New("a class is empty")
	}
	slices.SortFunc(o, func(a, b obs) int { return cmp.Compare(a.s, b.s) })
	var rankSum float64 // of the retained, ranks from 1
	for i := 0; i < len(o); {
		j, r := i, 0
		for j < len(o) && o[j].s == o[i].s {
			if !o[j].c {
				r++
			}
			j++
		}
		avg := float64(i+1+j) / 2 // ranks i+1 .. j
		rankSum += avg * float64(r)
		i = j
	}
	fr, fc := float64(nr), float64(nc)
	return aucAnswer{AUC: (rankSum - fr*(fr+1)/2) / (fr * fc)}, nil
}

// handRevenue is the one-pass bridge: for each event, the account's MRR
// before and after (the price per interval over the interval, rounded
// half-even to the cent), classified as new, expansion, reactivation,
// contraction or churn in its month, with the validation the library
// applies to these events: a known kind, an interval of 1 to 120 months,
// no negative amount, events of an account in time order, a start first
// and only first, a change or cancel only while active, a reactivation
// only after a cancel.
func handRevenue(ev []revEvent, months int) (bridgeAnswer, error) {
	bounds := make([]int64, months+1)
	for m := range bounds {
		bounds[m] = revStart.AddDate(0, m, 0).Unix()
	}
	per := make([]bridgeMonth, months)
	net := make([]int64, months)
	var acct int32 = -1
	var mrr, last int64
	var active, had bool
	for i, e := range ev {
		if e.acct != acct {
			acct, mrr, active, had, last = e.acct, 0, false, false, e.at
			if e.kind != kindStart {
				return bridgeAnswer{}, fmt.Errorf("events[%d]: account %s does not begin with a start", i, revAccount(e.acct))
			}
		}
		switch {
		case e.kind > kindReactivate:
			return bridgeAnswer{}, fmt.Errorf("events[%d].kind: unknown %d", i, e.kind)
		case e.interval < 1 || e.interval > 120:
			return bridgeAnswer{}, fmt.Errorf("events[%d].interval_months: %d not in 1..120", i, e.interval)
		case e.cents < 0:
			return bridgeAnswer{}, fmt.Errorf("events[%d].amount: negative", i)
		case e.at < last:
			return bridgeAnswer{}, fmt.Errorf("events[%d].at: before the account's previous event", i)
		case e.kind == kindStart && had,
			(e.kind == kindChange || e.kind == kindCancel) && !active,
			e.kind == kindReactivate && active:
			return bridgeAnswer{}, fmt.Errorf("events[%d]: %s out of order", i, kindNames[e.kind])
		}
		last = e.at
		after := int64(0)
		if e.kind != kindCancel {
			after = divHalfEven(e.cents, int64(e.interval))
		}
		active = e.kind != kindCancel
		m := sort.Search(months, func(k int) bool { return bounds[k+1] > e.at })
		if e.at < bounds[0] || m == months {
			return bridgeAnswer{}, fmt.Errorf("events[%d].at: %s outside the bridge", i, time.Unix(e.at, 0).UTC())
		}
		p := &per[m]
		switch {
		case after == mrr:
		case mrr == 0 && !had:
			p.New += after
		case mrr == 0:
			p.Reactivation += after
		case after == 0:
			p.Churn += mrr
		case after > mrr:
			p.Expansion += after - mrr
		default:
			p.Contraction += mrr - after
		}
		net[m] += after - mrr
		had = had || after > 0
		mrr = after
	}
	var closing int64
	for m := range per {
		closing += net[m]
		per[m].Closing = closing
	}
	return bridgeAnswer{Months: per}, nil
}

// divHalfEven is a/b rounded half to even, for a ≥ 0 and b > 0.
func divHalfEven(a, b int64) int64 {
	q, r := a/b, a%b
	if 2*r > b || (2*r == b && q%2 == 1) {
		q++
	}
	return q
}
