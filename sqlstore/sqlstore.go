// Package sqlstore keeps Liveboard's data in SQLite (embedded, the default)
// or PostgreSQL. Both engines run the same SQL text wherever they can: $n
// placeholders, ON CONFLICT upserts and RETURNING work on both. Each engine
// has its own embedded migrations, applied with goose.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"liveboard"
)

//go:embed migrations
var migrations embed.FS

// Engine names a database engine.
type Engine string

// The supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Options tune a Store.
type Options struct {
	// Cipher seals Shopee logins before they are written. Required.
	Cipher liveboard.Cipher

	// Now returns the current time; time.Now by default. Tests set it.
	Now func() time.Time

	// Logger receives migration progress; slog.Default() by default.
	Logger *slog.Logger
}

// Store implements liveboard.Store on SQLite or PostgreSQL.
type Store struct {
	engine Engine

	// db takes every write. On SQLite it is a single connection, as
	// SQLite allows one writer at a time; read is a separate read-only
	// pool so pages stay fast while a sync writes. On PostgreSQL both are
	// the same pool.
	db   *sql.DB
	read *sql.DB
	pool *pgxpool.Pool

	cipher liveboard.Cipher
	now    func() time.Time
	logger *slog.Logger
	stmts  stmtCache
}

var _ liveboard.Store = (*Store)(nil)

// Open connects to the database named by dsn: a postgres:// (or
// postgresql://) URL, or the path of a SQLite file, which is created with
// its directory when missing. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	if opts.Cipher == nil {
		return nil, errors.New("sqlstore: a cipher is required")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}

	s := &Store{cipher: opts.Cipher, now: opts.Now, logger: opts.Logger}

	var err error
	if IsPostgresURL(dsn) {
		err = s.openPostgres(ctx, dsn)
	} else {
		err = s.openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// defaultPoolSize is how many PostgreSQL connections a store opens at
// most unless its URL sets pool_max_conns.
const defaultPoolSize = 16

// IsPostgresURL reports whether dsn names a PostgreSQL database.
func IsPostgresURL(dsn string) bool {
	lower := strings.ToLower(dsn)
	return strings.HasPrefix(lower, "postgres://") ||
		strings.HasPrefix(lower, "postgresql://")
}

// connectTimeout bounds each new PostgreSQL connection unless the URL
// sets connect_timeout, so that an unreachable server fails the start
// with an error instead of hanging it.
const connectTimeout = 10 * time.Second

func (s *Store) openPostgres(ctx context.Context, dsn string) error {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		// pgx's default, four on small hosts, starves live monitoring,
		// which writes from many looks at once.
		cfg.MaxConns = max(cfg.MaxConns, defaultPoolSize)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return fmt.Errorf("sqlstore: connect to postgres: %w", err)
	}

	s.engine = Postgres
	s.pool = pool
	s.db = stdlib.OpenDBFromPool(pool)
	s.read = s.db
	return nil
}

func (s *Store) openSQLite(ctx context.Context, dsn string) error {
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "sqlite:")
	if path == "" {
		return errors.New("sqlstore: empty SQLite path")
	}
	if strings.ContainsAny(path, "?#") {
		return fmt.Errorf("sqlstore: SQLite path %q has ? or #", path)
	}
	// A missing directory is more likely a typo than a wish: it is
	// reported, not made.
	if dir := filepath.Dir(path); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return fmt.Errorf("sqlstore: SQLite directory %s does not "+
				"exist", dir)
		}
	}

	pragmas := url.Values{}
	pragmas.Add("_pragma", "foreign_keys(1)")
	pragmas.Add("_pragma", "busy_timeout(10000)")
	pragmas.Add("_pragma", "synchronous(NORMAL)")
	pragmas.Set("_time_format", "sqlite")

	write := url.Values{}
	for k, v := range pragmas {
		write[k] = v
	}
	write.Add("_pragma", "journal_mode(WAL)")
	write.Set("_txlock", "immediate")

	db, err := sql.Open("sqlite", path+"?"+write.Encode())
	if err != nil {
		return fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return fmt.Errorf("sqlstore: open sqlite %s: %w", path, err)
	}

	pragmas.Add("_pragma", "query_only(1)")
	read, err := sql.Open("sqlite", path+"?"+pragmas.Encode())
	if err != nil {
		db.Close()
		return fmt.Errorf("sqlstore: open sqlite reader: %w", err)
	}
	read.SetMaxOpenConns(4)

	s.engine = SQLite
	s.db = db
	s.read = read
	return nil
}

// Engine reports which engine the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// DB returns the pool that takes writes. On SQLite it has one connection:
// a caller that holds a transaction on it must not call the store.
func (s *Store) DB() *sql.DB { return s.db }

// Pool returns the PostgreSQL connection pool, or nil on SQLite.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes every connection.
func (s *Store) Close() error {
	s.stmts.close()
	err := s.db.Close()
	if s.read != s.db {
		err = errors.Join(err, s.read.Close())
	}
	if s.pool != nil {
		s.pool.Close()
	}
	return err
}

// Migrate applies every pending schema migration. On PostgreSQL it holds
// an advisory lock meanwhile, so instances starting together take turns.
func (s *Store) Migrate(ctx context.Context) error {
	p, err := s.migrator()
	if err != nil {
		return err
	}

	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	for _, r := range results {
		s.logger.Info("schema migration applied",
			"engine", s.engine, "version", r.Source.Version,
			"duration", r.Duration)
	}
	return nil
}

func (s *Store) migrator() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(s.engine))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: migrations: %w", err)
	}

	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if s.engine == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("sqlstore: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}

	p, err := goose.NewProvider(dialect, s.db, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: migrations: %w", err)
	}
	return p, nil
}

// Ping reports whether the database answers and every migration has been
// applied.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlstore: ping: %w", err)
	}

	p, err := s.migrator()
	if err != nil {
		return err
	}
	current, target, err := p.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: schema version: %w", err)
	}
	if current < target {
		return fmt.Errorf("sqlstore: schema at version %d, want %d: "+
			"run liveboard migrate", current, target)
	}
	return nil
}

// inTx runs fn in a transaction on the write pool and commits it when fn
// returns nil.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

// nowUTC returns the store's clock in UTC, to the microsecond both engines
// keep.
func (s *Store) nowUTC() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := utc(*t)
	return &u
}

// notFound turns sql.ErrNoRows into an ENotFound error naming what.
func notFound(err error, what string, id any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return liveboard.Errorf(liveboard.ENotFound, "%s %v not found",
			what, id)
	}
	return err
}

// constraintKind tells which schema rule a failed write broke, on either
// engine: "unique", "check" (CHECK, NOT NULL, foreign key) or "".
func constraintKind(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return "unique"
		case "23502", "23503", "23514":
			return "check"
		}
		return ""
	}

	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE,
			sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return "unique"
		case sqlite3.SQLITE_CONSTRAINT_CHECK,
			sqlite3.SQLITE_CONSTRAINT_NOTNULL,
			sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return "check"
		}
	}
	return ""
}

// writeErr classifies a failed write: conflicts and refused values become
// *liveboard.Error, the rest is wrapped with context.
func writeErr(err error, context string) error {
	switch constraintKind(err) {
	case "unique":
		return liveboard.Errorf(liveboard.EConflict, "%s: already exists",
			context)
	case "check":
		return liveboard.Errorf(liveboard.EInvalid, "%s: value refused",
			context)
	}
	return fmt.Errorf("sqlstore: %s: %w", context, err)
}
