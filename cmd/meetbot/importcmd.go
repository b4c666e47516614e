package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"meetbot/importer"
	"meetbot/store"
)

// runImport: meetbot import [--db PATH] FILE... Files are Excel
// workbooks (.xlsx), CSV files of directives (.csv) or YAML (.yaml). Each
// file is one transaction: a file with any error changes nothing, and
// every error is listed with its line (YAML) or its sheet, row and column
// (Excel, CSV).
func runImport(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file (default: DATABASE_PATH)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: meetbot import [--db PATH] FILE...\n\nFILE is an Excel workbook (.xlsx) in the layout of the template (/template in the bot),\na CSV file (.csv) with the columns of its directives sheet, or a YAML file (.yaml);\nsee README.md (Data schema).")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	a, err := openApp(ctx, *dbPath, nil, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	failed := 0
	for _, path := range fs.Args() {
		f, err := importer.ParseFile(path, a.loc)
		if err == nil {
			var res store.ImportResult
			if res, err = a.store.Import(ctx, f.Dataset, importActor); err == nil {
				fmt.Fprintf(stdout, "%s: imported\n", path)
				printImport(stdout, res)
				continue
			}
			err = f.Locate(err)
		}
		failed++
		fmt.Fprintf(stdout, "%s: nothing imported\n", path)
		var es importer.Errors
		if errors.As(err, &es) {
			for _, e := range es {
				fmt.Fprintf(stdout, "  %s\n", e.Error())
			}
			continue
		}
		if es, ok := store.ImportErrorsOf(err); ok {
			for _, e := range es {
				fmt.Fprintf(stdout, "  %s\n", e.Error())
			}
			continue
		}
		fmt.Fprintf(stdout, "  %v\n", err)
	}
	if failed > 0 {
		return errors.New(fmt.Sprint(failed, " file(s) had errors"))
	}
	return nil
}
