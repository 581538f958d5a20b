package generator

import (
	"strconv"

	"github.com/invgen/invgen/contracts"
)

type projectView struct {
	Header  []string
	Name    string
	Profile string
	Vars    []projectVar
	Folders []folderView
}

type projectVar struct {
	Name  string
	Value string
	Doc   string
}

type folderView struct {
	Name         string
	Materialized string
}

// project renders dbt_project.yml. Settings from invgen.yml become vars, so
// an analytics engineer can override one on the command line with --vars
// without regenerating.
func (r *renderer) project() {
	p := r.estate.Project
	view := projectView{
		Header:  header(r.projectFile()),
		Name:    p.Name,
		Profile: p.Profile,
		Vars: []projectVar{
			{"invgen_currency", yamlScalar(p.Currency),
				"The currency of unit costs and break values."},
			{"invgen_ticket_value", formatNumber(p.Alerts.TicketValue),
				"A break worth at least this much opens a ticket."},
			{"invgen_returns_grace_days", strconv.Itoa(p.Grace.ReturnsDays),
				"Days a refund may wait for its disposition."},
			{"invgen_quarantine_sla_days", strconv.Itoa(p.Quarantine.SLADays),
				"Quarantined rows older than this escalate."},
			{"invgen_baseline_days", strconv.Itoa(p.Monitors.BaselineDays),
				"Days of history a monitor's baseline is computed over."},
			{"invgen_min_history_days", strconv.Itoa(p.Monitors.MinHistoryDays),
				"With fewer days of history a monitor says insufficient history."},
			{"invgen_sigma", formatNumber(p.Monitors.Sigma),
				"A mean outside mean plus or minus this many standard deviations alerts."},
			{"invgen_flatline_days", strconv.Itoa(p.Monitors.FlatlineDays),
				"An on-hand unchanged this many days while stock ships is a flatline."},
			{"invgen_drift_days", strconv.Itoa(p.Monitors.DriftDays),
				"Days over which breaks within tolerance must net out."},
			{"invgen_ira_target", formatNumber(p.Monitors.IRATarget),
				"The inventory record accuracy to meet."},
		},
		// Checks and what they read are tables: they are queried often and
		// their inputs are large.
		Folders: []folderView{{"intermediate", "table"}, {"reconciliation", "table"},
			{"monitors", "table"}, {"reports", "table"}, {"ledger", "table"}},
	}
	r.render("dbt_project.yml", "dbt_project.yml", view)
}

func projectFileName(p contracts.Project) string {
	if p.File == "" {
		return "the contracts (no invgen.yml: defaults)"
	}
	return contracts.ProjectFile
}
