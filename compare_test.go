package valuepath_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
)

func TestComparisonHolds(t *testing.T) {
	tests := []struct {
		c          valuepath.Comparison
		lt, eq, gt bool // v below, at and above the threshold
	}{
		{valuepath.Below, true, false, false},
		{valuepath.AtMost, true, true, false},
		{valuepath.Above, false, false, true},
		{valuepath.AtLeast, false, true, true},
		{valuepath.Equal, false, true, false},
		{valuepath.NotEqual, true, false, true},
		{"=>", false, false, false},
		{"", false, false, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.lt, tt.c.Holds(1, 2), "1 %s 2", tt.c)
		assert.Equal(t, tt.eq, tt.c.Holds(2, 2), "2 %s 2", tt.c)
		assert.Equal(t, tt.gt, tt.c.Holds(3, 2), "3 %s 2", tt.c)
		assert.Equal(t, tt.lt || tt.eq || tt.gt, tt.c.Valid(), "%q.Valid()", tt.c)
	}
}

func TestParseComparison(t *testing.T) {
	for _, s := range []string{"<", "<=", ">", ">=", "==", "!="} {
		c, err := valuepath.ParseComparison(s)
		require.NoError(t, err)
		assert.Equal(t, s, c.String())
	}
	for _, s := range []string{"", "=", "=>", "ge", ">= "} {
		_, err := valuepath.ParseComparison(s)
		require.ErrorIs(t, err, valuepath.ErrInvalid, "%q", s)
	}
}

func TestComparisonJSONIsTheOperator(t *testing.T) {
	var v struct {
		Op valuepath.Comparison `json:"op"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"op":">="}`), &v))
	assert.Equal(t, valuepath.AtLeast, v.Op)
}

func TestDirection(t *testing.T) {
	var zero valuepath.Direction
	assert.True(t, zero.Valid())
	assert.Equal(t, 1.0, zero.Sign(), "the zero Direction is HigherIsBetter")
	assert.True(t, valuepath.HigherIsBetter.Better(2, 1))
	assert.False(t, valuepath.HigherIsBetter.Better(1, 1))
	assert.True(t, valuepath.LowerIsBetter.Better(1, 2))
	assert.Equal(t, -1.0, valuepath.LowerIsBetter.Sign())
	assert.False(t, valuepath.Direction("up").Valid())
}

func TestMust(t *testing.T) {
	s := valuepath.Must(valuepath.NewSchema("a", "b"))
	assert.Equal(t, 2, s.Len())
	assert.Panics(t, func() { valuepath.Must(valuepath.NewSchema("a", "a")) })
}
