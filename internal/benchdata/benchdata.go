// Package benchdata prepares the large databases that benchmarks read.
// Generating and importing 100,000 directives takes about a minute, so a
// database is built once per machine into the system temp directory,
// named after the generator options and the schema, and reused by later
// runs. Benchmarks must only read from it.
package benchdata

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"meetbot/gen"
	"meetbot/store"
	"meetbot/store/sqlstore"
)

// Scale is the size the project's targets are stated for.
var Scale = gen.Options{Units: 3500, Meetings: 10000, Directives: 100000, Seed: 1, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}

// Path returns the path of a database holding gen.Dataset(opts), building
// it if this machine has none yet.
func Path(tb testing.TB, opts gen.Options, loc *time.Location) string {
	tb.Helper()
	sum := sha256.Sum256(fmt.Appendf(nil, "%+v|%s|schema=%s", opts, loc, sqlstore.SchemaID()))
	path := filepath.Join(os.TempDir(), "meetbot-bench-"+hex.EncodeToString(sum[:8])+".db")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tb.Logf("benchdata: building %s (%d directives), about a minute, once per machine", path, opts.Directives)
	start := time.Now()
	tmp := path + fmt.Sprintf(".%d.tmp", os.Getpid())
	defer os.Remove(tmp)
	s, err := sqlstore.Open(context.Background(), tmp, sqlstore.Options{Location: loc, Now: func() time.Time { return opts.Now }})
	if err != nil {
		tb.Fatal(err)
	}
	opts.Loc = loc
	if _, err := s.Import(context.Background(), gen.Dataset(opts), store.Actor{Name: "benchdata"}); err != nil {
		tb.Fatal(err)
	}
	if err := s.Checkpoint(context.Background()); err != nil {
		tb.Fatal(err)
	}
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("benchdata: built in %s", time.Since(start).Round(time.Second))
	return path
}
