package report

import (
	"math"
	"strconv"
	"strings"
)

// niceTicks returns evenly spaced round values that cover lo to hi in
// about want steps, so axes read 0, 20k, 40k rather than 0, 17.3k, 34.6k.
// No step is smaller than minStep.
func niceTicks(lo, hi float64, want int, minStep float64) []float64 {
	if hi <= lo {
		hi = lo + math.Max(minStep, 1)
	}
	step := math.Max(niceStep((hi-lo)/float64(want)), minStep)
	first := math.Floor(lo/step + 1e-9)
	last := math.Ceil(hi/step - 1e-9)
	var out []float64
	for i := first; i <= last; i++ {
		out = append(out, roundTo(i*step, 9))
	}
	return out
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	exp := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / exp; {
	case f <= 1:
		return exp
	case f <= 2:
		return 2 * exp
	case f <= 5:
		return 5 * exp
	}
	return 10 * exp
}

// roundTo rounds to a number of decimals, dividing last so that the result
// is the double nearest the decimal and prints without a tail of digits.
func roundTo(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// compact writes an axis value short: 2.5k, 1.2M.
func compact(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return plain(roundTo(v/1e6, 2)) + "M"
	case a >= 1e3:
		return plain(roundTo(v/1e3, 2)) + "k"
	}
	return plain(roundTo(v, 2))
}

// plain writes a number with no more digits than it has.
func plain(v float64) string {
	if v == 0 {
		return "0" // not -0
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// percent writes a share as a percentage with up to two decimals.
func percent(share float64) string {
	return plain(roundTo(share*100, 2)) + "%"
}

// days writes a duration in days with one decimal at most.
func days(v float64) string {
	return plain(roundTo(v, 1))
}

// money writes a value in whole units with thousands separators.
func money(currency string, v float64) string {
	s := grouped(int64(math.Round(math.Abs(v))))
	if math.Round(v) < 0 {
		s = "-" + s
	}
	if currency == "" {
		return s
	}
	return currency + " " + s
}

// unknownValue is what the page says where a value is not known: never a
// zero, which would read as "worth nothing".
const unknownValue = "value unknown"

// worth writes what a number of breaks is worth: its value when every
// break has one, "value unknown" when none has, and the value of those that
// have one and how many lack one otherwise. No breaks are worth a real zero.
func worth(currency string, a Amount) string {
	switch {
	case a.Unvalued == 0:
		return money(currency, a.Value)
	case a.Unvalued == a.Breaks:
		return unknownValue
	}
	return money(currency, a.Value) + " + " + count(a.Unvalued) + " unvalued"
}

// maybeMoney writes a value that may be unknown.
func maybeMoney(currency string, v float64, known bool) string {
	if !known {
		return unknownValue
	}
	return money(currency, v)
}

// count writes a whole number with thousands separators.
func count(n int64) string {
	if n < 0 {
		return "-" + grouped(-n)
	}
	return grouped(n)
}

func grouped(n int64) string {
	digits := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// shorten cuts a label that would overrun its space, with an ellipsis.
func shorten(s string, runes int) string {
	r := []rune(s)
	if len(r) <= runes {
		return s
	}
	return string(r[:runes-1]) + "…"
}
