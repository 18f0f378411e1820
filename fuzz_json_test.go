package valuepath_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
)

// FuzzJSON feeds any input to the strict decoder behind every loader and to
// the Series, EventLog and Money readers: an error, or a value that writes
// JSON they read back.
func FuzzJSON(f *testing.F) {
	f.Add([]byte(`[{"at":"2026-01-01T00:00:00Z","value":1.5}]`))
	f.Add([]byte(`[{"at":"2026-01-01T00:00:00Z","kind":"login","attrs":{"k":"v"}}]`))
	f.Add([]byte(`{"amount":"12.50","currency":"eur"}`))
	f.Add([]byte("\uFEFF[{\"at\":\"2026-01-01T00:00:00Z\",\"value\":1,\"value\":2}]"))
	f.Add([]byte(`{"Amount":"1","currency":"USD","amount":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s valuepath.Series
		if json.Unmarshal(data, &s) == nil {
			js, err := json.Marshal(s)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(js, &s), "%s", js)
		}
		var l valuepath.EventLog
		if json.Unmarshal(data, &l) == nil {
			js, err := json.Marshal(l)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(js, &l), "%s", js)
		}
		var m valuepath.Money
		if json.Unmarshal(data, &m) == nil {
			js, err := json.Marshal(m)
			require.NoError(t, err)
			var back valuepath.Money
			require.NoError(t, json.Unmarshal(js, &back), "%s", js)
			c, err := back.Cmp(m)
			require.NoError(t, err)
			require.Zero(t, c, "%s", js)
		}
		var anything any
		_ = valuepath.DecodeJSON(data, &anything, valuepath.JSONOptions{})
	})
}
