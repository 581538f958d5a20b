package contracts_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/invgen/invgen/contracts"
)

// FuzzParseContract: whatever the bytes, ParseContract returns a contract
// or diagnostics, never both and never a panic, and every diagnostic points
// at a line and column of the file.
func FuzzParseContract(f *testing.F) {
	files, err := filepath.Glob("../examples/retail/*.yml")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range []string{
		movesYAML, stockYAML, totalsYAML, convYAML,
		"", "~", "---\n---\n", "source: [\n", "\tsource: x\n", "[a]: b\n",
		"k: &k source\n*k : x\n", "columns: &c [*c]\n", "source: *nope\n",
		"columns: [{name: a, values: {? [x] : y}}]\n",
		"semantics: {idempotency_key: [a, a]}\ncolumns: [{name: a}]\n",
		"delivery: {freshness_sla: 99999999999999999999d}\n",
		"columns: [{type: \"decimal(99999999999999999999,1)\"}]\n",
		"source: x\n---\nsource: y\n",
	} {
		f.Add([]byte(seed))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := contracts.ParseContract("f.yml", data)
		if err == nil {
			if c == nil {
				t.Fatal("neither a contract nor an error")
			}
			return
		}
		if c != nil {
			t.Fatal("a contract and an error")
		}
		var ds contracts.Diagnostics
		if !errors.As(err, &ds) || len(ds) == 0 {
			t.Fatalf("not diagnostics: %v", err)
		}
		for _, d := range ds {
			if d.Pos.File != "f.yml" || d.Pos.Line < 1 || d.Pos.Col < 1 || d.Msg == "" {
				t.Fatalf("diagnostic without a position: %q", d.Error())
			}
		}
	})
}
