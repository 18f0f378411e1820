package segment_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath/segment"
)

// FuzzParseOwnership checks that any input is an error or an ownership
// policy that writes JSON its loader reads back.
func FuzzParseOwnership(f *testing.F) {
	f.Add([]byte(`{"currency": "USD", "rates": {"eur": "1.1"}, "service_threshold": 0.6, "bands": [{"name": "big", "from": {"amount": "100000", "currency": "USD"}, "shift": 0.2}]}`))
	f.Add([]byte(`{"currency": "usd", "rates": {"EUR": "1.1", "EUR": "2"}}`))
	f.Add([]byte(`{"currency": "USD", "bands": [{"name": "x", "from": {"amount": "1", "currency": "usdx"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := segment.ParseOwnership(data)
		if err != nil {
			return
		}
		js, err := json.Marshal(o)
		require.NoError(t, err)
		_, err = segment.ParseOwnership(js)
		require.NoError(t, err, "%s", js)
	})
}
