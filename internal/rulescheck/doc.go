// Package rulescheck holds no code, only a test: every rule id (DISC-1,
// CONS-5, …) cited in the Go code, tests and Gherkin scenarios must be
// defined in docs/RULES.md. It is a package of its own so that the check
// builds and runs even when the rest of the tree does not compile.
package rulescheck
