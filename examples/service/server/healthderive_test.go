package server

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

// TestDerivationsForKeepsWhatTheScorecardReads: the scorecard's metrics and
// the ratios' inputs, in declaration order, and nothing the scorecard does
// not read.
func TestDerivationsForKeepsWhatTheScorecardReads(t *testing.T) {
	all := demo.AllDerivations()
	sub, err := derivationsFor(all, demo.Scorecard().Metrics())
	if err != nil {
		t.Fatal(err)
	}
	var names []valuepath.Metric
	for _, d := range sub.Spec() {
		names = append(names, d.Name)
	}
	for _, m := range demo.Scorecard().Metrics() {
		if !slices.Contains(names, m) {
			t.Errorf("scorecard metric %s left out", m)
		}
	}
	for _, m := range []valuepath.Metric{demo.SeatsNow, demo.ActiveUsers30d, demo.Logins30d} {
		if !slices.Contains(names, m) {
			t.Errorf("ratio input %s left out", m)
		}
	}
	for _, m := range []valuepath.Metric{demo.Transactions30d, demo.Transactions365d} {
		if slices.Contains(names, m) {
			t.Errorf("%s kept, but the scorecard does not read it", m)
		}
	}
	if len(names) >= len(all.Spec()) {
		t.Fatalf("kept %d of %d derivations", len(names), len(all.Spec()))
	}
	if same, err := derivationsFor(sub, demo.Scorecard().Metrics()); err != nil || same != sub {
		t.Fatalf("a set the scorecard reads all of is not returned as is: %v", err)
	}
}

// TestHealthAnswersAsWithTheWholeSet: every account's health answer, at
// several asOf dates (one before most accounts have data, so that the
// no-data fallback runs), is byte for byte what deriving with the whole set
// gives.
func TestHealthAnswersAsWithTheWholeSet(t *testing.T) {
	base, err := demo.Generate(demo.Config{Accounts: 120, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	infos := make([]AccountInfo, len(base.Accounts))
	for i, a := range base.Accounts {
		infos[i] = AccountInfo{ID: a.ID, Name: a.Name, Segment: a.Segment, TimeZone: a.TimeZone, Start: a.Start}
	}
	cfg := Config{Provider: base.Provider, Accounts: infos, Derivations: demo.AllDerivations(), Scorecard: demo.Scorecard(), DefaultAsOf: base.AsOf}
	fast, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if fast.healthDerivations == fast.derivations {
		t.Fatal("the health endpoint derives the whole set")
	}
	whole, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	whole.healthDerivations = whole.derivations
	statuses := map[int]int{}
	for _, asOf := range []string{"", "?asOf=2026-06-15", "?asOf=2024-03-01", "?asOf=2020-01-01"} {
		for _, a := range infos {
			target := "/v1/accounts/" + string(a.ID) + "/health" + asOf
			got, want := httptest.NewRecorder(), httptest.NewRecorder()
			fast.ServeHTTP(got, httptest.NewRequest(http.MethodGet, target, nil))
			whole.ServeHTTP(want, httptest.NewRequest(http.MethodGet, target, nil))
			if got.Code != want.Code || got.Body.String() != want.Body.String() {
				t.Fatalf("%s: %d %s\nwith the whole set: %d %s", target, got.Code, got.Body, want.Code, want.Body)
			}
			statuses[got.Code]++
		}
	}
	if statuses[http.StatusOK] == 0 || len(statuses) < 2 {
		t.Fatalf("answers by status %v: the test does not reach both paths", statuses)
	}
	t.Logf("answers by status: %v", statuses)
}
