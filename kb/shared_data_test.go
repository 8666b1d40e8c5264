package kb

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// The evaluation data sets (BANKING77, faq-dev) are not in the repository:
// they sit in a data folder beside it, ../shared/data seen from the
// repository root, or wherever KB_TEST_DATA points.
const envTestData = "KB_TEST_DATA"

// sharedData returns the path of rel inside the data folder, or skips the
// test when it is missing. Under CI (CI set, as CI services do) a missing
// data set fails instead: a quality floor that silently stops being
// checked is worse than a red build.
func sharedData(t testing.TB, rel string) string {
	t.Helper()
	roots := []string{"../../shared/data", "../../../shared/data"}
	if d := os.Getenv(envTestData); d != "" {
		roots = []string{d}
	}
	for _, r := range roots {
		p := filepath.Join(r, rel)
		_, err := os.Stat(p)
		if err == nil {
			return p
		}
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	msg := rel + " not found under " + roots[0] + " (set " + envTestData + " to the data folder)"
	if os.Getenv("CI") != "" {
		t.Fatal("test data missing under CI: " + msg)
	}
	t.Skip(msg)
	return ""
}
