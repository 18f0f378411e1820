// Package scaletest checks in tests that work grows at most linearly, or
// n·log n: twice the input in at most three times the time.
package scaletest

import (
	"runtime"
	"testing"
	"time"
)

// Rounds is how many times each size runs; the fastest run of each counts.
const Rounds = 7

// Check times once (the 1× input) and twice (the 2× input), interleaved so
// that a shared machine's changing load hits both alike, and fails t when
// the fastest run of twice takes more than three times the fastest run of
// once (plus 5 ms for timer noise) in each of three attempts: a quadratic
// cost takes four times as long every time, a busy machine only sometimes.
// It returns the times of the last attempt.
func Check(t testing.TB, name string, once, twice func()) (t1, t2 time.Duration) {
	t.Helper()
	if testing.Short() {
		t.Skip("timing test skipped in -short mode")
	}
	for attempt := 1; attempt <= 3; attempt++ {
		t1, t2 = time.Duration(1<<62), time.Duration(1<<62)
		for range Rounds {
			t1 = min(t1, timed(once))
			t2 = min(t2, timed(twice))
		}
		t.Logf("%s: 1x %v, 2x %v (%.2fx)", name, t1, t2, float64(t2)/float64(t1))
		if t2 <= 3*t1+5*time.Millisecond {
			return t1, t2
		}
	}
	t.Errorf("%s: 2x the input took %v, more than 3x the %v of 1x, three times", name, t2, t1)
	return t1, t2
}

func timed(f func()) time.Duration {
	runtime.GC()
	start := time.Now()
	f()
	return time.Since(start)
}
