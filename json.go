package valuepath

import "github.com/valuepath/valuepath/internal/strictjson"

// DefaultMaxJSONBytes is the input size limit of every loader and of
// [DecodeJSON] when [JSONOptions.MaxBytes] is zero: 8 MiB.
const DefaultMaxJSONBytes = strictjson.DefaultMaxBytes

// JSONOptions bound [DecodeJSON]. The zero value means the defaults every
// Parse function uses.
type JSONOptions struct {
	// MaxBytes is the input size limit; zero means DefaultMaxJSONBytes.
	MaxBytes int
	// MaxDepth is the nesting limit; zero means 128 levels.
	MaxDepth int
}

// DecodeJSON decodes exactly one JSON value from data into v (a non-nil
// pointer) by the rules every Parse function of the SDK follows, so that a
// host's request bodies and a model too large for the default limit are
// read the same way (decode a spec with a higher MaxBytes, then call its
// New function):
//
//   - names match a field's JSON name exactly: an unknown name, a name that
//     differs from a field's only in case, and a name twice in one object
//     (maps included) are errors;
//   - null stands for an absent pointer, slice, map or interface and is an
//     error anywhere else, a null input included;
//   - one leading UTF-8 byte-order mark is ignored;
//   - input over the size limit, nesting over the depth limit, a number
//     literal over 64 characters and a decimal over 64 characters are errors;
//   - nothing but white space may follow the value.
//
// Every problem is reported, joined, with its JSON path
// ("groups[0].measures[3].wieght: unknown field"); a syntax error gives its
// line and column; a message quotes at most 32 bytes of a value. v is left
// untouched unless the input passes.
func DecodeJSON(data []byte, v any, opts JSONOptions) error {
	return strictjson.Decode(data, v, strictjson.Options{MaxBytes: opts.MaxBytes, MaxDepth: opts.MaxDepth})
}

// JSONError is one problem [DecodeJSON] and every Parse function report:
// the JSON path of the offending value (empty for the whole input), the
// line and column of a syntax error (zero otherwise), and what is wrong.
// Several problems come joined ([errors.Join]); find the first with
// [errors.As].
type JSONError = strictjson.Error
