//go:build race

package gen_test

// raceEnabled skips the full-size test, which takes half a minute under
// the race detector and checks nothing the smaller ones do not.
const raceEnabled = true
