package config

import (
	"errors"
	"strings"
	"testing"
)

// H4: store.sync is full unless set to normal (also by DESKBOT_STORE_SYNC);
// any other value is refused naming the key.
func TestStoreSync(t *testing.T) {
	c, err := Load(Options{NoFile: true, Getenv: env(nil)})
	if err != nil || c.Store.Sync != "full" {
		t.Fatalf("default store.sync = %q, %v; want full", c.Store.Sync, err)
	}
	c, err = Load(Options{NoFile: true, Getenv: env(map[string]string{"DESKBOT_STORE_SYNC": "normal"})})
	if err != nil || c.Store.Sync != "normal" {
		t.Fatalf("DESKBOT_STORE_SYNC=normal: %q, %v", c.Store.Sync, err)
	}
	for _, bad := range []string{"off", "FULL ", "extra"} {
		_, err := Load(Options{NoFile: true, Getenv: env(map[string]string{"DESKBOT_STORE_SYNC": bad})})
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "store.sync") || !strings.Contains(err.Error(), "not a power loss") {
			t.Errorf("store.sync %q: err = %v, want one naming store.sync and what normal means", bad, err)
		}
	}
}
