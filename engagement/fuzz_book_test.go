package engagement_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath/engagement"
)

// FuzzParseCatalog checks that any input is an error or a catalog of
// engagement models that writes JSON its loader reads back.
func FuzzParseCatalog(f *testing.F) {
	f.Add([]byte("[" + exampleModel + "]"))
	f.Add([]byte(`[{"segment":"smb","moments":[]},{"segment":"smb","moments":[]}]`))
	f.Add([]byte(`[{"segment":"smb","Moments":[]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := engagement.ParseCatalog(data)
		if err != nil {
			return
		}
		js, err := json.Marshal(c)
		require.NoError(t, err)
		_, err = engagement.ParseCatalog(js)
		require.NoError(t, err, "%s", js)
	})
}
