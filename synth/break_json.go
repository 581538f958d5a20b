package synth

import "encoding/json"

// breakJSON is Break as ground_truth.json spells it: snake_case keys, as
// every other field of the file, so a reader in any language sees one style.
type breakJSON struct {
	Keys  map[string]string `json:"keys"`
	Qty   float64           `json:"qty"`
	Value *float64          `json:"value"`
}

// MarshalJSON writes a break with snake_case keys; a break without a value
// writes "value": null, which says the check has none rather than zero.
func (b Break) MarshalJSON() ([]byte, error) {
	return json.Marshal(breakJSON(b))
}

// UnmarshalJSON reads what MarshalJSON writes.
func (b *Break) UnmarshalJSON(data []byte) error {
	var j breakJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*b = Break(j)
	return nil
}
