package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Sizes are the workloads' sizes; the data is a pure function of them and
// the seed, so every process regenerates the same data, and the CSV files
// the databases load are written from the same generators.
type Sizes struct {
	Seed          uint64 `json:"seed"`
	HealthAccts   int    `json:"health_accounts"`
	AUCScores     int    `json:"auc_scores"`
	RevenueAccts  int    `json:"revenue_accounts"`
	RevenueMonths int    `json:"revenue_months"`
}

var (
	fullSizes  = Sizes{Seed: 1, HealthAccts: 1_000_000, AUCScores: 1_000_000, RevenueAccts: 100_000, RevenueMonths: 36}
	smallSizes = Sizes{Seed: 1, HealthAccts: 20_000, AUCScores: 20_000, RevenueAccts: 2_000, RevenueMonths: 36}
)

func readSizes(dir string) (Sizes, error) {
	var s Sizes
	b, err := os.ReadFile(filepath.Join(dir, "sizes.json"))
	if err != nil {
		return s, fmt.Errorf("%w (run gen first)", err)
	}
	return s, json.Unmarshal(b, &s)
}

// healthMeasures is the number of measures of the health workload: 3
// groups of 4.
const healthMeasures = 12

// healthData is n accounts × 12 measure values in [0, 120), about 5% of
// them missing (NaN here, NULL in the databases), row-major.
type healthData struct {
	n    int
	vals []float64
}

func genHealth(s Sizes) healthData {
	r := rand.New(rand.NewPCG(s.Seed, 1))
	d := healthData{n: s.HealthAccts, vals: make([]float64, s.HealthAccts*healthMeasures)}
	for i := range d.vals {
		if r.IntN(20) == 0 {
			d.vals[i] = math.NaN()
			continue
		}
		d.vals[i] = r.Float64() * 120
	}
	return d
}

func healthAccount(i int) string { return fmt.Sprintf("a%07d", i) }

// aucData is n scores (two decimals, so that ties are common) and churn
// labels: about 10% churned, scoring 15 lower on average.
type aucData struct {
	scores  []float64
	churned []bool
}

func genAUC(s Sizes) aucData {
	r := rand.New(rand.NewPCG(s.Seed, 2))
	d := aucData{scores: make([]float64, s.AUCScores), churned: make([]bool, s.AUCScores)}
	for i := range d.scores {
		c := r.IntN(10) == 0
		v := r.NormFloat64()*15 + 60
		if c {
			v -= 15
		}
		d.scores[i], d.churned[i] = math.Round(v*100)/100, c
	}
	return d
}

// event kinds of the revenue workload.
const (
	kindStart byte = iota
	kindChange
	kindCancel
	kindReactivate
)

var kindNames = [...]string{"start", "change", "cancel", "reactivate"}

// revEvent is one subscription event: one subscription per account, the
// amount per billing interval in cents (the monthly price times the
// interval, so MRR is exact), monthly or yearly billing, in USD.
type revEvent struct {
	acct     int32
	kind     byte
	interval int32
	at       int64 // Unix seconds, UTC
	cents    int64
}

// revStart is the first instant of the bridge's first month.
var revStart = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)

// genRevenue is the revenue benchmark's base: every account starts in the
// first month, then in about a third of the months changes price, cancels
// (1 in 6 of those while active) or reactivates (when cancelled). Events of
// an account are in time order, accounts in id order.
func genRevenue(s Sizes) []revEvent {
	r := rand.New(rand.NewPCG(s.Seed, 3))
	prices := make([]int64, 200)
	for i := range prices {
		prices[i] = int64(1000 + i*250)
	}
	out := make([]revEvent, 0, s.RevenueAccts*(1+s.RevenueMonths/3))
	for a := range s.RevenueAccts {
		active := true
		interval := []int32{1, 1, 1, 12}[r.IntN(4)]
		out = append(out, revEvent{acct: int32(a), kind: kindStart, interval: interval,
			at: revStart.Add(time.Duration(r.IntN(28*24)) * time.Hour).Unix(), cents: prices[r.IntN(len(prices))] * int64(interval)})
		for m := 1; m < s.RevenueMonths; m++ {
			if r.IntN(3) != 0 {
				continue
			}
			e := revEvent{acct: int32(a), interval: interval, at: revStart.AddDate(0, m, r.IntN(28)).Unix(),
				cents: prices[r.IntN(len(prices))] * int64(interval)}
			switch {
			case !active:
				e.kind, active = kindReactivate, true
			case r.IntN(6) == 0:
				e.kind, active = kindCancel, false
			default:
				e.kind = kindChange
			}
			out = append(out, e)
		}
	}
	return out
}

func revAccount(i int32) string { return fmt.Sprintf("c%06d", i) }

// writeCSVs writes health.csv, auc.csv and events.csv and sizes.json into
// dir.
func writeCSVs(dir string, s Sizes) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	write := func(name string, fill func(w *bufio.Writer)) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 1<<20)
		fill(w)
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	h := genHealth(s)
	err := write("health.csv", func(w *bufio.Writer) {
		w.WriteString("account")
		for j := range healthMeasures {
			fmt.Fprintf(w, ",m%d", j)
		}
		w.WriteByte('\n')
		var buf []byte
		for i := range h.n {
			w.WriteString(healthAccount(i))
			for _, v := range h.vals[i*healthMeasures : (i+1)*healthMeasures] {
				w.WriteByte(',')
				if !math.IsNaN(v) {
					buf = strconv.AppendFloat(buf[:0], v, 'g', -1, 64)
					w.Write(buf)
				}
			}
			w.WriteByte('\n')
		}
	})
	if err != nil {
		return err
	}
	a := genAUC(s)
	err = write("auc.csv", func(w *bufio.Writer) {
		w.WriteString("score,churned\n")
		var buf []byte
		for i, v := range a.scores {
			buf = strconv.AppendFloat(buf[:0], v, 'g', -1, 64)
			w.Write(buf)
			w.WriteString([]string{",false\n", ",true\n"}[b2i(a.churned[i])])
		}
	})
	if err != nil {
		return err
	}
	ev := genRevenue(s)
	err = write("events.csv", func(w *bufio.Writer) {
		w.WriteString("account,kind,effective_at,amount_cents,interval_months\n")
		for _, e := range ev {
			fmt.Fprintf(w, "%s,%s,%s,%d,%d\n", revAccount(e.acct), kindNames[e.kind],
				time.Unix(e.at, 0).UTC().Format(time.DateTime), e.cents, e.interval)
		}
	})
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "sizes.json"), append(b, '\n'), 0o644)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
