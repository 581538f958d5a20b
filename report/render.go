package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
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
	p := page{AsOf: "unknown", Sections: sections(d), Monitors: monitorsOf(d.Monitors)}
	if d.Ledger != nil {
		p.Stats, p.Statuses = headline(d.Ledger, d.Currency)
		if d.Ledger.AsOf != "" {
			p.AsOf = d.Ledger.AsOf
		}
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, p); err != nil {
		return nil, fmt.Errorf("rendering the report: %w", err)
	}
	return b.Bytes(), nil
}

// headline is the totals across the top: open breaks, their value, and
// each tier, then a line counting breaks by status.
func headline(l *Ledger, currency string) ([]stat, string) {
	stats := []stat{
		{Label: "open breaks", Value: count(l.OpenBreaks)},
		{Label: "open value", Value: money(currency, l.OpenValue)},
	}
	for _, t := range l.Tiers {
		s := stat{Label: t.Label, Value: count(t.Breaks), Detail: money(currency, t.Value),
			Class: "tier"}
		if t.Breaks > 0 && t.Label == "page" {
			s.Class = "tier hot"
		}
		stats = append(stats, s)
	}
	statuses := ""
	for i, s := range l.Statuses {
		if i > 0 {
			statuses += " · "
		}
		statuses += count(s.Breaks) + " " + s.Label
	}
	return stats, statuses
}

// sections lays out the charts in reading order: where the money is, how
// the program is trending, and how accurate the records are.
func sections(d *Data) []section {
	return []section{
		checkSection(d), locationSection(d), weeklySection(d), openValueSection(d),
		resolutionSection(d), accuracySection(d),
	}
}
