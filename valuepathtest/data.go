package valuepathtest

import (
	"math"
	"time"

	"github.com/valuepath/valuepath"
)

// t0 is the first day of the data set.
var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// far is a window that holds the whole data set.
var far = valuepath.Interval{Start: t0.AddDate(-1, 0, 0), End: t0.AddDate(1, 0, 0)}

// The accounts and metrics of the data set. initech is known but has no
// data at all; umbrella has events only; no account has samples of nps.
const (
	acme     valuepath.AccountID = "acme"
	globex   valuepath.AccountID = "globex"
	initech  valuepath.AccountID = "initech"
	umbrella valuepath.AccountID = "umbrella"
	nobody   valuepath.AccountID = "nobody" // not in the data set

	activeUsers valuepath.Metric = "active_users"
	nps         valuepath.Metric = "nps"
	seats       valuepath.Metric = "seats"
	noSuch      valuepath.Metric = "no_such_metric" // not in the data set
)

// dataSet returns a fresh copy of the data set every rule reads. Values have
// fractional parts that float32 cannot hold, so a store that narrows them
// is caught; some samples and events share an instant, so that one window
// bound meets both.
func dataSet() Data {
	d := Data{
		Accounts: []valuepath.AccountID{acme, globex, initech, umbrella},
		Metrics:  []valuepath.Metric{activeUsers, nps, seats},
	}
	for day := range 40 {
		d.Rows = append(d.Rows, Row{acme, activeUsers, t0.Add(time.Duration(day)*24*time.Hour + 9*time.Hour), 10.1 + float64(day)})
	}
	d.Rows = append(d.Rows,
		Row{acme, seats, t0, 50},
		Row{acme, seats, t0.AddDate(0, 0, 20).Add(9 * time.Hour), 60.3},
		Row{acme, seats, t0.AddDate(0, 0, 35).Add(time.Nanosecond), 0},
	)
	for i := range 10 {
		d.Rows = append(d.Rows, Row{globex, activeUsers, t0.AddDate(0, 0, 5+3*i).Add(17*time.Hour + 30*time.Minute), -3.7 + 1.1*float64(i)})
	}
	d.Events = []valuepath.Event{
		{Account: acme, Kind: "support_case", At: t0.AddDate(0, 0, 3).Add(10 * time.Hour), Attrs: map[string]string{"severity": "high"}},
		{Account: acme, Kind: "release", At: t0.AddDate(0, 0, 10)},
		{Account: acme, Kind: "support_case", At: t0.AddDate(0, 0, 20).Add(9 * time.Hour), Attrs: map[string]string{"severity": "low", "channel": "email"}},
		{Account: acme, Kind: "survey", At: t0.AddDate(0, 0, 30).Add(time.Millisecond), Attrs: map[string]string{"score": "9"}},
		{Account: globex, Kind: "support_case", At: t0.AddDate(0, 0, 7), Attrs: map[string]string{"severity": "critical"}},
		{Account: umbrella, Kind: "login", At: t0.AddDate(0, 0, 1)},
		{Account: umbrella, Kind: "login", At: t0.AddDate(0, 0, 2)},
	}
	return d
}

// notFiniteSets returns the data sets of the not-finite rule: the data set
// with one value of acme's seats replaced by NaN, +Inf and -Inf.
func notFiniteSets() map[string]Data {
	out := map[string]Data{}
	for name, v := range map[string]float64{"NaN": math.NaN(), "+Inf": math.Inf(1), "-Inf": math.Inf(-1)} {
		d := dataSet()
		for i, r := range d.Rows {
			if r.Account == acme && r.Metric == seats && r.Value == 60.3 {
				d.Rows[i].Value = v
			}
		}
		out[name] = d
	}
	return out
}

// samples returns the samples of account's metric in iv, as the data set
// holds them.
func (d Data) samples(account valuepath.AccountID, metric valuepath.Metric, iv valuepath.Interval) []valuepath.Sample {
	var out []valuepath.Sample
	for _, r := range d.Rows {
		if r.Account == account && r.Metric == metric && iv.Contains(r.At) {
			out = append(out, valuepath.Sample{At: r.At, Value: r.Value})
		}
	}
	return out
}

// events returns the events of account in iv.
func (d Data) events(account valuepath.AccountID, iv valuepath.Interval) []valuepath.Event {
	var out []valuepath.Event
	for _, e := range d.Events {
		if e.Account == account && iv.Contains(e.At) {
			out = append(out, e)
		}
	}
	return out
}

// key is one account's metric.
type key struct {
	account valuepath.AccountID
	metric  valuepath.Metric
}

// pairs returns every known account and metric, with or without samples.
func (d Data) pairs() []key {
	var out []key
	for _, a := range d.Accounts {
		for _, m := range d.Metrics {
			out = append(out, key{a, m})
		}
	}
	return out
}
