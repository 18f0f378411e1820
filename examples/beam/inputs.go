package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

// Inputs are the files [writeInputs] wrote.
type Inputs struct {
	Samples, Events, Accounts string
	// Population is the accounts file's content, in account order.
	Population []AccountRow
	// Lines is the number of sample and event lines written.
	Lines int
}

// scoringDate is the default date the demo base is scored as of: six
// months before the end of its data, so that the accounts that churned in
// those six months are the backtest's churners.
func scoringDate(base *demo.Base) time.Time { return base.AsOf.AddDate(0, -6, 0) }

// population is the demo base's accounts that were customers at asOf, each
// with whether it churned after asOf: the backtest's outcomes.
func population(base *demo.Base, asOf time.Time) []AccountRow {
	var rows []AccountRow
	for _, a := range base.Accounts {
		if a.Start.After(asOf) || (!a.Active() && !a.ChurnedAt.After(asOf)) {
			continue // not a customer at asOf
		}
		rows = append(rows, AccountRow{Account: a.ID, Churned: !a.Active()})
	}
	return rows
}

// writeInputs writes the demo base's raw data to dir as JSON lines, as a
// warehouse export would: every sample of every account's series, every
// event, and the population to score as of asOf with its outcomes.
func writeInputs(ctx context.Context, base *demo.Base, dir string, asOf time.Time) (*Inputs, error) {
	in := &Inputs{
		Samples:    filepath.Join(dir, "samples.jsonl"),
		Events:     filepath.Join(dir, "events.jsonl"),
		Accounts:   filepath.Join(dir, "accounts.jsonl"),
		Population: population(base, asOf),
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	all := valuepath.Interval{Start: time.Unix(0, 0).UTC(), End: base.AsOf.AddDate(1, 0, 0)}
	err := writeLines(in.Samples, func(enc *json.Encoder) error {
		for _, a := range base.Accounts {
			for _, m := range demo.SeriesMetrics {
				s, err := base.Provider.Series(ctx, a.ID, m, all)
				if err != nil {
					return err
				}
				for x := range s.Samples() {
					in.Lines++
					if err := enc.Encode(SampleRow{Account: a.ID, Metric: m, At: x.At, Value: x.Value}); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = writeLines(in.Events, func(enc *json.Encoder) error {
		for _, a := range base.Accounts {
			log, err := base.Provider.Events(ctx, a.ID, all)
			if err != nil {
				return err
			}
			for e := range log.Events() {
				in.Lines++
				if err := enc.Encode(e); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = writeLines(in.Accounts, func(enc *json.Encoder) error {
		for _, r := range in.Population {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return in, nil
}

// writeLines creates path and lets write encode JSON lines into it.
func writeLines(path string, write func(*json.Encoder) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := bufio.NewWriterSize(f, 1<<20)
	if err := write(json.NewEncoder(w)); err != nil {
		return err
	}
	return w.Flush()
}

// readInputs loads the three files into a MemoryProvider and the
// population the way the pipeline reads them (the same key functions, so
// the same strict decoding), for the in-process path on the same files.
func readInputs(in *Inputs, metrics []valuepath.Metric) (*valuepath.MemoryProvider, []AccountRow, error) {
	p := &valuepath.MemoryProvider{}
	for _, m := range metrics {
		if err := p.DeclareMetric(m); err != nil {
			return nil, nil, err
		}
	}
	samples := map[valuepath.AccountID]map[valuepath.Metric][]valuepath.Sample{}
	err := eachLine(in.Samples, func(line string) error {
		k, s, err := keySample(line)
		if err != nil {
			return err
		}
		id := valuepath.AccountID(k)
		if samples[id] == nil {
			samples[id] = map[valuepath.Metric][]valuepath.Sample{}
		}
		samples[id][valuepath.Metric(s.Metric)] = append(samples[id][valuepath.Metric(s.Metric)], valuepath.Sample{At: time.Unix(0, s.At).UTC(), Value: s.Value})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	events := map[valuepath.AccountID][]valuepath.Event{}
	err = eachLine(in.Events, func(line string) error {
		var e valuepath.Event
		if err := valuepath.DecodeJSON([]byte(line), &e, valuepath.JSONOptions{}); err != nil {
			return err
		}
		events[e.Account] = append(events[e.Account], e)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var pop []AccountRow
	err = eachLine(in.Accounts, func(line string) error {
		k, churned, err := keyAccount(line)
		pop = append(pop, AccountRow{Account: valuepath.AccountID(k), Churned: churned})
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	for _, r := range pop {
		if err := p.AddAccount(r.Account); err != nil {
			return nil, nil, err
		}
		for m, xs := range samples[r.Account] {
			s, err := valuepath.NewSeries(xs)
			if err != nil {
				return nil, nil, err
			}
			if err := p.SetSeries(r.Account, m, s); err != nil {
				return nil, nil, err
			}
		}
		log, err := valuepath.NewEventLog(events[r.Account])
		if err != nil {
			return nil, nil, err
		}
		if err := p.SetEvents(r.Account, log); err != nil {
			return nil, nil, err
		}
	}
	return p, pop, nil
}

// eachLine calls f with every line of the file at path.
func eachLine(path string, f func(string) error) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if err := f(sc.Text()); err != nil {
			return err
		}
	}
	return sc.Err()
}
