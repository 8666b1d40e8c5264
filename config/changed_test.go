package config

import (
	"reflect"
	"testing"
	"time"
)

func TestChangedNamesKeys(t *testing.T) {
	a := Defaults("./data")
	b := a
	b.Answer.Threshold = 0.5
	b.LogLevel = "debug"
	b.AdminToken = "another-admin-token-value"
	b.Timeouts.Idle = time.Minute
	b.AllowedOrigins = []string{"https://shop.example"}
	got := Changed(a, b)
	want := []string{"log_level", "allowed_origins", "timeouts.idle", "answer.threshold", "admin_token"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Changed = %v, want %v", got, want)
	}
	if len(Changed(a, a)) != 0 {
		t.Fatal("no change should list nothing")
	}
}
