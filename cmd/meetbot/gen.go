package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"meetbot/gen"
)

// runGen: meetbot gen [--db PATH] [--units N] [--meetings N] [--directives N] [--seed N]
// fills a database with synthetic, deterministic data for benchmarks.
func runGen(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file (default: DATABASE_PATH)")
	units := fs.Int("units", 3500, "number of units")
	meetings := fs.Int("meetings", 10000, "number of meetings")
	directives := fs.Int("directives", 100000, "number of directives")
	seed := fs.Uint64("seed", 1, "seed: the same seed gives the same data")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	a, err := openApp(ctx, *dbPath, nil, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	ds := gen.Dataset(gen.Options{Units: *units, Meetings: *meetings, Directives: *directives, Seed: *seed, Now: a.now(), Loc: a.loc})
	generated := time.Since(start)
	res, err := a.store.Import(ctx, ds, importActor)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated in %s, imported in %s\n", generated.Round(time.Millisecond), (time.Since(start) - generated).Round(time.Millisecond))
	printImport(stdout, res)
	return nil
}
