package synth

import (
	"errors"
	"sort"

	c "github.com/invgen/invgen/contracts"
)

// Sink opens where a source's rows go while a simulation streams.
type Sink func(source string, columns []string) (func(row []string) error, error)

// Planter plants faults in a streaming simulation: once before any history
// (refunds, missing rows), and in each SKU-location's history before it is
// rendered.
type Planter interface {
	Global(w *World)
	Stock(w *World, sku, loc int)
}

// Stream simulates an estate of any size. Each SKU-location's history is
// generated, rendered into every feed that carries it and forgotten, so
// memory holds one SKU-location at a time however many millions of rows
// reach the sinks. The world it returns still knows the SKUs, locations,
// costs and refunds, for ground truth.
func Stream(e *c.Estate, p Params, open Sink, plant Planter) (*World, error) {
	w := newBase(e, p)
	w.stream = true
	w.makeRefunds()
	writers, err := w.openWriters(open)
	if err != nil {
		return nil, err
	}
	if plant != nil {
		plant.Global(w)
	}

	w.streaming = true
	for si := range w.skus {
		for li := range w.locations {
			w.streamStock(si, li, writers, plant)
		}
	}
	w.streaming = false
	w.movements, w.snapshots, w.byStock = nil, nil, nil

	for _, con := range e.Contracts {
		if !perStock(con.Feed) {
			writers[con.Source].renderAll()
		}
	}
	for _, con := range e.Contracts {
		if comp := con.Delivery.Completeness; comp != nil {
			w.controlTotals(writers[comp.ControlTotals].t, con, writers[con.Source].t)
		}
	}
	return w, tableErrors(writers)
}

func (w *World) openWriters(open Sink) (map[string]*rowWriter, error) {
	writers := map[string]*rowWriter{}
	for _, con := range w.estate.Contracts {
		t := &Table{Source: con.Source}
		for _, col := range con.Columns {
			t.Columns = append(t.Columns, col.Name)
		}
		sink, err := open(con.Source, t.Columns)
		if err != nil {
			return nil, err
		}
		t.sink = sink
		writers[con.Source] = &rowWriter{w: w, con: con, t: t}
	}
	return writers, nil
}

// streamStock generates one SKU-location's history, applies the whole-day
// patterns to it before its ATP is sampled, so that ATP follows the stock
// they change, plants its faults and renders it into every feed that
// carries stock.
func (w *World) streamStock(si, li int, writers map[string]*rowWriter, plant Planter) {
	w.chunk = stockKey{si, li}
	w.movements, w.snapshots, w.byStock = nil, nil, nil
	w.makeStockHistory(si, li)
	sort.SliceStable(w.movements, func(i, j int) bool {
		return w.movements[i].at.Before(w.movements[j].at)
	})
	w.reshapeHistory()
	w.stockSnapshots(si, li)
	if plant != nil {
		plant.Stock(w, si, li)
	}
	for _, con := range w.estate.Contracts {
		if perStock(con.Feed) {
			writers[con.Source].renderAll()
		}
	}
	w.dropStockFaults()
}

// dropStockFaults forgets the faults planted in the history just rendered.
func (w *World) dropStockFaults() {
	kept := w.faults[:0]
	for _, f := range w.faults {
		if f.stock == nil {
			kept = append(kept, f)
		}
	}
	w.faults = kept
}

// perStock reports whether a feed's rows come from SKU-location histories.
func perStock(f c.Feed) bool {
	switch f {
	case c.FeedMovements, c.FeedPositions, c.FeedAvailability, c.FeedCycleCounts:
		return true
	}
	return false
}

func tableErrors(writers map[string]*rowWriter) error {
	var errs []error
	for _, r := range writers {
		errs = append(errs, r.t.err)
	}
	return errors.Join(errs...)
}
