package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strings"
)

//go:embed page.html.tmpl
var pageFS embed.FS

// pageTemplate is parsed once: html/template escapes every value by
// context, which is why no text reaches the page unescaped.
var pageTemplate = template.Must(template.ParseFS(pageFS, "page.html.tmpl"))

// page is what the template shows, all numbers already formatted.
type page struct {
	AsOf     string
	Stats    []stat
	Statuses string
	Unvalued string // why some values are left out of the totals; "" when none is
	Sections []section
	Monitors monitorSection
}

// stat is one headline figure.
type stat struct {
	Label, Value, Detail, Class string
}

// section is one chart with its heading, or the reason it is missing.
type section struct {
	ID, Title, About string
	Chart            *chart
	Missing          string
}

// Render writes the report as one HTML page that needs nothing else: its
// styles are inline and its charts inline SVG, so it opens offline, from
// an attachment, and the same Data always gives the same bytes.
func Render(d *Data) ([]byte, error) {
	p := page{AsOf: "unknown", Sections: sections(d),
		Monitors: monitorsOf(d.Monitors)}
	if d.AsOf != "" {
		p.AsOf = d.AsOf
	}
	if d.Ledger != nil {
		p.Stats = headline(d.Ledger, d.Currency)
		p.Statuses = statusSentence(d.Ledger.Statuses)
		p.Unvalued = unvaluedNote(d.Ledger.Unvalued)
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, p); err != nil {
		return nil, fmt.Errorf("rendering the report: %w", err)
	}
	return b.Bytes(), nil
}

// headline is the totals across the top: open breaks, their value, and
// each tier.
func headline(l *Ledger, currency string) []stat {
	stats := []stat{
		{Label: "open breaks", Value: count(l.Open.Breaks)},
		{Label: "open value", Value: worth(currency, l.Open)},
	}
	for _, t := range l.Tiers {
		s := stat{Label: t.Label, Value: count(t.Breaks), Detail: worth(currency, t),
			Class: "tier"}
		if t.Breaks > 0 && t.Label == "page" {
			s.Class = "tier hot"
		}
		stats = append(stats, s)
	}
	return stats
}

// statusSentence counts every break in the ledger by status: "The ledger
// holds 18 breaks: 16 open, 1 cleared and 1 resolved."
func statusSentence(statuses []Amount) string {
	var total int64
	var parts []string
	for _, s := range statuses {
		total += s.Breaks
		parts = append(parts, count(s.Breaks)+" "+s.Label)
	}
	switch len(parts) {
	case 0:
		return "The ledger holds no breaks."
	case 1:
		return "The ledger holds " + breaks(total) + ", all " + statuses[0].Label + "."
	}
	last := len(parts) - 1
	return "The ledger holds " + breaks(total) + ": " + strings.Join(parts[:last], ", ") +
		" and " + parts[last] + "."
}

func breaks(n int64) string {
	if n == 1 {
		return "1 break"
	}
	return count(n) + " breaks"
}

// unvaluedNote says how many breaks have no value, which every total on
// the page leaves out; "" when every break has one.
func unvaluedNote(n int64) string {
	const why = " no value (a row count has none, and a break of a SKU without a unit " +
		"cost has none): the values on this page leave "
	switch n {
	case 0:
		return ""
	case 1:
		return "1 break in the ledger has" + why + "it out."
	}
	return count(n) + " breaks in the ledger have" + why + "them out."
}

// sections lays out the charts in reading order: where the money is, how
// the program is trending, and how accurate the records are.
func sections(d *Data) []section {
	return []section{
		checkSection(d), locationSection(d), weeklySection(d), openValueSection(d),
		resolutionSection(d), accuracySection(d),
	}
}
