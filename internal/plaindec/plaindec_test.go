package plaindec_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/valuepath/valuepath/internal/plaindec"
)

func TestParse(t *testing.T) {
	for _, s := range []string{"0", "1234.50", "-3", "+7", ".5", "5.", "-0.125", strings.Repeat("9", plaindec.MaxLen)} {
		d, ok := plaindec.Parse(s)
		assert.True(t, ok, "%q", s)
		assert.True(t, d.Equal(decimal.RequireFromString(s)), "%q", s)
	}
	for _, s := range []string{"", "-", "+", ".", "1e5", "1.2.3", "NaN", "Inf", " 1", "1 ", "--1", "1-", "0x10", strings.Repeat("9", plaindec.MaxLen+1)} {
		_, ok := plaindec.Parse(s)
		assert.False(t, ok, "%q", s)
	}
}
