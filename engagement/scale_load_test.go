package engagement_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath/engagement"
	"github.com/valuepath/valuepath/internal/scaletest"
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
	parse := func(n int) func() {
		data := journeyJSON(n)
		return func() {
			for range 10 { // long enough that timer and GC noise do not count
				_, err := engagement.ParseJourney(data)
				require.NoError(t, err)
			}
		}
	}
	scaletest.Check(t, "ParseJourney 5000 vs 10000 kinds", parse(5000), parse(10000))
}

func TestParseJourneyCap(t *testing.T) {
	_, err := engagement.ParseJourney(journeyJSON(10001))
	require.ErrorContains(t, err, "enter: invalid value: 10001 event kinds; a journey holds at most 10000")
}
