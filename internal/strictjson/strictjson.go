// Package strictjson decodes the JSON that models are loaded from, strictly:
// one value, no unknown fields, nothing after it.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// ErrTrailingData reports data after the one JSON value expected.
var ErrTrailingData = errors.New("data after the JSON value")

// Unmarshal decodes exactly one JSON value from data into v. Fields of v's
// structs that the JSON names but v lacks are errors, as is anything but
// white space after the value — including a stray closing bracket, which
// json.Decoder.More would let through. Decoding errors are returned as
// encoding/json makes them, so callers can inspect them with errors.As.
func Unmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return ErrTrailingData
	}
	return nil
}
