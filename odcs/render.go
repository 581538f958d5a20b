package odcs

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"
)

// contract is an invgen contract as written: keys in the order of the
// contract reference, empty ones left out.
type contract struct {
	Source      string      `yaml:"source"`
	System      string      `yaml:"system"`
	Feed        string      `yaml:"feed"`
	Owner       string      `yaml:"owner"`
	Description string      `yaml:"description,omitempty"`
	Relation    relation    `yaml:"relation"`
	Columns     []outColumn `yaml:"columns"`
	Semantics   *semantics  `yaml:"semantics,omitempty"`
	Delivery    *delivery   `yaml:"delivery,omitempty"`
	OnViolation *violation  `yaml:"on_violation,omitempty"`
}

type relation struct {
	Database string `yaml:"database,omitempty"`
	Schema   string `yaml:"schema"`
	Table    string `yaml:"table"`
}

type outColumn struct {
	Name        string            `yaml:"name"`
	Type        string            `yaml:"type"`
	Role        string            `yaml:"role,omitempty"`
	Values      map[string]string `yaml:"values,omitempty"`
	Description string            `yaml:"description,omitempty"`
}

type semantics struct {
	QuantityField  string   `yaml:"quantity_field,omitempty"`
	QuantityUOM    string   `yaml:"quantity_uom,omitempty"`
	MovementGrain  string   `yaml:"movement_grain,omitempty"`
	Timezone       string   `yaml:"timezone,omitempty"`
	EventTimeBasis string   `yaml:"event_time_basis,omitempty"`
	IdempotencyKey []string `yaml:"idempotency_key,omitempty,flow"`
	AdjustmentSign string   `yaml:"adjustment_sign,omitempty"`
}

type delivery struct {
	FreshnessSLA string        `yaml:"freshness_sla,omitempty"`
	Completeness *completeness `yaml:"completeness,omitempty"`
}

type completeness struct {
	ControlTotals string  `yaml:"control_totals"`
	MinRatio      float64 `yaml:"min_ratio,omitempty"`
}

type violation struct {
	Notify []string `yaml:"notify,omitempty,flow"`
}

// render writes the contract as YAML with a header naming its origin, one
// column per line in flow style as hand-written contracts have them.
func render(c *contract, file, id, version string) ([]byte, error) {
	var doc yaml.Node
	if err := doc.Encode(c); err != nil {
		return nil, err
	}
	doc.HeadComment = fmt.Sprintf("Imported by `invgen import odcs` from %s\n"+
		"(ODCS id %s, version %s).", file, orNone(id), orNone(version))
	for i := 0; i+1 < len(doc.Content); i += 2 {
		switch doc.Content[i].Value {
		case "relation":
			doc.Content[i+1].Style = yaml.FlowStyle
		case "columns":
			for _, col := range doc.Content[i+1].Content {
				col.Style = yaml.FlowStyle
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil { // flushes: only then is buf complete
		return nil, err
	}
	return buf.Bytes(), nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
