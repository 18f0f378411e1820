package valuepathtest_test

import (
	"fmt"

	"github.com/valuepath/valuepath/valuepathtest"
)

// A host's test calls valuepathtest.TestProvider(t, load) with a loader of
// its own store (see TestMemoryProvider in this package's tests); each rule
// below is then a subtest of that name.
func ExampleRules() {
	for _, r := range valuepathtest.Rules() {
		fmt.Println(r.Name)
	}
	// Output:
	// series
	// window-start
	// window-end
	// empty-window
	// no-samples
	// unknown-account
	// unknown-metric
	// events
	// not-finite
	// context
	// concurrent
}
