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

// database_url: a PostgreSQL URL from the file, DESKBOT_DATABASE_URL or
// DESKBOT_DATABASE_URL_FILE; anything else is refused naming the key; a
// configuration dump never shows it (it may hold a password).
func TestDatabaseURL(t *testing.T) {
	const u = "postgres://deskbot:s3cret-pw@db.example:5432/deskbot?sslmode=verify-full"
	file := writeFile(t, u+"\n")
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
		bad  bool
	}{
		{"unset", nil, "", false},
		{"env", map[string]string{"DESKBOT_DATABASE_URL": u}, u, false},
		{"file", map[string]string{"DESKBOT_DATABASE_URL_FILE": file}, u, false},
		{"postgresql scheme", map[string]string{"DESKBOT_DATABASE_URL": "postgresql://db.example/deskbot"}, "postgresql://db.example/deskbot", false},
		{"mysql", map[string]string{"DESKBOT_DATABASE_URL": "mysql://db.example/deskbot"}, "", true},
		{"a file path", map[string]string{"DESKBOT_DATABASE_URL": "/var/lib/deskbot/deskbot.db"}, "", true},
		{"no host", map[string]string{"DESKBOT_DATABASE_URL": "postgres:///deskbot"}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(Options{NoFile: true, Getenv: env(tc.env)})
			if tc.bad {
				if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "database_url") {
					t.Fatalf("err = %v, want one naming database_url", err)
				}
				return
			}
			if err != nil || c.DatabaseURL.Reveal() != tc.want {
				t.Fatalf("database_url = %q, %v; want %q", c.DatabaseURL.Reveal(), err, tc.want)
			}
			var b strings.Builder
			if err := c.Dump(&b); err != nil {
				t.Fatal(err)
			}
			if out := b.String(); strings.Contains(out, "s3cret-pw") || strings.Contains(out, "db.example") {
				t.Fatalf("the dump shows the database URL:\n%s", b.String())
			}
		})
	}
}
