package main

import (
	"strings"
	"testing"
	"time"
)

func TestCheckDatabaseURL(t *testing.T) {
	for _, ok := range []string{"data/liveboard.db", "/tmp/x.db",
		"postgres://u@h/db", "POSTGRES://u@h/db", "postgresql://h/db",
		"sqlite:///tmp/x.db"} {
		if err := checkDatabaseURL(ok); err != nil {
			t.Errorf("checkDatabaseURL(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"mysql://foo", "http://x/y",
		"host=127.0.0.1 user=postgres password=pw dbname=test"} {
		if err := checkDatabaseURL(bad); err == nil {
			t.Errorf("checkDatabaseURL(%q) accepted", bad)
		}
	}
}

func TestRedactURL(t *testing.T) {
	tests := map[string]string{
		"postgres://u:secretpw@h/db":                          "secretpw",
		"host=h password=secretpw":                            "secretpw",
		"postgres://u@h/db?sslmode=disable&password=secretpw": "secretpw",
		"postgresql://u@h/db?PASSWORD=secretpw":               "secretpw",
	}
	for in, secret := range tests {
		if got := redactURL(in); strings.Contains(got, secret) {
			t.Errorf("redactURL(%q) = %q shows the password", in, got)
		}
	}
	if got := redactURL("data/liveboard.db"); got != "data/liveboard.db" {
		t.Errorf("redactURL of a path = %q", got)
	}
}

func TestValidateSyncInterval(t *testing.T) {
	for d, ok := range map[time.Duration]bool{
		-time.Minute: false, 0: false, 30 * time.Second: false,
		time.Minute: true, 24 * time.Hour: true,
	} {
		if err := validateSyncInterval(d); (err == nil) != ok {
			t.Errorf("validateSyncInterval(%v) = %v", d, err)
		}
	}
}
