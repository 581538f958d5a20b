package contracts_test

import (
	"bytes"
	"errors"
	"os"
	"path"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/invgen/invgen/contracts"
)

// FuzzProjectFile: whatever invgen.yml holds, Load returns an estate or
// diagnostics, never both and never a panic, and every diagnostic points at
// a line and column of invgen.yml that exists. The contracts beside it are
// fixed and valid (the retail example's and the end-to-end cases'), so
// every source a check pair may name is there and only invgen.yml can be
// at fault. Seeds are every invgen.yml those examples hold, plus the
// corpus under testdata/fuzz/FuzzProjectFile.
func FuzzProjectFile(f *testing.F) {
	estate := fstest.MapFS{}
	addFiles(f, estate, "../examples/retail/*.yml", "../testdata/e2e/build-valid/input/*.yml")
	delete(estate, contracts.ProjectFile)

	seeds, err := filepath.Glob("../testdata/e2e/*/input/" + contracts.ProjectFile)
	if err != nil {
		f.Fatal(err)
	}
	seeds = append(seeds, "../examples/retail/"+contracts.ProjectFile)
	for _, name := range seeds {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}

	const dir = "estate"
	file := path.Join(dir, contracts.ProjectFile)
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{contracts.ProjectFile: {Data: data}}
		for name, c := range estate {
			fsys[name] = c
		}
		e, err := contracts.Load(fsys, dir)
		if err == nil {
			if e == nil {
				t.Fatal("neither an estate nor an error")
			}
			return
		}
		if e != nil {
			t.Fatal("an estate and an error")
		}
		var ds contracts.Diagnostics
		if !errors.As(err, &ds) || len(ds) == 0 {
			t.Fatalf("not diagnostics: %v", err)
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, d := range ds {
			if d.Pos.File != file || d.Msg == "" {
				t.Fatalf("not a diagnostic of %s: %q", file, d.Error())
			}
			if d.Pos.Line < 1 || d.Pos.Line > lines || d.Pos.Col < 1 {
				t.Fatalf("diagnostic without a position in %d lines: %q", lines, d.Error())
			}
		}
	})
}

// addFiles puts the files the patterns match into fsys, by base name.
func addFiles(f *testing.F, fsys fstest.MapFS, patterns ...string) {
	f.Helper()
	for _, pattern := range patterns {
		names, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		if len(names) == 0 {
			f.Fatalf("%s matches no file", pattern)
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			fsys[filepath.Base(name)] = &fstest.MapFile{Data: data}
		}
	}
}
