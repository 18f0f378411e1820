package equivalents_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath/equivalents"
	"github.com/valuepath/valuepath/internal/scaletest"
)

// chainCatalog is a chain of n units, each 1.0001 of the last, closed by
// a factor from the last unit back to the first that agrees with the chain:
// the input that made the exact-rational cycle check cubic.
func chainCatalog(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"tolerance":0.001,"units":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"u%d"}`, i)
	}
	b.WriteString(`],"factors":[`)
	for i := 1; i < n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"from":"u%d","to":"u%d","ratio":"1.0001","source":"s"}`, i-1, i)
	}
	fmt.Fprintf(&b, `,{"from":"u0","to":"u%d","ratio":"%s","source":"s"}]}`, n-1, powText(1.0001, n-1))
	return []byte(b.String())
}

func powText(x float64, n int) string {
	p := 1.0
	for range n {
		p *= x
	}
	return fmt.Sprintf("%.15g", p)
}

func TestParseCatalogScalesLinearly(t *testing.T) {
	parse := func(n int) func() {
		data := chainCatalog(n)
		return func() {
			_, err := equivalents.ParseCatalog(data)
			require.NoError(t, err)
		}
	}
	scaletest.Check(t, "ParseCatalog chain of 4000 vs 8000 units", parse(4000), parse(8000))
}

func TestParseCatalogCaps(t *testing.T) {
	_, err := equivalents.ParseCatalog(chainCatalog(10001))
	require.ErrorContains(t, err, "units: invalid value: 10001 units; a catalog holds at most 10000")
	_, err = equivalents.ParseCatalog([]byte(`{"units":[{"name":"a"},{"name":"b"}],"factors":[{"from":"a","to":"b","ratio":"` + strings.Repeat("1", 1000000) + `","source":"s"}]}`))
	require.ErrorContains(t, err, "factors[0].ratio: invalid value")
	require.ErrorContains(t, err, "longer than 64 characters")
}
