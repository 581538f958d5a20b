package contracts

import (
	"encoding/json"
	"strings"
)

// JSONSchema returns the JSON Schema (draft-07) of the contract format, for
// editors: yaml-language-server completes and checks contracts with it.
// It is derived from the same field table the parser uses.
func JSONSchema() ([]byte, error) {
	root := schemaOf(contractSpec)
	root["$schema"] = "http://json-schema.org/draft-07/schema#"
	root["$id"] = "https://invgen.dev/schemas/contract.schema.json"
	root["title"] = "invgen source contract"
	return json.MarshalIndent(root, "", "  ")
}

// ProjectJSONSchema returns the JSON Schema of invgen.yml.
func ProjectJSONSchema() ([]byte, error) {
	root := schemaOf(projectSpec)
	root["$schema"] = "http://json-schema.org/draft-07/schema#"
	root["$id"] = "https://invgen.dev/schemas/project.schema.json"
	root["title"] = "invgen project file"
	return json.MarshalIndent(root, "", "  ")
}

func schemaOf(s *spec) map[string]any {
	out := map[string]any{}
	if s.doc != "" {
		out["description"] = s.doc
	}
	switch s.kind {
	case kindObject:
		objectSchema(s, out)
	case kindMap:
		out["type"] = "object"
		out["additionalProperties"] = schemaOf(s.items)
		if s.keyPattern != "" {
			out["propertyNames"] = map[string]any{"pattern": s.keyPattern}
		}
	case kindList:
		out["type"] = "array"
		out["minItems"] = 1
		out["items"] = schemaOf(s.items)
	default:
		scalarSchema(s, out)
	}
	return out
}

func objectSchema(s *spec, out map[string]any) {
	props := map[string]any{}
	var required []string
	for _, f := range s.fields {
		props[f.name] = schemaOf(f.spec)
		if f.required {
			required = append(required, f.name)
		}
	}
	out["type"] = "object"
	out["properties"] = props
	out["additionalProperties"] = false
	if len(required) > 0 {
		out["required"] = required
	}
	if s.schemaRules != nil {
		out["allOf"] = s.schemaRules()
	}
}

func scalarSchema(s *spec, out map[string]any) {
	out["type"] = map[kind]string{
		kindString: "string", kindInt: "integer", kindNumber: "number", kindBool: "boolean",
	}[s.kind]
	if s.kind == kindString {
		out["minLength"] = 1 // the parser refuses an empty string anywhere
	}
	if len(s.enum) > 0 {
		out["enum"] = s.enum
	}
	if s.pattern != "" {
		out["pattern"] = s.pattern
	}
	if s.maxLen > 0 {
		out["maxLength"] = s.maxLen
	}
	if s.schemaNot != nil {
		out["not"] = s.schemaNot
	}
	if s.min != nil {
		out["minimum"] = *s.min
	}
	switch {
	case s.max != nil && s.below:
		out["exclusiveMaximum"] = *s.max
	case s.max != nil:
		out["maximum"] = *s.max
	}
	if d := jsonDefault(s); s.def != "" && d != nil {
		out["default"] = d
	}
	if s.example != "" {
		out["examples"] = []string{s.example}
	}
}

// jsonDefault types a documented default for the schema; a default that is
// prose ("the project name") stays out of it.
func jsonDefault(s *spec) any {
	if s.kind == kindString {
		if strings.Contains(s.def, " ") {
			return nil
		}
		return s.def
	}
	var v any
	if json.Unmarshal([]byte(s.def), &v) != nil {
		return nil
	}
	return v
}
