// Package contracts reads inventory source contracts and the invgen.yml
// project file, and checks them before anything is generated.
//
// A contract answers the questions that cause phantom stock, not just column
// types: which quantity a number means, its unit of measure, its grain, the
// source timezone, the idempotency key and the freshness promise. Parsing
// keeps the YAML position of every value so that each problem can be reported
// as file:line:col, and validation reports every problem in one pass, sorted,
// because a producer fixing a contract should not have to rerun the tool once
// per typo.
//
// The same field tables drive decoding, unknown-key suggestions, the JSON
// Schema printed by `invgen schema` and the contract reference in the README,
// so the four cannot drift apart.
package contracts
