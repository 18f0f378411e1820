//go:build race

package sqlprovider

// testAccounts is the size of the demo base the tests load. The race
// detector slows the pure-Go SQLite engine about twentyfold, so under it the
// tests load a smaller base (with series as long).
const testAccounts = 8
