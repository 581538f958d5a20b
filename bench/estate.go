package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/invgen/invgen/contracts"
)

// The regional feed a scaled estate clones: a WMS movements feed and the
// control totals its completeness is checked against, as a retailer with a
// WMS instance per region has.
const (
	cloneMovements = "wms_eu_movements"
	cloneControl   = "wms_eu_control_totals"
)

var (
	fixturesLine     = regexp.MustCompile(`(?m)^fixtures:.*\n`)
	completenessLine = regexp.MustCompile(`(?m)^\s*completeness:.*\n`)
)

// ScaleEstate writes an estate of n contracts to dst: the contracts of src
// (the retail example) and as many cloned regions as it takes, each a
// movements feed with its control totals, named wms_rNNN_*. Fixtures are
// left out so that every size validates on data synthesised the same way.
// It returns the number of contracts written.
func ScaleEstate(src, dst string, n int) (int, error) {
	files, err := filepath.Glob(filepath.Join(src, "*.yml"))
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return 0, err
	}
	count := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		name := filepath.Base(f)
		if name == contracts.ProjectFile {
			data = fixturesLine.ReplaceAll(data, nil)
		} else {
			count++
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
			return 0, err
		}
	}
	return addRegions(src, dst, count, n)
}

// addRegions clones the regional feeds until the estate holds n contracts;
// an odd last one is a movements feed with no control totals.
func addRegions(src, dst string, count, n int) (int, error) {
	movements, err := os.ReadFile(filepath.Join(src, cloneMovements+".yml"))
	if err != nil {
		return 0, err
	}
	control, err := os.ReadFile(filepath.Join(src, cloneControl+".yml"))
	if err != nil {
		return 0, err
	}
	for region := 1; count < n; region++ {
		name := fmt.Sprintf("wms_r%03d", region)
		rename := strings.NewReplacer(cloneMovements, name+"_movements",
			cloneControl, name+"_control_totals", "schema: wms_eu", "schema: "+name)
		feed := []byte(rename.Replace(string(movements)))
		if count+1 == n {
			feed = completenessLine.ReplaceAll(feed, nil)
		}
		if err := write(dst, name+"_movements.yml", feed); err != nil {
			return 0, err
		}
		count++
		if count == n {
			break
		}
		if err := write(dst, name+"_control_totals.yml",
			[]byte(rename.Replace(string(control)))); err != nil {
			return 0, err
		}
		count++
	}
	return count, nil
}

func write(dir, name string, data []byte) error {
	return os.WriteFile(filepath.Join(dir, name), data, 0o644)
}
