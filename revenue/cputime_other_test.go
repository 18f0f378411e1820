//go:build !unix

package revenue_test

import "time"

// cpuTime is not measured here.
func cpuTime() time.Duration { return 0 }
