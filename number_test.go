package valuepath_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
)

func TestNumber(t *testing.T) {
	n := valuepath.Defined(0.81)
	v, ok := n.Get()
	assert.True(t, ok)
	assert.Equal(t, 0.81, v)
	assert.Equal(t, "0.81", n.String())

	zero := valuepath.Defined(0)
	assert.True(t, zero.Present, "zero is a value, not an absence")

	a := valuepath.Absent("no churned account in the sample")
	_, ok = a.Get()
	assert.False(t, ok)
	assert.Equal(t, 7.0, a.Or(7))
	assert.Equal(t, "absent (no churned account in the sample)", a.String())

	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		n := valuepath.Defined(bad)
		assert.False(t, n.Present, "%v must not be present", bad)
		assert.NotEmpty(t, n.Reason)
	}
}

func TestNumberJSON(t *testing.T) {
	tests := []struct {
		n    valuepath.Number
		want string
	}{
		{valuepath.Defined(0.5), `{"value":0.5}`},
		{valuepath.Defined(0), `{"value":0}`},
		{valuepath.Absent("empty distribution"), `{"absent":"empty distribution"}`},
		{valuepath.Number{}, `{"absent":"undefined"}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.n)
		require.NoError(t, err)
		assert.Equal(t, tt.want, string(b))
		var back valuepath.Number
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, tt.n.Present, back.Present)
		assert.Equal(t, tt.n.Value, back.Value)
	}
	var back valuepath.Number
	require.Error(t, json.Unmarshal([]byte(`{"value":1,"absent":"x"}`), &back))
	require.Error(t, json.Unmarshal([]byte(`{"valeu":1}`), &back))
}
