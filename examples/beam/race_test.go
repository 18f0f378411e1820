//go:build race

package main

// The race detector slows Prism's in-process workers several times over,
// so the parity test runs on a smaller demo base under -race; it still
// compares every output.
func init() { parityAccounts = 100 }
