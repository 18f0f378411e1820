package health_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/internal/validate"
)

func TestTrendOf(t *testing.T) {
	tests := []struct {
		prev, cur, tol float64
		want           health.Trend
	}{
		{50, 53, 2, health.Up}, {50, 52, 2, health.Flat}, {50, 47.9, 2, health.Down},
		{50, 50, 0, health.Flat}, {50, 50.1, math.NaN(), health.Up}, {50, 49, -3, health.Down},
		// An unknown score has no trend, not a flat one.
		{math.NaN(), 50, 2, ""}, {50, math.NaN(), 2, ""}, {math.Inf(1), 50, 2, ""}, {50, math.Inf(-1), 2, ""},
	}
	for _, tt := range tests {
		if got := health.TrendOf(tt.prev, tt.cur, tt.tol); got != tt.want {
			t.Errorf("TrendOf(%v, %v, %v) = %s, want %s", tt.prev, tt.cur, tt.tol, got, tt.want)
		}
	}
}

func TestAttribute(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	prev := score(t, sc, snap(t, map[valuepath.Metric]float64{"logins": 80, "util": 0.6, "cases": 2}))
	cur := score(t, sc, snap(t, map[valuepath.Metric]float64{"logins": 40, "util": 0.6, "cases": 1}))
	a, err := health.Attribute(prev, cur, 1)
	if err != nil {
		t.Fatal(err)
	}
	// logins: .375*80=30 -> .375*40=15; cases: .25*80=20 -> .25*90=22.5
	want := health.Attribution{From: 72.5, To: 60, Delta: -12.5, Trend: health.Down, Changes: []health.Change{
		{Measure: "logins", From: 30, To: 15, Delta: -15, FromScore: 80, ToScore: 40},
		{Measure: "cases", From: 20, To: 22.5, Delta: 2.5, FromScore: 80, ToScore: 90},
	}}
	if diff := cmp.Diff(want, a, approx); diff != "" {
		t.Errorf("attribution (-want +got):\n%s", diff)
	}
	other := valuepath.Must(health.NewScorecard(benchSpecOnly()))
	if _, err := health.Attribute(prev, score(t, other, snap(t, map[valuepath.Metric]float64{"m0": 1})), 1); err == nil {
		t.Error("attributing scores of different scorecards succeeded")
	}
	if _, err := health.Attribute(nil, cur, 1); err == nil {
		t.Error("attributing a nil score succeeded")
	}
}

func benchSpecOnly() health.ScorecardSpec { s, _ := benchSpec(); return s }

func TestCheckSentiment(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	s := score(t, sc, snap(t, map[valuepath.Metric]float64{"logins": 20, "util": 0.2, "cases": 8})) // red
	at := time.Date(2026, 10, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		sentiment health.Sentiment
		disagrees bool
		gap       int
		effective health.Band
		wantErr   bool
	}{
		{"agrees", health.Sentiment{Band: health.Red, Author: "ana", Reason: "quiet", At: at}, false, 0, health.Red, false},
		{"optimistic", health.Sentiment{Band: health.Green, Author: "ana", Reason: "great QBR", At: at}, true, 2, health.Red, false},
		{"override", health.Sentiment{Band: health.Yellow, Author: "ana", Reason: "data lag", At: at, Override: true}, true, 1, health.Yellow, false},
		{"unknown band", health.Sentiment{Band: "blue", Author: "ana", Reason: "x"}, false, 0, "", true},
		{"no author", health.Sentiment{Band: health.Red, Reason: "x"}, false, 0, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := sc.CheckSentiment(s, tt.sentiment)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if a.Disagrees != tt.disagrees || a.Gap != tt.gap || a.Effective != tt.effective || a.Score.Value != s.Value {
				t.Errorf("got disagrees=%v gap=%d effective=%s score=%v", a.Disagrees, a.Gap, a.Effective, a.Score.Value)
			}
		})
	}
}

// history scores one account at the given days after asOf with the given
// logins (util and cases fixed so that score = .375*logins + 37.5+... ).
func history(t *testing.T, sc *health.Scorecard, account valuepath.AccountID, days []int, logins []float64) []*health.Score {
	t.Helper()
	var out []*health.Score
	for i, d := range days {
		s := snap(t, map[valuepath.Metric]float64{"logins": logins[i], "util": 1, "cases": 0})
		s.Account, s.AsOf = account, asOf.AddDate(0, 0, d)
		out = append(out, score(t, sc, s))
	}
	return out
}

func TestAlerts(t *testing.T) {
	// Score = .375*logins + 62.5: logins 100 -> 100, 30 -> 73.75 (yellow),
	// 0 -> 62.5. The logins measure is red below 50.
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	type got struct {
		Kind health.AlertKind
		Day  int
		Key  string
	}
	tests := []struct {
		name   string
		days   []int
		logins []float64
		open   []health.Alert
		policy health.AlertOptions
		want   []got
	}{{
		name: "steady", days: []int{0, 7, 14}, logins: []float64{90, 91, 90},
	}, {
		name: "band drop, measure red and point drop", days: []int{0, 7}, logins: []float64{100, 30},
		want: []got{{health.BandDrop, 7, "a|band_drop|yellow"}, {health.MeasureRed, 7, "a|measure_red|logins"}, {health.PointDrop, 7, "a|point_drop"}},
	}, {
		name: "point drop needs the window", days: []int{0, 40}, logins: []float64{100, 30}, policy: health.AlertOptions{DropPoints: 20},
		want: []got{{health.BandDrop, 40, "a|band_drop|yellow"}, {health.MeasureRed, 40, "a|measure_red|logins"}},
	}, {
		name: "cooldown holds back repeats", days: []int{0, 7, 10, 13, 22, 30}, logins: []float64{100, 30, 100, 30, 100, 30},
		policy: health.AlertOptions{DropPoints: 10},
		want: []got{
			{health.BandDrop, 7, "a|band_drop|yellow"}, {health.MeasureRed, 7, "a|measure_red|logins"}, {health.PointDrop, 7, "a|point_drop"},
			{health.BandDrop, 30, "a|band_drop|yellow"}, {health.MeasureRed, 30, "a|measure_red|logins"}, {health.PointDrop, 30, "a|point_drop"},
		},
	}, {
		name: "open alert from an earlier call", days: []int{0, 7}, logins: []float64{100, 30},
		open: []health.Alert{{Key: "a|point_drop", At: asOf.AddDate(0, 0, 1)}},
		want: []got{{health.BandDrop, 7, "a|band_drop|yellow"}, {health.MeasureRed, 7, "a|measure_red|logins"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			alerts, err := sc.Alerts(history(t, sc, "a", tt.days, tt.logins), tt.open, tt.policy)
			if err != nil {
				t.Fatal(err)
			}
			var g []got
			for _, a := range alerts {
				g = append(g, got{a.Kind, int(a.At.Sub(asOf).Hours() / 24), a.Key})
			}
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("alerts (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("reason", func(t *testing.T) {
		alerts, _ := sc.Alerts(history(t, sc, "a", []int{0, 7}, []float64{100, 30}), nil, health.AlertOptions{})
		want := []string{"band fell from green to yellow", "logins entered red (score 30)", "score fell 26.2 points since 2026-11-01 (100 to 73.8)"}
		var reasons []string
		for _, a := range alerts {
			reasons = append(reasons, a.Reason)
		}
		if diff := cmp.Diff(want, reasons); diff != "" {
			t.Errorf("reasons (-want +got):\n%s", diff)
		}
	})
	t.Run("bad history", func(t *testing.T) {
		h := history(t, sc, "a", []int{7, 0}, []float64{1, 2})
		h = append(h, nil)
		_, err := sc.Alerts(h, nil, health.AlertOptions{DropPoints: -1, Cooldown: -1})
		want := []string{"history[1].as_of", "history[2]", "options.cooldown", "options.drop_points"}
		if diff := cmp.Diff(want, validate.Paths(err)); diff != "" {
			t.Errorf("paths (-want +got):\n%s\n%v", diff, err)
		}
	})
}
