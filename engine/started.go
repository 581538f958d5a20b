package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/invgen/invgen/jinja"
)

// runStartedAt is dbt's run_started_at, a Python datetime in UTC: it
// renders as Python prints one and has the strftime method dbt projects
// call on it. The zero time is the Unix epoch.
func runStartedAt(t time.Time) *jinja.Namespace {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	t = t.UTC().Truncate(time.Microsecond)
	return &jinja.Namespace{Name: "datetime", Text: pythonDatetime(t),
		Attrs: map[string]any{"strftime": jinja.Func(func(args []any, _ *jinja.Dict) (any,
			error) {
			if len(args) != 1 {
				return nil, fmt.Errorf("run_started_at.strftime takes one format")
			}
			return strftime(t, fmt.Sprint(args[0]))
		})}}
}

// pythonDatetime is str() of an aware datetime in UTC: microseconds only
// when there are any.
func pythonDatetime(t time.Time) string {
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02 15:04:05") + "+00:00"
	}
	return t.Format("2006-01-02 15:04:05.000000") + "+00:00"
}

// strftimeCodes are the directives invgen's engine renders, as Python does
// for a datetime in UTC.
var strftimeCodes = map[byte]string{
	'Y': "2006", 'm': "01", 'd': "02", 'H': "15", 'M': "04", 'S': "05",
	'f': "000000", 'z': "+0000", 'Z': "UTC", '%': "%",
}

// strftime formats t as Python's datetime.strftime would, for the
// directives in strftimeCodes; any other is an error rather than a guess.
func strftime(t time.Time, format string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteByte(format[i])
			continue
		}
		if i+1 == len(format) {
			return "", fmt.Errorf("strftime format %q ends in a lone %%", format)
		}
		i++
		layout, ok := strftimeCodes[format[i]]
		switch {
		case !ok:
			return "", fmt.Errorf("strftime directive %%%c is not supported by invgen's "+
				"engine", format[i])
		case format[i] == 'f':
			fmt.Fprintf(&b, "%06d", t.Nanosecond()/1000)
		case format[i] == '%' || format[i] == 'Z' || format[i] == 'z':
			b.WriteString(layout)
		default:
			b.WriteString(t.Format(layout))
		}
	}
	return b.String(), nil
}
