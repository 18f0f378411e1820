package main

import (
	"fmt"
	"math"
)

// healthAnswer is what the health workload's contenders must agree on:
// accounts per band, accounts without a score, and the sum of the scores.
type healthAnswer struct {
	Red, Yellow, Green int
	Absent             int
	ScoreSum           float64
}

func (a *healthAnswer) add(present bool, v float64, band string) {
	if !present {
		a.Absent++
		return
	}
	a.ScoreSum += v
	switch band {
	case "red":
		a.Red++
	case "yellow":
		a.Yellow++
	case "green":
		a.Green++
	default:
		panic("unknown band " + band)
	}
}

// bandOf is the default band set.
func bandOf(s float64) string {
	switch {
	case s < 50:
		return "red"
	case s < 75:
		return "yellow"
	}
	return "green"
}

func (a healthAnswer) check(want healthAnswer) error {
	if a.Red != want.Red || a.Yellow != want.Yellow || a.Green != want.Green || a.Absent != want.Absent {
		return fmt.Errorf("bands red/yellow/green/absent %d/%d/%d/%d, the library's %d/%d/%d/%d",
			a.Red, a.Yellow, a.Green, a.Absent, want.Red, want.Yellow, want.Green, want.Absent)
	}
	if d := math.Abs(a.ScoreSum - want.ScoreSum); d > 1e-9*math.Abs(want.ScoreSum) {
		return fmt.Errorf("score sum %.12g, the library's %.12g", a.ScoreSum, want.ScoreSum)
	}
	return nil
}

type aucAnswer struct{ AUC float64 }

func (a aucAnswer) check(want aucAnswer) error {
	if math.Abs(a.AUC-want.AUC) > 1e-9 || math.IsNaN(a.AUC) {
		return fmt.Errorf("AUC %.15g, the library's %.15g", a.AUC, want.AUC)
	}
	return nil
}

// bridgeMonth is one month of the MRR bridge, in cents.
type bridgeMonth struct {
	New, Expansion, Reactivation, Contraction, Churn, Closing int64
}

type bridgeAnswer struct{ Months []bridgeMonth }

func (a bridgeAnswer) check(want bridgeAnswer) error {
	if len(a.Months) != len(want.Months) {
		return fmt.Errorf("%d months, the library's %d", len(a.Months), len(want.Months))
	}
	for i := range a.Months {
		if a.Months[i] != want.Months[i] {
			return fmt.Errorf("month %d: %+v, the library's %+v", i+1, a.Months[i], want.Months[i])
		}
	}
	return nil
}
