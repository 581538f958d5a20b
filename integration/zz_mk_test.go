package integration

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/synth"
)

func TestMkLoader(t *testing.T) {
	e, _ := contracts.Load(os.DirFS("../examples/retail"), "examples/retail")
	tables := synth.NewWorld(e, synth.DefaultParams()).Render()
	for p, b := range loaderProject(e, tables, os.Getenv("ADAPTER")) {
		full := filepath.Join(os.Getenv("OUT"), p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, b, 0o644)
	}
}
