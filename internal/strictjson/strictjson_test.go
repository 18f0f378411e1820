package strictjson

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestUnmarshal(t *testing.T) {
	type spec struct {
		Name string `json:"name"`
	}
	tests := []struct {
		in      string
		want    string
		wantErr error // nil: any error; checked only when wantBad
		wantBad bool
	}{
		{in: `{"name":"a"}`, want: "a"},
		{in: " {\"name\":\"a\"}\n\t", want: "a"},
		{in: `{"name":"a"} {}`, wantBad: true, wantErr: ErrTrailingData},
		{in: `{"name":"a"} ]`, wantBad: true, wantErr: ErrTrailingData},
		{in: `{"name":"a"}}`, wantBad: true, wantErr: ErrTrailingData},
		{in: `{"name":"a","colour":"red"}`, wantBad: true},
		{in: `{"name":`, wantBad: true},
		{in: ``, wantBad: true},
	}
	for _, tt := range tests {
		var got spec
		err := Unmarshal([]byte(tt.in), &got)
		if tt.wantBad {
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Errorf("Unmarshal(%q) err = %v, want %v", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.Name != tt.want {
			t.Errorf("Unmarshal(%q) = %+v, %v; want name %q", tt.in, got, err, tt.want)
		}
	}
	var te *json.UnmarshalTypeError
	if err := Unmarshal([]byte(`{"name": 3}`), &spec{}); !errors.As(err, &te) || te.Field != "name" {
		t.Errorf("type error not passed through: %v", err)
	}
}
