package strictjson

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type measure struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
	Count  int8    `json:"count,omitempty"`
}

type group struct {
	Measures []measure         `json:"measures"`
	Tags     map[string]string `json:"tags,omitempty"`
	Amount   decimal.Decimal   `json:"amount,omitempty"`
}

type model struct {
	Name   string  `json:"name"`
	Groups []group `json:"groups"`
}

type embedded struct {
	model
	Name int `json:"name"` // shadows model.Name
}

func TestDecodeAccepts(t *testing.T) {
	var m model
	in := "\uFEFF" + `{"name":"a","groups":[{"measures":[{"name":"x","weight":0.5}],"tags":{"k":"v"},"amount":"1.5"}]}`
	require.NoError(t, Unmarshal([]byte(in), &m))
	assert.Equal(t, "a", m.Name)
	assert.Equal(t, 0.5, m.Groups[0].Measures[0].Weight)
	assert.Equal(t, "1.5", m.Groups[0].Amount.String())

	m = model{}
	require.NoError(t, Unmarshal([]byte(`{"name":"a","groups":null}`), &m), "null for a slice is absent")
	assert.Nil(t, m.Groups)

	var e embedded
	require.NoError(t, Unmarshal([]byte(`{"name":3,"groups":[]}`), &e))
	assert.Equal(t, 3, e.Name)
}

func TestDecodeRejects(t *testing.T) {
	long := strings.Repeat("9", 200)
	tests := []struct {
		name, in string
		want     error
		msg      string
	}{
		{"unknown field", `{"name":"a","groups":[{"measures":[{},{},{},{"wieght":1}]}]}`, ErrUnknownField, `groups[0].measures[3].wieght: unknown field`},
		{"case variant", `{"NAME":"a"}`, ErrUnknownField, `NAME: unknown field: names are case-sensitive; did you mean "name"?`},
		{"duplicate", `{"name":"a","name":"b"}`, ErrDuplicate, `name: duplicate name: "name" appears more than once`},
		{"duplicate map key", `{"groups":[{"tags":{"k":"1","k":"2"}}]}`, ErrDuplicate, `groups[0].tags.k: duplicate name`},
		{"null top", `null`, ErrNull, `null is not allowed here: the input is null`},
		{"null field", `{"name":null}`, ErrNull, `name: null is not allowed here: want a string; omit the field instead`},
		{"null in array", `{"groups":[null]}`, ErrNull, `groups[0]: null is not allowed here: want an object`},
		{"null decimal", `{"groups":[{"amount":null}]}`, ErrNull, `groups[0].amount: null`},
		{"type", `{"name":3}`, ErrType, `name: wrong JSON type: want a string, got the number "3"`},
		{"type array", `{"groups":{}}`, ErrType, `groups: wrong JSON type: want an array, got an object`},
		{"int range", `{"groups":[{"measures":[{"count":300}]}]}`, ErrType, `groups[0].measures[0].count:`},
		{"long number", `{"groups":[{"measures":[{"weight":` + long + `}]}]}`, ErrTooLong, `a number of 200 characters ("99999999999999999999999999999999"… (200 bytes))`},
		{"long decimal", `{"groups":[{"amount":"` + long + `"}]}`, ErrTooLong, `groups[0].amount: value too long: a decimal of 202 characters`},
		{"bad decimal", `{"groups":[{"amount":"x"}]}`, nil, `groups[0].amount: `},
		{"trailing comma", "{\"name\":\"a\",\n\"groups\":[1,]}", ErrSyntax, `line 2, column 13: malformed JSON`},
		{"truncated", `{"name":`, ErrSyntax, `line 1, column 9: malformed JSON: unexpected end of input`},
		{"empty", ``, ErrSyntax, `malformed JSON`},
		{"trailing", `{"name":"a"} {}`, ErrTrailingData, `data after the JSON value`},
		{"trailing bracket", `{"name":"a"}}`, ErrTrailingData, `line 1, column 13`},
		{"inner BOM", "{\"name\":\"a\"}\uFEFF", ErrTrailingData, ``},
		{"deep", strings.Repeat("[", 100000), ErrTooDeep, `more than 128 levels`},
		{"large", `"` + strings.Repeat("a", DefaultMaxBytes) + `"`, ErrTooLarge, `the limit is 8388608`},
		{"long name quoted short", `{"` + strings.Repeat("x", 1000) + `":1,"` + strings.Repeat("x", 1000) + `":1}`, ErrDuplicate, `(1000 bytes) appears more than once`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := model{Name: "untouched"}
			err := Unmarshal([]byte(tt.in), &m)
			require.Error(t, err)
			if tt.want != nil {
				require.ErrorIs(t, err, tt.want)
			}
			assert.Contains(t, err.Error(), tt.msg)
			assert.Less(t, len(err.Error()), 2000)
			assert.Equal(t, "untouched", m.Name)
		})
	}
}

func TestDecodeReportsEveryProblem(t *testing.T) {
	err := Unmarshal([]byte(`{"nmae":"a","groups":[{"measures":[{"weight":"x"},{"Name":"y"}]}],"groups":[]}`), &model{})
	require.Error(t, err)
	for _, want := range []string{"nmae: unknown field", "groups[0].measures[0].weight: wrong JSON type", `groups[0].measures[1].Name: unknown field: names are case-sensitive; did you mean "name"?`, "groups: duplicate name"} {
		assert.Contains(t, err.Error(), want)
	}
	var se *Error
	require.True(t, errors.As(err, &se))
}

func TestDecodeOptions(t *testing.T) {
	in := []byte(`{"name":"abcdef"}`)
	require.ErrorIs(t, Decode(in, &model{}, Options{MaxBytes: 10}), ErrTooLarge)
	require.NoError(t, Decode(in, &model{}, Options{MaxBytes: 100}))
	require.ErrorIs(t, Decode([]byte(`[[[1]]]`), new(any), Options{MaxDepth: 2}), ErrTooDeep)
	require.NoError(t, Decode([]byte(`[[[1]]]`), new(any), Options{MaxDepth: 3}))
	deep := strings.Repeat("[", 200)
	err := Unmarshal([]byte(deep), new(any))
	require.ErrorIs(t, err, ErrTooDeep)
	assert.Contains(t, err.Error(), "[0][0]…(108 levels)…[0]", "a deep path is abbreviated")
	require.Error(t, Decode(in, model{}, Options{}))
}

func TestNestedPaths(t *testing.T) {
	type inner struct {
		A int `json:"a"`
	}
	type outer struct {
		M wrapped `json:"m"`
	}
	err := Unmarshal([]byte(`{"m":{"b":1}}`), &outer{})
	require.ErrorIs(t, err, ErrUnknownField)
	assert.Contains(t, err.Error(), "m.b: unknown field")
	_ = inner{}
}

// wrapped decodes itself strictly, like valuepath.Money does.
type wrapped struct{ A int }

func (w *wrapped) UnmarshalJSON(b []byte) error {
	var v struct {
		A int `json:"a"`
	}
	if err := Unmarshal(b, &v); err != nil {
		return err
	}
	w.A = v.A
	return nil
}
