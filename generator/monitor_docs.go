package generator

// monitorDocs documents the monitors with their tests: an alert test at the
// monitor's tier, and for every monitor that can say it has too little
// history a digest line when it does, so that it never passes in silence.
func (r *renderer) monitorDocs(ms []monitor) docModelsView {
	v := docModelsView{Header: header("")}
	for _, m := range ms {
		meta := append([]keyValue{{"monitor", m.name}},
			r.feedMeta(m.name, m.feeds, []string{monName(m.name)})...)
		doc := docModel{Name: monName(m.name), Description: yamlScalar(m.about), Meta: meta}
		alert := docTest{Generic: "invgen_monitor_alerts", Name: monName(m.name) + "__alert",
			Severity: "warn", Meta: append([]keyValue{{"alert_tier", m.tier}}, meta...)}
		if m.tier == TierTicket {
			alert.Severity = "error"
		}
		doc.Tests = append(doc.Tests, alert)
		if m.view.mentions(statusInsufficient) {
			doc.Tests = append(doc.Tests, docTest{Generic: "invgen_insufficient_history",
				Name: monName(m.name) + "__insufficient_history", Severity: "warn",
				Meta: append([]keyValue{{"alert_tier", TierDigest}}, meta...)})
		}
		v.Models = append(v.Models, doc)
	}
	return v
}
