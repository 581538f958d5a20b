package proof

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/invgen/invgen/contracts"
	"github.com/invgen/invgen/engine"
	"github.com/invgen/invgen/fixtures"
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

// Proof is what proving the checks found.
type Proof struct {
	Proven  []string // checks silent on the clean estate and catching every fault
	Total   int
	Elapsed time.Duration
}

// UnprovenError is a check that fires on clean data or misses its fault.
type UnprovenError struct {
	Check string
	Model string
	Fault synth.Fault // empty for the clean estate
	Msg   string
}

func (e *UnprovenError) Error() string {
	if e.Fault == "" {
		return fmt.Sprintf("check %s (%s) is not proven: it reports breaks on a clean "+
			"estate: %s", e.Check, e.Model, e.Msg)
	}
	return fmt.Sprintf("check %s (%s) is not proven: it does not catch %s: %s", e.Check,
		e.Model, e.Fault, e.Msg)
}

// Prove runs every check of a generated project on a synthesised clean
// estate, where each must return no rows, and on one estate per fault, where
// it must return exactly the injected break with its quantity and value.
func Prove(ctx context.Context, e *contracts.Estate, res *generator.Result,
	p synth.Params) (*Proof, error) {
	start := time.Now()
	if p.Days == 0 {
		p = synth.DefaultParams()
	}
	// Refunds must be able to outlive their grace period inside the window.
	p.Days = max(p.Days, e.Project.Grace.ReturnsDays+10)
	project, err := engine.Load(res.Files)
	if err != nil {
		return nil, err
	}

	proof := &Proof{Total: len(res.Checks)}
	if err := proveClean(ctx, e, project, res.Checks, p); err != nil {
		return nil, err
	}
	if err := proveFaults(ctx, e, project, res.Checks, p); err != nil {
		return nil, err
	}
	for _, ch := range res.Checks {
		proof.Proven = append(proof.Proven, ch.Name)
	}
	proof.Elapsed = time.Since(start)
	return proof, nil
}

// proveFaults runs one estate per fault, as many at once as there are CPUs;
// each builds only the check's model and what it reads. The first failure,
// in check order, is the one reported.
func proveFaults(ctx context.Context, e *contracts.Estate, project *engine.Project,
	checks []generator.Check, p synth.Params) error {
	type job struct {
		check generator.Check
		fault synth.Fault
	}
	var jobs []job
	for _, ch := range checks {
		for _, f := range faultsOf[ch.Name] {
			jobs = append(jobs, job{ch, f})
		}
	}

	errs := make([]error, len(jobs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = proveFault(ctx, e, project, j.check, j.fault, p)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func proveClean(ctx context.Context, e *contracts.Estate, project *engine.Project,
	checks []generator.Check, p synth.Params) error {
	w := synth.NewWorld(e, p)
	db, err := buildEstate(ctx, e, project, w)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, ch := range checks {
		rows, err := modelRows(ctx, db, ch.Model)
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

func proveFault(ctx context.Context, e *contracts.Estate, project *engine.Project,
	ch generator.Check, f synth.Fault, p synth.Params) error {
	w := synth.NewWorld(e, p)
	want, err := w.Inject(f, ch.Target)
	if err != nil {
		return &UnprovenError{Check: ch.Name, Model: ch.Model, Fault: f, Msg: err.Error()}
	}
	db, err := buildEstate(ctx, e, project, w, project.Upstream(ch.Model)...)
	if err != nil {
		return err
	}
	defer db.Close()

	rows, err := modelRows(ctx, db, ch.Model)
	if err != nil {
		return err
	}
	if msg := matchBreak(rows, want); msg != "" {
		return &UnprovenError{Check: ch.Name, Model: ch.Model, Fault: f, Msg: msg}
	}
	return nil
}

// buildEstate loads a world's raw rows into a fresh database and builds the
// project on them (or the selected models), as of the morning after the
// world's last day.
func buildEstate(ctx context.Context, e *contracts.Estate, project *engine.Project,
	w *synth.World, selected ...string) (*sql.DB, error) {
	db, err := Open("")
	if err != nil {
		return nil, err
	}
	if err := fixtures.CreateRaw(ctx, db, e); err != nil {
		db.Close()
		return nil, err
	}
	tables := w.Render()
	for _, con := range e.Contracts {
		if err := fixtures.LoadTable(ctx, db, con, tables[con.Source]); err != nil {
			db.Close()
			return nil, err
		}
	}
	vars := map[string]any{"invgen_as_of_date": w.AsOf()}
	opt := engine.Options{Vars: vars, Select: selected}
	if err := project.Build(ctx, db, opt); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// row is one result row: column name to value as text.
type row map[string]string

func modelRows(ctx context.Context, db *sql.DB, model string) ([]row, error) {
	rs, err := db.QueryContext(ctx, `select * from main."`+model+`"`)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", model, err)
	}
	defer rs.Close()
	types, err := rs.ColumnTypes()
	if err != nil {
		return nil, err
	}
	var out []row
	for rs.Next() {
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := row{}
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
func matchBreak(rows []row, want synth.Break) string {
	if len(rows) != 1 {
		desc := ""
		if len(rows) > 0 {
			desc = ", the first " + describeRow(rows[0])
		}
		return fmt.Sprintf("expected exactly 1 break (%s), got %d%s", describeBreak(want),
			len(rows), desc)
	}
	got := rows[0]
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
	return describeRow(row(b.Keys)) + " break_qty=" + fmtFloat(b.Qty)
}

func describeRow(r row) string {
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
