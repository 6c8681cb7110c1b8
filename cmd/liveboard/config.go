package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"liveboard"
	"liveboard/secret"
	"liveboard/sqlstore"
)

// globals are the settings every command shares.
type globals struct {
	Data          string `name:"data" env:"LIVEBOARD_DATA" default:"data" help:"Data directory: the SQLite database and the secret key file."`
	DatabaseURL   string `name:"database-url" env:"LIVEBOARD_DATABASE_URL" help:"A SQLite file path or a postgres:// URL (default: <data>/liveboard.db)."`
	ShopeeBaseURL string `name:"shopee-base-url" env:"LIVEBOARD_SHOPEE_BASE_URL" help:"Send every Shopee host to this base URL, same paths (a simulator or a stub)."`
	SecretKey     string `name:"secret-key" env:"LIVEBOARD_SECRET_KEY" help:"Key sealing stored Shopee logins: 32 bytes as hex or base64 (default: <data>/secret.key, created with mode 0600)."`
	LogLevel      string `name:"log-level" env:"LIVEBOARD_LOG_LEVEL" default:"info" enum:"debug,info,warn,error" help:"Least important log level shown: debug, info, warn or error."`
	LogFormat     string `name:"log-format" env:"LIVEBOARD_LOG_FORMAT" default:"text" enum:"text,json" help:"Log as text or JSON."`

	upstream
}

// environment is what every command runs with.
type environment struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
	globals
}

// logger returns the configured logger, writing to stderr.
func (e *environment) logger() *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(e.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if e.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

// databaseURL returns the configured database, SQLite in the data
// directory by default.
func (e *environment) databaseURL() string {
	if e.DatabaseURL != "" {
		return e.DatabaseURL
	}
	return filepath.Join(e.Data, "liveboard.db")
}

// cipher returns the box that seals Shopee logins.
func (e *environment) cipher() (liveboard.Cipher, error) {
	var key []byte
	var err error
	if e.SecretKey != "" {
		key, err = secret.ParseKey(e.SecretKey)
	} else {
		key, err = secret.LoadOrCreateKeyFile(
			filepath.Join(e.Data, "secret.key"))
	}
	if err != nil {
		return nil, err
	}
	return secret.New(key)
}

// openStore opens and migrates the database at dsn.
func (e *environment) openStore(logger *slog.Logger, dsn string) (*sqlstore.Store, error) {
	if err := checkDatabaseURL(dsn); err != nil {
		return nil, err
	}
	if !sqlstore.IsPostgresURL(dsn) &&
		filepath.Dir(dsn) == filepath.Clean(e.Data) {
		if err := os.MkdirAll(e.Data, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	box, err := e.cipher()
	if err != nil {
		return nil, err
	}
	st, err := sqlstore.Open(e.ctx, dsn, sqlstore.Options{Cipher: box,
		Logger: logger})
	if err != nil {
		return nil, err
	}
	if err := migrateAll(e.ctx, st, logger); err != nil {
		st.Close()
		return nil, err
	}
	if err := st.CheckCipher(e.ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("%w (%s)", err, e.keySource())
	}
	return st, nil
}

// keySource says where the secret key came from, for errors about it.
func (e *environment) keySource() string {
	if e.SecretKey != "" {
		return "the key is LIVEBOARD_SECRET_KEY"
	}
	return "the key is " + filepath.Join(e.Data, "secret.key")
}

// logConfig prints the resolved settings, the global ones and then each
// group of a command's, secrets hidden.
func logConfig(logger *slog.Logger, g globals, groups ...[]any) {
	attrs := []any{
		"data", g.Data,
		"database_url", redactURL(g.DatabaseURL),
		"shopee_base_url", g.ShopeeBaseURL,
		"secret_key", hidden(g.SecretKey),
		"log_level", g.LogLevel,
	}
	for _, group := range groups {
		attrs = append(attrs, group...)
	}
	logger.Info("configuration", attrs...)
}

// hidden tells whether a secret is set without showing it.
func hidden(s string) string {
	if s == "" {
		return "(not set)"
	}
	return "(set, hidden)"
}

// checkDatabaseURL refuses what is neither a SQLite file path nor a
// PostgreSQL URL, before anything is created on disk for it.
func checkDatabaseURL(dsn string) error {
	lower := strings.ToLower(dsn)
	scheme, _, hasScheme := strings.Cut(lower, "://")
	switch {
	case hasScheme && scheme != "postgres" && scheme != "postgresql" &&
		scheme != "sqlite":
		return fmt.Errorf("database URL scheme %q is not supported: "+
			"give a SQLite file path or a postgres:// URL", scheme)
	case !hasScheme && strings.Contains(lower, "=") &&
		strings.Contains(lower, " "):
		return errors.New("the database URL looks like PostgreSQL " +
			"keyword=value settings: write it as a " +
			"postgres://user:password@host/database URL")
	}
	return nil
}

// redactURL hides the password of a database URL. Anything that is not a
// URL and holds an equals sign may carry a password too, and is hidden.
func redactURL(s string) string {
	if s == "" {
		return s
	}
	if !strings.Contains(s, "://") {
		if strings.Contains(s, "=") {
			return "(hidden)"
		}
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable, hidden)"
	}
	// libpq takes a password as a query parameter too.
	q := u.Query()
	for k := range q {
		if strings.EqualFold(k, "password") {
			q.Set(k, "xxxxx")
			u.RawQuery = q.Encode()
		}
	}
	return u.Redacted()
}

func validateAPIKey(key string) error {
	if key != "" && len(key) < 20 {
		return fmt.Errorf("the API key (--api-key or LIVEBOARD_API_KEY) " +
			"must be at least 20 characters long")
	}
	return nil
}

// minSyncInterval is the shortest sync interval accepted: a sync of many
// accounts takes a while, and the live monitor covers the minutes.
const minSyncInterval = time.Minute

// validateSyncInterval refuses sync intervals shorter than a minute.
func validateSyncInterval(d time.Duration) error {
	if d < minSyncInterval {
		return fmt.Errorf("--sync-interval must be at least %v, got %v",
			minSyncInterval, d)
	}
	return nil
}
