// Package sqlstoretest opens fresh, migrated stores for tests, on SQLite
// always and on PostgreSQL when LIVEBOARD_TEST_POSTGRES_URL names a server.
//
// Each PostgreSQL store lives in a schema of its own that is dropped when
// the test ends, so tests may run in parallel against one database. Set
// LIVEBOARD_TEST_POSTGRES_REQUIRED=1 to make a missing server fail the
// tests instead of skipping them.
package sqlstoretest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"liveboard/secret"
	"liveboard/sqlstore"
)

// PostgresURLEnv names the variable holding the test server's URL.
const PostgresURLEnv = "LIVEBOARD_TEST_POSTGRES_URL"

// Engine is one database engine a test can run on.
type Engine struct {
	Name string

	// Open returns a fresh, migrated store, closed when the test ends.
	Open func(t testing.TB, opts sqlstore.Options) *sqlstore.Store

	// URL returns a fresh, empty, unmigrated database and its DSN, for
	// tests that run the program itself.
	URL func(t testing.TB) string
}

// Engines returns SQLite and, when configured, PostgreSQL. Without a
// PostgreSQL server it logs that the PostgreSQL run is skipped.
func Engines(t testing.TB) []Engine {
	engines := []Engine{{Name: "sqlite", Open: openSQLite, URL: sqliteURL}}
	if PostgresURL(t) != "" {
		engines = append(engines,
			Engine{Name: "postgres", Open: openPostgres, URL: PostgresDB})
	}
	return engines
}

// Run runs fn as a subtest once per engine.
func Run(t *testing.T, fn func(t *testing.T, e Engine)) {
	for _, e := range Engines(t) {
		t.Run(e.Name, func(t *testing.T) { fn(t, e) })
	}
}

// PostgresURL returns the test server's URL, or "" after logging why the
// PostgreSQL run is skipped. With LIVEBOARD_TEST_POSTGRES_REQUIRED=1 a
// missing URL fails the test.
func PostgresURL(t testing.TB) string {
	u := os.Getenv(PostgresURLEnv)
	if u == "" {
		if os.Getenv("LIVEBOARD_TEST_POSTGRES_REQUIRED") == "1" {
			t.Fatalf("%s is not set but "+
				"LIVEBOARD_TEST_POSTGRES_REQUIRED=1", PostgresURLEnv)
		}
		t.Logf("PostgreSQL run skipped: %s is not set", PostgresURLEnv)
	}
	return u
}

// Options returns store options with a fixed test key.
func Options() sqlstore.Options {
	box, err := secret.New(bytes.Repeat([]byte{0x42}, secret.KeySize))
	if err != nil {
		panic(err)
	}
	return sqlstore.Options{Cipher: box}
}

func sqliteURL(t testing.TB) string {
	return filepath.Join(t.TempDir(), "liveboard.db")
}

func openSQLite(t testing.TB, opts sqlstore.Options) *sqlstore.Store {
	return open(t, sqliteURL(t), opts)
}

func openPostgres(t testing.TB, opts sqlstore.Options) *sqlstore.Store {
	return open(t, PostgresDB(t), opts)
}

func open(t testing.TB, dsn string, opts sqlstore.Options) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()

	if opts.Cipher == nil {
		opts.Cipher = Options().Cipher
	}
	s, err := sqlstore.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })

	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

// PostgresDB creates a schema of its own on the test server and returns a
// URL whose connections use it. The schema is dropped when the test ends.
func PostgresDB(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	if base == "" {
		t.Skip("PostgreSQL run skipped: " + PostgresURLEnv + " is not set")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", PostgresURLEnv, err)
	}
	defer conn.Close(ctx)

	schema := "test_" + randomHex(8)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { dropSchema(t, base, schema) })

	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresURLEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func dropSchema(t testing.TB, base, schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Logf("drop schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)

	if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
		t.Logf("drop schema %s: %v", schema, err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
