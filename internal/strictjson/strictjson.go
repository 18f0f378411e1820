// Package strictjson is the one entry point through which the library decodes
// JSON from outside: strict, bounded, and with errors that name the JSON path.
//
// Decoding runs in two passes over the input. The first is a token pass
// (encoding/json's Decoder.Token) that walks the JSON alongside the Go type it
// is decoded into and checks what encoding/json lets through: duplicate
// names, names that differ from a field's only in case, unknown fields,
// null, nesting deeper than a limit, numbers longer than a limit, values of
// the wrong JSON kind, and values that the type's own UnmarshalJSON or
// UnmarshalText rejects — every problem with its JSON path
// ("groups[0].measures[3].wieght"), all of them at once. Syntax errors stop
// the pass and give the line and column. Only input that passes is decoded,
// by encoding/json.
//
// The rules:
//   - Input is at most [DefaultMaxBytes] unless [Options.MaxBytes] raises it.
//   - Nesting is at most [DefaultMaxDepth] levels unless [Options.MaxDepth] says otherwise.
//   - One leading UTF-8 byte-order mark is ignored (RFC 8259 allows this);
//     one anywhere else is a syntax error.
//   - null means absent, and is accepted only where absence is what the Go
//     type holds: a pointer, slice, map or interface (what encoding/json
//     writes for a nil one). null for a string, number, bool or object field
//     is an error (encoding/json would silently keep the zero), and so is a
//     null input: a model is never null.
//   - Names match a struct field's JSON name exactly; a name that differs
//     only in case is an error naming the field it resembles; any other name
//     a struct lacks is an unknown field; a name twice in one object is a
//     duplicate, in maps too.
//   - A JSON number is at most [MaxNumberLen] characters, and a decimal
//     (shopspring/decimal) at most [MaxDecimalLen] characters, string or number.
//   - Error messages quote at most [QuoteLen] bytes of an offending value.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Limits.
const (
	// DefaultMaxBytes is the input size limit when Options.MaxBytes is zero:
	// 8 MiB, far above any hand-written model and small enough that a
	// hostile upload cannot exhaust memory.
	DefaultMaxBytes = 8 << 20
	// DefaultMaxDepth is the nesting limit when Options.MaxDepth is zero.
	DefaultMaxDepth = 128
	// MaxNumberLen is the longest JSON number literal accepted.
	MaxNumberLen = 64
	// MaxDecimalLen is the longest decimal accepted, digits, sign, point and
	// exponent included; parsing cost grows faster than the length.
	MaxDecimalLen = 64
	// QuoteLen is the most bytes of a value an error message quotes.
	QuoteLen = 32
	// maxErrors is how many problems one decode reports before it stops.
	maxErrors = 50
)

// Sentinel errors, wrapped by [*Error].
var (
	ErrSyntax       = errors.New("malformed JSON")
	ErrTooLarge     = errors.New("input too large")
	ErrTooDeep      = errors.New("nested too deeply")
	ErrDuplicate    = errors.New("duplicate name")
	ErrUnknownField = errors.New("unknown field")
	ErrNull         = errors.New("null is not allowed here")
	ErrType         = errors.New("wrong JSON type")
	ErrTrailingData = errors.New("data after the JSON value")
	ErrTooLong      = errors.New("value too long")
)

// Options bound a decode. The zero value means the documented defaults.
type Options struct {
	// MaxBytes is the input size limit; zero means DefaultMaxBytes.
	MaxBytes int
	// MaxDepth is the nesting limit; zero means DefaultMaxDepth.
	MaxDepth int
}

// Error is one decoding problem: where it is and what it is.
type Error struct {
	// Path is the JSON path of the offending value ("groups[0].weight"),
	// empty for the whole input.
	Path string
	// Line and Column locate a syntax error (1-based); zero otherwise.
	Line, Column int
	// Err is the problem; it wraps one of the sentinel errors or is the
	// error of a type's own UnmarshalJSON.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	b.WriteString(limitText(e.Err.Error(), 300))
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Unmarshal decodes data into v under the default Options.
func Unmarshal(data []byte, v any) error { return Decode(data, v, Options{}) }

// Decode decodes exactly one JSON value from data into v under opts, which
// must be a non-nil pointer. Every problem the token pass finds is returned,
// joined, as *Error values; v is left untouched unless the input passes.
func Decode(data []byte, v any, opts Options) error {
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if len(data) > maxBytes {
		return &Error{Err: fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(data), maxBytes)}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &Error{Err: fmt.Errorf("%w: decode into a non-nil pointer, not %T", ErrType, v)}
	}
	p := &pass{data: data, dec: json.NewDecoder(bytes.NewReader(data)), maxDepth: opts.MaxDepth,
		structs: map[reflect.Type]*structInfo{}}
	if p.maxDepth <= 0 {
		p.maxDepth = DefaultMaxDepth
	}
	p.dec.UseNumber()
	if err := p.run(rv.Type().Elem()); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &Error{Path: te.Field, Err: fmt.Errorf("%w: want %s", ErrType, te.Type)}
		}
		return &Error{Err: err}
	}
	return nil
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	decimalType         = reflect.TypeFor[decimal.Decimal]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
)

// frame is one level of the path: an array index or an object name.
type frame struct {
	key   string
	index int
	array bool
}

type pass struct {
	data     []byte
	dec      *json.Decoder
	maxDepth int
	path     []frame
	errs     []error
	structs  map[reflect.Type]*structInfo
}

// errStop ends the pass after a syntax error or too many problems.
var errStop = errors.New("stop")

func (p *pass) run(t reflect.Type) error {
	err := p.value(t, true)
	if err == nil {
		end := int(p.dec.InputOffset())
		if _, terr := p.dec.Token(); !errors.Is(terr, io.EOF) {
			e := p.syntax(terr, ErrTrailingData).(*Error)
			rest := p.data[end:]
			e.Line, e.Column = lineCol(p.data, end+len(rest)-len(bytes.TrimLeft(rest, " \t\r\n")))
			if !errors.Is(e.Err, ErrTrailingData) {
				e.Err = fmt.Errorf("%w: %w", ErrTrailingData, e.Err)
			}
			p.errs = append(p.errs, e)
		}
	}
	return errors.Join(p.errs...)
}

// pathString renders the current path in the model's own terms.
func (p *pass) pathString() string {
	var b strings.Builder
	for i, f := range p.path {
		// A deep path keeps its first and last levels.
		if n := len(p.path); n > 24 && i >= 12 && i < n-8 {
			if i == 12 {
				fmt.Fprintf(&b, "…(%d levels)…", n-20)
			}
			continue
		}
		switch {
		case f.array:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(f.index))
			b.WriteByte(']')
		case isIdent(f.key) && len(f.key) <= QuoteLen:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		default:
			b.WriteByte('[')
			b.WriteString(quote(f.key))
			b.WriteByte(']')
		}
	}
	return b.String()
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// add records a problem at the current path; it returns errStop once there
// are too many.
func (p *pass) add(err error) error {
	p.errs = append(p.errs, &Error{Path: p.pathString(), Err: err})
	if len(p.errs) >= maxErrors {
		p.errs = append(p.errs, &Error{Err: fmt.Errorf("too many problems; stopped after %d", maxErrors)})
		return errStop
	}
	return nil
}

// syntax turns a tokenizer error into an *Error with line and column.
func (p *pass) syntax(err error, fallback error) error {
	off := int(p.dec.InputOffset())
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off = int(se.Offset)
		err = fmt.Errorf("%w: %s", ErrSyntax, se.Error())
	case err == nil || errors.Is(err, io.EOF) && fallback == ErrTrailingData:
		err = fallback
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		off = len(p.data)
		err = fmt.Errorf("%w: unexpected end of input", ErrSyntax)
	default:
		err = fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	line, col := lineCol(p.data, off)
	return &Error{Path: p.pathString(), Line: line, Column: col, Err: err}
}

func lineCol(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return line, col
}

// token reads the next token, turning failures into a syntax error.
func (p *pass) token() (json.Token, error) {
	tok, err := p.dec.Token()
	if err != nil {
		p.errs = append(p.errs, p.syntax(err, nil))
		return nil, errStop
	}
	return tok, nil
}

// value checks the next JSON value against t (nil: anything).
func (p *pass) value(t reflect.Type, top bool) error {
	start := int(p.dec.InputOffset())
	nullable := !top && (t == nil || t == rawMessageType || nilable(t.Kind()))
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType {
		t = nil // kept raw: the caller judges it
	}
	custom := t != nil && (reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType))
	tok, err := p.token()
	if err != nil {
		return err
	}
	inner := t
	if custom {
		inner = nil
	}
	if tok == nil {
		if nullable {
			return nil
		}
		if top {
			return p.add(fmt.Errorf("%w: the input is null", ErrNull))
		}
		return p.add(fmt.Errorf("%w: want %s; omit the field instead", ErrNull, kindName(t)))
	}
	if err := p.walk(tok, inner); err != nil {
		return err
	}
	if !custom || tok == nil {
		return nil
	}
	raw := bytes.TrimLeft(p.data[start:int(p.dec.InputOffset())], " \t\r\n:,")
	return p.custom(t, tok, raw)
}

// walk checks the value that starts with tok.
func (p *pass) walk(tok json.Token, t reflect.Type) error {
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '{' {
			return p.object(t)
		}
		return p.array(t)
	case string:
		if t != nil && t.Kind() != reflect.String && t.Kind() != reflect.Interface && !isBytes(t) {
			return p.add(fmt.Errorf("%w: want %s, got the string %s", ErrType, kindName(t), quote(tok)))
		}
	case bool:
		if t != nil && t.Kind() != reflect.Bool && t.Kind() != reflect.Interface {
			return p.add(fmt.Errorf("%w: want %s, got %t", ErrType, kindName(t), tok))
		}
	case json.Number:
		return p.number(tok, t)
	}
	return nil
}

func (p *pass) number(n json.Number, t reflect.Type) error {
	s := string(n)
	if len(s) > MaxNumberLen {
		return p.add(fmt.Errorf("%w: a number of %d characters (%s); the limit is %d", ErrTooLong, len(s), quote(s), MaxNumberLen))
	}
	if t == nil {
		return nil
	}
	var err error
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		_, err = strconv.ParseInt(s, 10, t.Bits())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		_, err = strconv.ParseUint(s, 10, t.Bits())
	case reflect.Float32, reflect.Float64:
		_, err = strconv.ParseFloat(s, t.Bits())
	case reflect.Interface:
	default:
		return p.add(fmt.Errorf("%w: want %s, got the number %s", ErrType, kindName(t), quote(s)))
	}
	if err != nil {
		return p.add(fmt.Errorf("%w: %s is not a %s in range", ErrType, quote(s), kindName(t)))
	}
	return nil
}

// custom runs a type's own UnmarshalJSON or UnmarshalText on the raw value,
// so that its complaint carries the path.
func (p *pass) custom(t reflect.Type, tok json.Token, raw []byte) error {
	if t == decimalType && len(raw) > MaxDecimalLen+2 {
		return p.add(fmt.Errorf("%w: a decimal of %d characters (%s); the limit is %d", ErrTooLong, len(raw), quote(string(raw)), MaxDecimalLen))
	}
	dst := reflect.New(t).Interface()
	var err error
	if u, ok := dst.(json.Unmarshaler); ok {
		err = u.UnmarshalJSON(raw)
	} else {
		s, isStr := tok.(string)
		if !isStr {
			return p.add(fmt.Errorf("%w: want a string", ErrType))
		}
		err = dst.(encoding.TextUnmarshaler).UnmarshalText([]byte(s))
	}
	if err == nil {
		return nil
	}
	// A nested strict decode (Money, Number, Series) reports paths of its
	// own: put ours in front.
	if nested := flatten(err); len(nested) > 0 && allErrors(nested) {
		base := p.pathString()
		for _, e := range nested {
			var se *Error
			errors.As(e, &se)
			c := *se
			c.Path = joinPath(base, se.Path)
			c.Line, c.Column = 0, 0
			p.errs = append(p.errs, &c)
		}
		if len(p.errs) >= maxErrors {
			return errStop
		}
		return nil
	}
	return p.add(err)
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func allErrors(errs []error) bool {
	for _, e := range errs {
		var se *Error
		if !errors.As(e, &se) {
			return false
		}
	}
	return true
}

func joinPath(base, sub string) string {
	switch {
	case base == "":
		return sub
	case sub == "":
		return base
	case sub[0] == '[':
		return base + sub
	}
	return base + "." + sub
}

func (p *pass) enter() error {
	if len(p.path) >= p.maxDepth {
		p.errs = append(p.errs, &Error{Path: p.pathString(), Err: fmt.Errorf("%w: more than %d levels", ErrTooDeep, p.maxDepth)})
		return errStop
	}
	return nil
}

func (p *pass) object(t reflect.Type) error {
	if err := p.enter(); err != nil {
		return err
	}
	var si *structInfo
	var elem reflect.Type
	if t != nil {
		switch t.Kind() {
		case reflect.Struct:
			si = p.structInfo(t)
		case reflect.Map:
			elem = t.Elem()
		case reflect.Interface:
		default:
			if err := p.add(fmt.Errorf("%w: want %s, got an object", ErrType, kindName(t))); err != nil {
				return err
			}
			t = nil
		}
	}
	seen := map[string]struct{}{}
	p.path = append(p.path, frame{})
	defer func() { p.path = p.path[:len(p.path)-1] }()
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		if tok == json.Delim('}') {
			return nil
		}
		key := tok.(string) // the tokenizer allows only names here
		p.path[len(p.path)-1] = frame{key: key}
		if _, dup := seen[key]; dup {
			if err := p.add(fmt.Errorf("%w: %s appears more than once", ErrDuplicate, quote(key))); err != nil {
				return err
			}
		}
		seen[key] = struct{}{}
		ft := elem
		if si != nil {
			f, ok := si.fields[key]
			switch {
			case ok:
				ft = f
			default:
				msg := fmt.Errorf("%w", ErrUnknownField)
				if exact, ok := si.folded[strings.ToLower(key)]; ok {
					msg = fmt.Errorf("%w: names are case-sensitive; did you mean %q?", ErrUnknownField, exact)
				}
				if err := p.add(msg); err != nil {
					return err
				}
			}
		}
		if err := p.value(ft, false); err != nil {
			return err
		}
	}
}

func (p *pass) array(t reflect.Type) error {
	if err := p.enter(); err != nil {
		return err
	}
	var elem reflect.Type
	if t != nil {
		switch t.Kind() {
		case reflect.Slice, reflect.Array:
			elem = t.Elem()
		case reflect.Interface:
		default:
			if err := p.add(fmt.Errorf("%w: want %s, got an array", ErrType, kindName(t))); err != nil {
				return err
			}
		}
	}
	p.path = append(p.path, frame{array: true, index: -1})
	defer func() { p.path = p.path[:len(p.path)-1] }()
	for {
		if !p.dec.More() {
			_, err := p.token() // the closing bracket, or the syntax error
			return err
		}
		p.path[len(p.path)-1].index++
		if err := p.value(elem, false); err != nil {
			return err
		}
	}
}

func nilable(k reflect.Kind) bool {
	return k == reflect.Pointer || k == reflect.Slice || k == reflect.Map || k == reflect.Interface
}

func isBytes(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "a whole number"
	}
	return t.String()
}

// structInfo is what the pass knows about a struct: its fields' exact JSON
// names and, for near misses, their lower-case forms.
type structInfo struct {
	fields map[string]reflect.Type
	folded map[string]string
}

func (p *pass) structInfo(t reflect.Type) *structInfo {
	if si, ok := p.structs[t]; ok {
		return si
	}
	si := &structInfo{fields: map[string]reflect.Type{}, folded: map[string]string{}}
	depthOf := map[string]int{}
	ambiguous := map[string]bool{}
	collectFields(t, 0, si.fields, depthOf, ambiguous, map[reflect.Type]bool{})
	for name := range ambiguous {
		delete(si.fields, name)
	}
	for name := range si.fields {
		si.folded[strings.ToLower(name)] = name
	}
	p.structs[t] = si
	return si
}

// collectFields gathers t's JSON fields as encoding/json sees them: embedded
// structs' fields promoted, shallower names winning, equal depths ambiguous.
func collectFields(t reflect.Type, depth int, out map[string]reflect.Type, depthOf map[string]int, ambiguous map[string]bool, visiting map[reflect.Type]bool) {
	if visiting[t] {
		return
	}
	visiting[t] = true
	defer delete(visiting, t)
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				collectFields(et, depth+1, out, depthOf, ambiguous, visiting)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if strings.Contains(opts, "string") {
			ft = nil // a quoted scalar: let encoding/json judge it
		}
		if d, ok := depthOf[name]; ok {
			switch {
			case d < depth:
				continue
			case d == depth:
				ambiguous[name] = true
				continue
			}
		}
		depthOf[name] = depth
		delete(ambiguous, name)
		out[name] = ft
	}
}

// quote quotes at most QuoteLen bytes of s.
func quote(s string) string {
	if len(s) <= QuoteLen {
		return strconv.Quote(s)
	}
	cut := QuoteLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf("… (%d bytes)", len(s))
}

// limitText shortens an error text that would otherwise echo a whole input.
func limitText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes in all)", len(s))
}
