package equivalents

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/valuepath/valuepath"
)

// ParseCatalog reads a catalog from JSON, the form [Catalog.MarshalJSON]
// writes, and validates it with [NewCatalog]. Unknown fields are rejected,
// so a misspelt "sorce" is an error rather than a factor without a source.
// Ratios and amounts may be JSON numbers or strings ("0.000709"); strings
// avoid any float rounding by other tools.
//
//	{"units": [{"name": "hour", "time": "1h"}, {"name": "minute", "time": "1m"}],
//	 "factors": [{"from": "hour", "to": "minute", "ratio": "60", "source": "ISO 80000-3:2019"}]}
func ParseCatalog(data []byte) (*Catalog, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Spec
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("equivalents: catalog json: %w: %v", valuepath.ErrInvalid, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("equivalents: catalog json: %w: data after the catalog", valuepath.ErrInvalid)
	}
	return NewCatalog(s)
}

// MarshalJSON writes the catalog's Spec, which [ParseCatalog] reads back
// into an equal catalog. Decimals are written as strings, so no digit of a
// published ratio is lost to a reader's floats.
func (c *Catalog) MarshalJSON() ([]byte, error) { return json.Marshal(c.spec) }
