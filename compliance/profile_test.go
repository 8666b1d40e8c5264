package compliance

import (
	"errors"
	"strings"
	"testing"
)

// JUR-1: eu is opt-in, us-ca honours GPC with a notice at collection, and
// anything unknown gets the union of both.
func TestLookupProfile(t *testing.T) {
	eu := Profile{Name: "eu", OptIn: true, RequireDisclosure: true}
	ca := Profile{Name: "us-ca", NoticeAtCollection: true, HonourGPC: true, RequireDisclosure: true}
	strict := Profile{Name: "strict", OptIn: true, NoticeAtCollection: true, HonourGPC: true, RequireDisclosure: true}
	tests := map[string]Profile{
		"eu": eu, "EU": eu, "": eu, " eu ": eu,
		"us-ca": ca, "US-CA": ca, "California": ca,
		"us-tx": strict, "uk": strict, "eu-lite": strict, "none": strict,
	}
	for name, want := range tests {
		if got := LookupProfile(name); got != want {
			t.Errorf("LookupProfile(%q) = %+v, want %+v", name, got, want)
		}
	}
}

// DISC-3: disclosure off fails under every profile we ship.
func TestValidateDisclosure(t *testing.T) {
	for _, name := range []string{"eu", "us-ca", "unknown"} {
		p := LookupProfile(name)
		if err := ValidateDisclosure(p, true); err != nil {
			t.Errorf("%s enabled: %v", name, err)
		}
		err := ValidateDisclosure(p, false)
		if !errors.Is(err, ErrDisclosureRequired) || !strings.Contains(err.Error(), "DISC-3") {
			t.Errorf("%s disabled: err = %v, want ErrDisclosureRequired", name, err)
		}
	}
	if err := ValidateDisclosure(Profile{Name: "custom"}, false); err != nil {
		t.Errorf("profile not requiring disclosure: %v", err)
	}
}
