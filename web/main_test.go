package web

import (
	"os"
	"testing"

	"deskbot/internal/pgtest"
)

// TestMain stops the throwaway PostgreSQL cluster the shared-limit tests
// may have started.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
