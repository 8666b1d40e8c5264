// Package e2e holds tests only: they build the deskbot binary and drive it
// from outside as an operator would (both chat channels, kill -9 and
// SIGTERM, a full disk, health probes, the storage scan beside a running
// server), so what they check is the shipped program, not its packages.
package e2e
