package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/accounts.csv from generate")

// generate writes n accounts as a churn export would give them: one row per
// account, blanks where the warehouse had nothing. A hidden health drives
// both the usage columns and the churn flag, with noise, so a good scorecard
// separates churners well but not perfectly. The seed is fixed: the same
// file every time.
func generate(n int) []byte {
	r := rand.New(rand.NewPCG(17, 2026))
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"customer_id", "tenure_months", "logins_30d", "seat_utilisation", "support_cases_90d", "nps", "churned"})
	num := func(v float64, blank float64, prec int) string {
		if r.Float64() < blank {
			return ""
		}
		return strconv.FormatFloat(v, 'f', prec, 64)
	}
	for i := range n {
		h := r.NormFloat64()
		churn := r.Float64() < 1/(1+math.Exp(2.2+1.6*h))
		logins := math.Max(0, math.Round(160+90*h+50*r.NormFloat64()))
		util := math.Min(1, math.Max(0, 0.55+0.18*h+0.12*r.NormFloat64()))
		cases := math.Max(0, math.Round(2-1.1*h+1.2*r.NormFloat64()))
		nps := math.Min(10, math.Max(0, math.Round(7+1.4*h+1.5*r.NormFloat64())))
		churned := "No"
		if churn {
			churned = "Yes"
		}
		w.Write([]string{
			fmt.Sprintf("C%04d", i+1),
			strconv.Itoa(1 + r.IntN(60)),
			num(logins, 0.05, 0),
			num(util, 0.08, 2),
			num(cases, 0.03, 0),
			num(nps, 0.45, 0),
			churned,
		})
	}
	w.Flush()
	return b.Bytes()
}

// TestShippedCSVIsGenerated checks that testdata/accounts.csv is what
// generate writes; after changing generate, rerun it with -update in
// examples/tabular.
func TestShippedCSVIsGenerated(t *testing.T) {
	got := generate(300)
	if *update {
		if err := os.WriteFile("testdata/accounts.csv", got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(got, shipped) {
		t.Error("testdata/accounts.csv differs from generate(300): run (cd examples/tabular && go test -run TestShippedCSVIsGenerated . -update)")
	}
}
