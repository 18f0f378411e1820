package engagement_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath/engagement"
)

// journeyJSON is a journey whose n event kinds all enter adoption.
func journeyJSON(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"enter":{"adoption":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"event_kind_%d"`, i)
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

func TestParseJourneyScalesLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	timeParse := func(n int) time.Duration {
		data := journeyJSON(n)
		best := time.Duration(1 << 62)
		for range 5 {
			runtime.GC()
			start := time.Now()
			_, err := engagement.ParseJourney(data)
			require.NoError(t, err)
			best = min(best, time.Since(start))
		}
		return best
	}
	t1, t2 := timeParse(5000), timeParse(10000)
	t.Logf("ParseJourney: 5000 kinds %v, 10000 kinds %v (%.2fx)", t1, t2, float64(t2)/float64(t1))
	require.Less(t, t2, 3*t1+10*time.Millisecond, "2x the kinds took more than 3x the time")
}

func TestParseJourneyCap(t *testing.T) {
	_, err := engagement.ParseJourney(journeyJSON(10001))
	require.ErrorContains(t, err, "enter: invalid value: 10001 event kinds; a journey holds at most 10000")
}
