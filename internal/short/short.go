// Package short quotes inputs for error messages, cut to a short prefix, so
// that an error never echoes a large input back to a log or a response.
package short

import "strconv"

// Max is how many bytes of an input Quote keeps.
const Max = 32

// Quote returns s quoted as by strconv.Quote, cut to its first Max bytes
// with "…" after the closing quote when it was longer.
func Quote[S ~string](s S) string {
	if len(s) <= Max {
		return strconv.Quote(string(s))
	}
	return strconv.Quote(string(s[:Max])) + "…"
}
