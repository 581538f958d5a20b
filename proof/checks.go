package proof

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/generator"
	"github.com/invgen/invgen/synth"
)

// faultsOf lists the faults that prove each check: the errors it exists to
// catch.
var faultsOf = map[string][]synth.Fault{
	generator.CheckConservation:  {synth.FaultLostMovement, synth.FaultDoublePost},
	generator.CheckParity:        {synth.FaultCasesAsEaches},
	generator.CheckHonesty:       {synth.FaultStaleAvailability},
	generator.CheckReturns:       {synth.FaultOpenRefund},
	generator.CheckControlTotals: {synth.FaultMissingRows},
}

// Proof is what proving the checks and monitors found.
type Proof struct {
	Proven  []string // checks silent on the clean estate and catching every fault
	Total   int
	Elapsed time.Duration

	// Monitors are the monitors silent on clean history that alert on their
	// pattern and only on it: all of them, or Prove fails.
	Monitors     []string
	MonitorTotal int

	// Traps are the traps the contracts make possible, each counted on the
	// clean estate the checks were proven silent on: none is empty, or
	// Prove fails.
	Traps []Trap

	// IdleFeeds are the feeds, sorted, that would hold a trap but have no
	// rows in the clean estate, so their traps could not be counted.
	IdleFeeds []string
}

// noFault is why a check with no fault to inject is not proven: a check
// nothing can make fail is no check.
const noFault = "invgen knows no fault to prove it catches"

// UnprovenError is a check or monitor that fires on clean data or misses
// what it exists to catch.
type UnprovenError struct {
	Check string
	Model string
	Kind  string      // "check" or "monitor"; "check" when empty
	Fault synth.Fault // empty for the clean estate
	Msg   string
}

// Error says which way the proof failed, on clean data or against a fault,
// because the fix differs: a check too eager or one blind to its culprit.
func (e *UnprovenError) Error() string {
	kind := e.Kind
	if kind == "" {
		kind = "check"
	}
	if e.Fault == "" && e.Msg == noFault {
		return fmt.Sprintf("%s %s (%s) is not proven: %s", kind, e.Check, e.Model, e.Msg)
	}
	if e.Fault == "" {
		return fmt.Sprintf("%s %s (%s) is not proven: it reports on a clean estate: %s",
			kind, e.Check, e.Model, e.Msg)
	}
	return fmt.Sprintf("%s %s (%s) is not proven: it does not catch %s: %s", kind, e.Check,
		e.Model, e.Fault, e.Msg)
}

// Prove runs every check of a generated project on a synthesised clean
// estate, where each must return no rows, and on one estate per fault, where
// it must return exactly the injected break with its quantity and value.
// The clean estate must hold every trap the contracts make possible, or its
// silence proves less than it claims.
func Prove(ctx context.Context, e *contracts.Estate, res *generator.Result,
	p synth.Params) (*Proof, error) {
	start := time.Now()
	defer debug.SetGCPercent(debug.SetGCPercent(proofGC))
	if p.Days == 0 {
		p = synth.ProofParams()
	}
	p.Days = historyDays(e, p)
	project, err := engine.Load(res.All())
	if err != nil {
		return nil, err
	}

	proof := &Proof{Total: len(res.Checks), MonitorTotal: len(res.Monitors)}
	var jobs []job
	for _, ch := range res.Checks {
		if len(faultsOf[ch.Name]) == 0 {
			return nil, &UnprovenError{Check: ch.Name, Model: ch.Model,
				Msg: noFault}
		}
		for _, f := range faultsOf[ch.Name] {
			jobs = append(jobs, job{name: ch.Name, run: func(wb *workbench) error {
				return proveFault(wb, ch, f, p)
			}})
		}
		proof.Proven = append(proof.Proven, ch.Name)
	}
	for _, m := range res.Monitors {
		if m.Target == "" {
			return nil, &UnprovenError{Check: m.Name, Model: m.Model, Kind: "monitor",
				Fault: patternOf[m.Name], Msg: "no feed to plant it in"}
		}
		jobs = append(jobs, job{name: m.Name, run: func(wb *workbench) error {
			return proveMonitor(wb, m, res.Monitors, p)
		}})
		proof.Monitors = append(proof.Monitors, m.Name)
	}
	clean := func(wb *workbench) (err error) {
		if err := proveClean(wb, res); err != nil {
			return err
		}
		proof.Traps, proof.IdleFeeds, err = holdTraps(wb, res)
		return err
	}
	world := synth.NewWorld(e, p)
	read := readModels(e, res, world.AsOf())
	if err := runJobs(ctx, e, project, world, read, clean, jobs); err != nil {
		return nil, err
	}
	proof.Elapsed = time.Since(start)
	return proof, nil
}

// proofGC is the garbage collector's target while proving: each job
// renders a whole estate of short-lived rows, and collecting a third as
// often saves a tenth of the proof's time for a few tens of MiB, next to
// the hundreds the databases hold.
const proofGC = 300

// job proves one fault of a check or the pattern of a monitor.
type job struct {
	name string
	run  func(*workbench) error
}

// benches caps the workbenches a proof opens; 0 means one per CPU. A test
// that proves many projects side by side sets it to 1, as the first
// workbench builds every model the proof reads before any job runs.
var benches = 0

// runJobs opens one workbench per CPU. The first builds every model the
// proof reads on the clean estate and checks it; the others build only
// what their jobs read, on the first job's estate, which saves building
// twice what that job's fault changes. All then take the jobs in turn.
// The error is the first failure: the clean estate's, then in job order.
func runJobs(ctx context.Context, e *contracts.Estate, project *engine.Project,
	clean *synth.World, read []string, check func(*workbench) error, jobs []job) error {
	n := runtime.GOMAXPROCS(0)
	if benches > 0 {
		n = benches
	}
	n = max(1, min(n, len(jobs)))
	tables, asOf := clean.Render(), clean.AsOf()

	errs := make([]error, len(jobs)+n)
	q := &jobQueue{jobs: jobs, errs: errs}
	var wg sync.WaitGroup
	for b := 0; b < n; b++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wb, err := openWorkbench(ctx, e, project, tables, asOf)
			if err != nil {
				errs[len(jobs)+b] = err
				return
			}
			defer wb.close()
			if b == 0 {
				if err := wb.swapTables(tables, read...); err != nil {
					errs[len(jobs)+b] = err
					return
				}
				if err := check(wb); err != nil {
					errs[len(jobs)+b] = err
					return
				}
			}
			q.work(wb)
		}()
	}
	wg.Wait()

	for _, err := range append(errs[len(jobs):], errs[:len(jobs)]...) {
		if err != nil {
			return err
		}
	}
	return nil
}

// jobQueue hands jobs out one at a time, the last first: the monitors come
// last and take longest, and workbenches that finish early take the short
// ones that are left.
type jobQueue struct {
	mu   sync.Mutex
	jobs []job
	errs []error
	next int
}

func (q *jobQueue) work(wb *workbench) {
	for {
		q.mu.Lock()
		i := len(q.jobs) - 1 - q.next
		q.next++
		q.mu.Unlock()
		if i < 0 {
			return
		}
		q.errs[i] = q.jobs[i].run(wb)
	}
}

// proveClean requires the clean estate to be silent: no check returns a
// row and no monitor alerts or lacks history.
func proveClean(wb *workbench, res *generator.Result) error {
	if err := quietMonitors(wb.ctx, wb.db, res.Monitors); err != nil {
		return err
	}
	for _, ch := range res.Checks {
		rows, err := ReadRows(wb.ctx, wb.db, ch.Model)
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			return &UnprovenError{Check: ch.Name, Model: ch.Model,
				Msg: fmt.Sprintf("%d rows, the first %s", len(rows), describeRow(rows[0]))}
		}
	}
	return nil
}

func proveFault(wb *workbench, ch generator.Check, f synth.Fault, p synth.Params) error {
	w := synth.NewWorld(wb.e, p)
	want, err := w.Inject(f, ch.Target)
	if err != nil {
		return &UnprovenError{Check: ch.Name, Model: ch.Model, Fault: f, Msg: err.Error()}
	}
	if err := wb.swap(w, ch.Model); err != nil {
		return err
	}
	rows, err := ReadRows(wb.ctx, wb.db, ch.Model)
	if err != nil {
		return err
	}
	if msg := matchBreak(rows, want); msg != "" {
		return &UnprovenError{Check: ch.Name, Model: ch.Model, Fault: f, Msg: msg}
	}
	return nil
}

// Row is one result row: column name to value as text.
type Row map[string]string

// ReadRows reads every row of a model built in db, each value as text, so
// that rows compare with ground truth the way break keys are spelled.
func ReadRows(ctx context.Context, db *sql.DB, model string) ([]Row, error) {
	rs, err := db.QueryContext(ctx, `select * from main."`+model+`"`)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", model, err)
	}
	defer rs.Close()
	types, err := rs.ColumnTypes()
	if err != nil {
		return nil, err
	}
	var out []Row
	for rs.Next() {
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := Row{}
		for i, t := range types {
			r[t.Name()] = Text(vals[i], t.DatabaseTypeName())
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// Text renders a scanned DuckDB value the way break keys spell it; NULL is
// the empty string.
func Text(v any, dbType string) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		if dbType == "DATE" {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	case duckdb.Decimal:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// matchBreak explains how rows differ from the one wanted break, or "".
func matchBreak(rows []Row, want synth.Break) string {
	if len(rows) != 1 {
		desc := ""
		if len(rows) > 0 {
			desc = ", the first " + describeRow(rows[0])
		}
		return fmt.Sprintf("expected exactly 1 break (%s), got %d%s", describeBreak(want),
			len(rows), desc)
	}
	return breakDiff(rows[0], want)
}

// IsBreak reports whether a row is the break wanted: its keys, quantity and
// value.
func IsBreak(r Row, want synth.Break) bool { return breakDiff(r, want) == "" }

// breakDiff explains how a row differs from a wanted break, or "".
func breakDiff(got Row, want synth.Break) string {
	for k, v := range want.Keys {
		if got[k] != v {
			return fmt.Sprintf("expected %s = %s, got %s (%s)", k, v, got[k], describeRow(got))
		}
	}
	if !near(got["break_qty"], &want.Qty) {
		return fmt.Sprintf("expected break_qty %s, got %s", fmtFloat(want.Qty), got["break_qty"])
	}
	if !near(got["break_value"], want.Value) {
		return fmt.Sprintf("expected break_value %s, got %q", fmtPtr(want.Value),
			got["break_value"])
	}
	return ""
}

// near compares a column's text with a wanted number; nil wants NULL.
func near(text string, want *float64) bool {
	if want == nil {
		return text == ""
	}
	got, err := strconv.ParseFloat(text, 64)
	return err == nil && math.Abs(got-*want) < 1e-4
}

func describeBreak(b synth.Break) string {
	return describeRow(Row(b.Keys)) + " break_qty=" + fmtFloat(b.Qty)
}

func describeRow(r Row) string {
	keys := make([]string, 0, len(r))
	for k := range r {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if r[k] != "" {
			parts = append(parts, k+"="+r[k])
		}
	}
	return strings.Join(parts, " ")
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func fmtPtr(f *float64) string {
	if f == nil {
		return "NULL"
	}
	return fmtFloat(*f)
}
