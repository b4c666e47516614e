//go:build !race

package sqlstore

// raceEnabled: the race detector slows the pure-Go SQLite some 25 times.
const raceEnabled = false
