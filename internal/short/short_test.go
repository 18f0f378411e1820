package short_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/valuepath/valuepath/internal/short"
)

func TestQuote(t *testing.T) {
	assert.Equal(t, `"usd"`, short.Quote("usd"))
	assert.Equal(t, `""`, short.Quote(""))
	long := strings.Repeat("x", 10_000)
	assert.Equal(t, `"`+strings.Repeat("x", short.Max)+`"…`, short.Quote(long))
	type code string
	assert.Equal(t, `"a\nb"`, short.Quote(code("a\nb")))
}
