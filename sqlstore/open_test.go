package sqlstore_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"liveboard/secret"
	"liveboard/sqlstore"
	"liveboard/sqlstore/sqlstoretest"
)

func TestIsPostgresURL(t *testing.T) {
	for dsn, want := range map[string]bool{
		"postgres://u@h/db":       true,
		"POSTGRES://u@h/db":       true,
		"PostgreSQL://u@h/db":     true,
		"data/liveboard.db":       false,
		"sqlite:data/x.db":        false,
		"/var/lib/postgres/x.db":  false,
		"postgres-backup/live.db": false,
	} {
		if got := sqlstore.IsPostgresURL(dsn); got != want {
			t.Errorf("IsPostgresURL(%q) = %v, want %v", dsn, got, want)
		}
	}
}

func TestOpenSQLiteInMissingDirectory(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "typo", "liveboard.db")
	_, err := sqlstore.Open(ctx, dsn, sqlstoretest.Options())
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("open in a missing directory: %v", err)
	}
}

// TestCheckCipher seals a login with one key and checks that a store
// opened with another refuses it, while the right key passes.
func TestCheckCipher(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "liveboard.db")
	opts := sqlstoretest.Options()
	s, err := sqlstore.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckCipher(ctx); err != nil {
		t.Fatalf("empty store: %v", err)
	}
	studio := mustStudio(t, s, "Keys")
	mustAccount(t, s, studio.ID, 42)
	if err := s.CheckCipher(ctx); err != nil {
		t.Fatalf("right key: %v", err)
	}
	s.Close()

	other, err := secret.New(bytes.Repeat([]byte{0x07}, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	opts.Cipher = other
	s, err = sqlstore.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.CheckCipher(ctx)
	if err == nil || !strings.Contains(err.Error(), "secret key") {
		t.Fatalf("wrong key: %v", err)
	}
}
