//go:build race

package main

// raceEnabled: the browser tests skip under the race detector in CI, where
// the plain run has already run them; their work is in the browser.
const raceEnabled = true
